"""Task leases and the sweep (portal.tasks_lease): RUNNING rows a dead worker left are failed and
resumed once; live ones are left alone; every task of the project says what happens to it."""

import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from portal import scheduling, tasks_lease
from portal.models import AuditEntry, TaskLease
from portal.services import audit_record
from tests.unit.portal.test_app_dependencies import application_modules
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

PROBE = f"{__name__}.probe"


@task(queue_name="default")
def probe(*, number: int) -> None:
    audit_record(actor=None, action="test.lease_probe", data={"number": number})


@task(queue_name="default", takes_context=True)
def lease_probe(context: TaskContext) -> None:
    lease = TaskLease.objects.filter(task_id=context.task_result.id).first()
    audit_record(
        actor=None,
        action="test.lease_seen",
        data={"leased": lease is not None, "worker": lease.worker_id if lease else ""},
    )


@pytest.fixture
def recoveries(monkeypatch):
    monkeypatch.setattr(tasks_lease, "RECOVERIES", dict(tasks_lease.RECOVERIES))
    return tasks_lease.RECOVERIES


def waiting():
    return DBTaskResult.objects.filter(status="READY", task_path=PROBE)


def running(*, number=1, started=timedelta(minutes=10), lease_left=None, worker="w-dead"):
    """A probe task row as a worker left it: RUNNING since `started` ago, with a lease that
    expires `lease_left` from now (None: no lease)."""
    result = probe.enqueue(number=number)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=now - started, worker_ids=[worker]
    )
    if lease_left is not None:
        TaskLease.objects.create(
            task_id=result.id, task_path=PROBE, worker_id=worker, expires_at=now + lease_left
        )
    return DBTaskResult.objects.get(pk=result.id)


def test_every_task_of_the_project_says_what_happens_when_its_worker_dies():
    tasks = {}
    for module, _path in application_modules():
        if module.rsplit(".", 1)[-1] != "tasks":
            continue
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, Task) and value.module_path.startswith(module + "."):
                tasks[value.module_path] = value
    assert len(tasks) >= 15
    missing = sorted(set(tasks) - set(tasks_lease.RECOVERIES))
    assert missing == [], "register these with portal.tasks_lease.register()"
    for path, recovery in tasks_lease.RECOVERIES.items():
        assert path in tasks, f"{path} is registered but is no task"
        assert recovery.why
    assert tasks_lease.RECOVERIES["portal.notices.tasks.notice_deliver"].resume is not None


def test_the_sweep_fails_a_task_whose_lease_expired_and_queues_it_again_once(recoveries):
    tasks_lease.register(PROBE, retry=True, why="test")
    dead = running(number=7, lease_left=timedelta(seconds=-1))

    taken = tasks_lease.sweep()

    assert [interrupted.task_id for interrupted in taken] == [str(dead.pk)]
    assert taken[0].worker_id == "w-dead" and taken[0].kwargs == {"number": 7}
    dead.refresh_from_db()
    assert dead.status == "FAILED" and dead.finished_at is not None
    assert dead.exception_class_path == tasks_lease.WORKER_LOST
    assert "w-dead" in dead.traceback
    assert dead.task_result.errors[0].exception_class_path == tasks_lease.WORKER_LOST
    assert not TaskLease.objects.exists()
    again = waiting().get()
    assert again.task_path == PROBE and again.args_kwargs["kwargs"] == {"number": 7}

    assert tasks_lease.sweep() == []  # idempotent: nothing left to take over
    assert waiting().count() == 1
    run_worker("default")
    assert AuditEntry.objects.get(action="test.lease_probe").data == {"number": 7}


def test_a_live_lease_or_a_task_started_less_than_a_lease_ago_is_left_alone(recoveries, settings):
    settings.TASK_LEASE_SECONDS = 120
    tasks_lease.register(PROBE, retry=True, why="test")
    alive = running(number=1, started=timedelta(hours=2), lease_left=timedelta(seconds=30))
    fresh = running(number=2, started=timedelta(seconds=10))
    never_leased = running(number=3, started=timedelta(minutes=5))

    taken = tasks_lease.sweep()

    assert [interrupted.task_id for interrupted in taken] == [str(never_leased.pk)]
    assert set(
        DBTaskResult.objects.filter(pk__in=[alive.pk, fresh.pk]).values_list("status", flat=True)
    ) == {"RUNNING"}


def test_a_task_registered_as_safe_to_drop_or_not_registered_is_failed_not_resumed(
    recoveries,
):
    tasks_lease.register(PROBE, why="test: dropped")
    dead = running(lease_left=timedelta(seconds=-5))
    assert len(tasks_lease.sweep()) == 1
    dead.refresh_from_db()
    assert dead.status == "FAILED"
    del recoveries[PROBE]
    unregistered = running(number=2, lease_left=timedelta(seconds=-5))
    assert len(tasks_lease.sweep()) == 1
    unregistered.refresh_from_db()
    assert unregistered.status == "FAILED"
    assert not waiting().exists()


def test_requeue_skips_work_already_waiting_and_gives_up_after_the_limit(recoveries, settings):
    settings.TASK_RESUME_LIMIT = 2
    tasks_lease.register(PROBE, retry=True, why="test")
    for _attempt in range(3):
        running(number=5, lease_left=timedelta(seconds=-1))
        tasks_lease.sweep()
        waiting().delete()  # as if it ran and died again
    interrupted = DBTaskResult.objects.filter(exception_class_path=tasks_lease.WORKER_LOST)
    assert interrupted.count() == 3
    # Resumed after the first and second interruptions; the third gives up.
    running(number=5, lease_left=timedelta(seconds=-1))
    assert len(tasks_lease.sweep()) == 1
    assert not waiting().exists()

    # Identical work already waiting: not queued a second time.
    settings.TASK_RESUME_LIMIT = 10
    probe.enqueue(number=6)
    running(number=6, lease_left=timedelta(seconds=-1))
    tasks_lease.sweep()
    assert waiting().count() == 1


def test_a_resume_that_fails_leaves_the_row_running_for_the_next_sweep(recoveries):
    def broken(interrupted):
        probe.enqueue(number=99)
        raise RuntimeError("mail server down")

    tasks_lease.register(PROBE, resume=broken, why="test")
    dead = running(lease_left=timedelta(seconds=-1))
    assert tasks_lease.sweep() == []
    dead.refresh_from_db()
    assert dead.status == "RUNNING"
    assert not waiting().exists()  # rolled back with it
    tasks_lease.register(PROBE, retry=True, why="test")
    assert len(tasks_lease.sweep()) == 1


def test_the_worker_holds_a_lease_while_a_task_runs_and_drops_it_after():
    lease_probe.enqueue()
    run_worker("default", "--worker-id", "w-test")
    assert AuditEntry.objects.get(action="test.lease_seen").data == {
        "leased": True,
        "worker": "w-test",
    }
    assert not TaskLease.objects.exists()


def test_the_heartbeat_renews_the_lease_until_the_task_is_no_longer_running(settings):
    settings.TASK_LEASE_SECONDS = 60
    row = running(lease_left=timedelta(seconds=1))
    heartbeat = tasks_lease._Heartbeat(str(row.pk))
    assert heartbeat.renew()
    lease = TaskLease.objects.get(task_id=row.pk)
    assert lease.expires_at > timezone.now() + timedelta(seconds=50)
    DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
    assert not heartbeat.renew()
    assert not TaskLease.objects.exists()


def test_the_scheduler_sweeps(recoveries, monkeypatch):
    monkeypatch.setattr(scheduling, "REGISTRY", {})
    tasks_lease.register(PROBE, retry=True, why="test")
    dead = running(lease_left=timedelta(seconds=-1))
    output = StringIO()
    call_command("run_scheduler", "--once", stdout=output)
    dead.refresh_from_db()
    assert dead.status == "FAILED"
    assert f"died running {PROBE} ({dead.pk}): failed, resumed" in output.getvalue()
