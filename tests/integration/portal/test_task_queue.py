"""The task queue: work runs in a worker, after the commit that asked for it, exactly once even
with several workers on PostgreSQL (production runs several)."""

import os
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tasks import task

from portal.models import AuditEntry
from portal.services import audit_record
from tests.worker import run_worker


@task(queue_name="default")
def record_run(*, number: int) -> None:
    audit_record(actor=None, action="test.task_ran", data={"number": number})


def worker_process():
    """A real worker process on the test database, as production runs several."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "portal",
            "db_worker",
            "--batch",
            "--queue-name",
            "default",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
    )


@pytest.mark.django_db
def test_a_task_enqueued_in_a_transaction_runs_only_after_commit_and_in_the_worker(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(lambda: record_run.enqueue(number=1))
        assert AuditEntry.objects.filter(action="test.task_ran").count() == 0
    assert AuditEntry.objects.filter(action="test.task_ran").count() == 0
    run_worker("default")
    assert AuditEntry.objects.filter(action="test.task_ran").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_run_the_same_task_twice():
    for number in range(60):
        record_run.enqueue(number=number)
    workers = [worker_process() for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0
    runs = Counter(
        entry["number"]
        for entry in AuditEntry.objects.filter(action="test.task_ran").values_list(
            "data", flat=True
        )
    )
    assert sorted(runs) == list(range(60))
    assert set(runs.values()) == {1}
