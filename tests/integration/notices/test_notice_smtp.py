"""A notice delivered by the real worker through a real SMTP server on loopback (aiosmtpd):
accepted recipients get it once, a recipient the server rejects is marked failed with its
answer, and one it defers (4xx) is retried and then delivered."""

import email
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.notices.models import Notice, NoticeDelivery
from portal.notices.services import notice_draft_create, notice_send
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


class PickyMailbox:
    """Accepts mail, except: `rejected` addresses get 550, `deferred` ones 451 the first time."""

    def __init__(self):
        self.messages = []
        self.rejected, self.deferred = set(), set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.rejected:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in self.deferred:
            self.deferred.discard(address)
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    mailbox = PickyMailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield mailbox
    controller.stop()


def test_a_notice_reaches_real_smtp_with_a_rejected_and_a_deferred_recipient(
    smtp_server, people, settings
):
    settings.NOTICE_BATCH_SIZE = 2
    sender = EmployeeFactory(department=DepartmentFactory(code="computer-center")).user
    quality = [people[key].user.email for key in ("zhangwen", "wangzhi", "shantian")]
    smtp_server.rejected.add(quality[1])
    smtp_server.deferred.add(quality[2])
    notice = notice_draft_create(
        sender=sender, subject="质量月通知", body="请参加。", audience={"departments": ["quality"]}
    )
    notice_send(notice=notice, actor=sender)
    from portal.notices.services import notice_deliveries_enqueue

    notice_deliveries_enqueue(notice_id=notice.pk)
    run_worker()

    delivered = {rcpt for rcpts, _message in smtp_server.messages for rcpt in rcpts}
    assert delivered == {quality[0]}
    rejected = NoticeDelivery.objects.get(notice=notice, email=quality[1])
    assert rejected.status == "failed" and rejected.last_error.startswith("550")
    deferred = NoticeDelivery.objects.get(notice=notice, email=quality[2])
    assert deferred.status == "pending" and deferred.last_error.startswith("451")

    # The retry is queued for later; when it is due, the deferred recipient gets the notice.
    NoticeDelivery.objects.filter(pk=deferred.pk).update(next_attempt_at=timezone.now())
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    delivered = [rcpt for rcpts, _message in smtp_server.messages for rcpt in rcpts]
    assert sorted(delivered) == sorted([quality[0], quality[2]])
    subjects = {
        str(email.header.make_header(email.header.decode_header(m["Subject"])))
        for _r, m in smtp_server.messages
    }
    assert subjects == {"质量月通知"}
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert dict(notice.deliveries.values_list("email", "status")) == {
        quality[0]: "sent",
        quality[1]: "failed",
        quality[2]: "sent",
    }
