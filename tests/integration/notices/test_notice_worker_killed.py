"""A mass notice survives a worker killed with SIGKILL: the real worker, in a process of its own,
sends through a real SMTP server on loopback (aiosmtpd) and is killed while the server holds
a message it has received; a fresh worker and the scheduler's sweep (with a 2-second lease)
finish the notice. Everybody gets the notice exactly once; the row whose mail was in flight
is reported interrupted (and not sent again); no task row is left RUNNING.

Runs on SQLite (a file copy of the test database) and, with DATABASE_URL, on PostgreSQL."""

import asyncio
import os
import signal
import socket
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import tasks_lease
from portal.notices.models import Notice, NoticeDelivery
from portal.notices.services import notice_draft_create, notice_send
from portal.notices.tasks import INTERRUPTED, notice_deliver
from portal.tasks_lease import WORKER_LOST
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.worker import database_for_other_processes, run_worker, worker_process

RECIPIENTS = 30
BATCH = 10
HOLD_AT = 15  # the server keeps the 15th message unanswered: the worker dies waiting for it


class HoldingMailbox:
    """Records every message it receives; the `hold_at`-th is recorded (the person got the
    mail) and then left unanswered until `release` is set."""

    def __init__(self, hold_at):
        self.hold_at = hold_at
        self.received = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
            count = len(self.received)
        if count == self.hold_at:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 120)
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox():
    handler = HoldingMailbox(HOLD_AT)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = controller.port
    yield handler
    handler.release.set()
    controller.stop()


def wait_for(condition, *, timeout=120, what="condition"):
    """Poll `condition` until it is true (or fail after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notice_resumes_after_its_worker_is_killed_without_a_duplicate(
    mailbox, tmp_path, settings
):
    settings.TASK_LEASE_SECONDS = 2  # the sweep in this process; the workers get it below
    with database_for_other_processes(tmp_path) as database_url:
        sender = EmployeeFactory(department=DepartmentFactory(code="computer-center")).user
        quality = DepartmentFactory(code="quality")
        addresses = {
            EmployeeFactory(
                department=quality, user__email=f"q{number:03d}@factory.example.com"
            ).user.email
            for number in range(RECIPIENTS)
        }
        notice = notice_draft_create(
            sender=sender,
            subject="安全生产月通知",
            body="请全体参加。",
            audience={"departments": ["quality"]},
        )
        assert notice_send(notice=notice, actor=sender) == RECIPIENTS
        environment = {
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": mailbox.port,
            "EMAIL_TIMEOUT": 30,
            "NOTICE_BATCH_SIZE": BATCH,
            "TASK_LEASE_SECONDS": 2,
        }
        log = tmp_path / "workers.log"
        first = worker_process(database_url, log, **environment)
        second = None
        try:
            assert mailbox.holding.wait(timeout=120), log.read_text()
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
            mailbox.release.set()

            # The state the issue found: a RUNNING task nobody runs, a row in "sending".
            killed = DBTaskResult.objects.get(status="RUNNING")
            assert killed.task_path == "portal.notices.tasks.notice_deliver"
            in_flight = NoticeDelivery.objects.get(notice=notice, status="sending")
            assert in_flight.email == mailbox.received[HOLD_AT - 1]
            assert NoticeDelivery.objects.filter(status="sent").count() == HOLD_AT - 1
            assert NoticeDelivery.objects.filter(status="pending").count() == (RECIPIENTS - HOLD_AT)

            second = worker_process(database_url, log, **environment)
            taken = wait_for(tasks_lease.sweep, what="the sweep to find the dead worker")
            assert [dead.task_id for dead in taken] == [str(killed.pk)]

            def finished():
                notice.refresh_from_db()
                return notice.status == Notice.Status.SENT

            wait_for(finished, what=f"the notice to be sent\n{log.read_text()}")
        finally:
            for process in (first, second):
                if process is not None:
                    stop(process)

        received = Counter(mailbox.received)
        assert set(received) == addresses
        assert set(received.values()) == {1}, "nobody gets the notice twice"
        deliveries = dict(notice.deliveries.values_list("email", "status"))
        assert deliveries.pop(in_flight.email) == "failed"
        assert set(deliveries.values()) == {"sent"}
        in_flight.refresh_from_db()
        assert in_flight.last_error == INTERRUPTED
        assert notice.finished_at is not None
        killed.refresh_from_db()
        assert killed.status == "FAILED"
        assert killed.exception_class_path == WORKER_LOST
        assert not DBTaskResult.objects.filter(status="RUNNING").exists()
        # (Index updates wait on the search queue, which these workers do not take.)
        assert not DBTaskResult.objects.filter(queue_name="default", status="READY").exists()
        assert set(
            DBTaskResult.objects.filter(task_path=killed.task_path)
            .exclude(pk=killed.pk)
            .values_list("status", flat=True)
        ) == {"SUCCESSFUL"}
        assert not tasks_lease.TaskLease.objects.exists()


@pytest.mark.django_db
def test_the_sweep_reports_only_the_dead_tasks_rows_interrupted_and_resumes_the_rest(
    client, intranet, people, settings
):
    sender = EmployeeFactory(department=DepartmentFactory(code="director-office")).user
    notice = notice_draft_create(
        sender=sender, subject="通知", body="内容", audience={"departments": ["quality"]}
    )
    with mock.patch("portal.notices.services.transaction.on_commit", lambda f, **_kw: f()):
        notice_send(notice=notice, actor=sender)
    DBTaskResult.objects.filter(task_path="portal.notices.tasks.notice_deliver").delete()
    # The dead worker's task claimed one row; a live worker's task claimed another just now.
    dead_task = notice_deliver.enqueue(notice_id=notice.pk)
    DBTaskResult.objects.filter(pk=dead_task.id).update(
        status="RUNNING", started_at=timezone.now() - timedelta(minutes=10), worker_ids=["w"]
    )
    first, second, third = notice.deliveries.order_by("pk")
    now = timezone.now()
    NoticeDelivery.objects.filter(pk=first.pk).update(
        status="sending", claimed_by=dead_task.id, claimed_at=now, attempts=1
    )
    NoticeDelivery.objects.filter(pk=second.pk).update(
        status="sending", claimed_by=uuid.uuid4(), claimed_at=now, attempts=1
    )

    assert [dead.task_id for dead in tasks_lease.sweep()] == [str(dead_task.id)]

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.interrupted and first.last_error == INTERRUPTED
    assert second.status == "sending"  # not the dead task's: left to the worker sending it
    waiting = DBTaskResult.objects.filter(
        task_path="portal.notices.tasks.notice_deliver", status="READY"
    )
    assert waiting.count() == 1
    assert tasks_lease.sweep() == []
    run_worker("default")
    assert [message.to for message in mail.outbox] == [[third.email]]

    client.force_login(sender)
    client.cookies["portal_language"] = "en"
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "Interrupted: the mail may have arrived; not sent again." in page
