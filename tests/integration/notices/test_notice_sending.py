"""Composing and sending a mass notice: preview before sending, one delivery per person, sent
by the real task worker in batches, retried on temporary failures, never sent twice."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.models import Department
from portal.notices.models import Notice, NoticeDelivery
from portal.notices.services import notice_draft_create, notice_send
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_sender(people):
    return EmployeeFactory(
        name="厂办秘书", department=DepartmentFactory(code="director-office")
    ).user


@pytest.fixture
def sender_client(client, intranet, office_sender):
    client.force_login(office_sender)
    client.cookies["portal_language"] = "en"
    return client


def compose(client, **data):
    payload = {"subject": "停电通知", "body": "周六 **8:00** 停电。\n\n- 关闭设备\n- 保存文件"}
    payload.update(data)
    return client.post("/notices/new/", payload)


def test_the_sender_sees_count_and_list_before_anything_is_sent(
    sender_client, people, django_capture_on_commit_callbacks
):
    response = compose(sender_client, departments=["quality"])
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.DRAFT
    assert not NoticeDelivery.objects.exists()
    html = sender_client.get(response["Location"]).content.decode()
    assert "3 recipients" in html
    for name in ("张文", "王志", "单田芳"):
        assert name in html

    with django_capture_on_commit_callbacks(execute=True):
        response = sender_client.post(f"/notices/{notice.pk}/confirm/")
    assert response.status_code == 302
    assert mail.outbox == [], "sending is the worker's job, not the request's"
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        people[key].user.email for key in ("zhangwen", "wangzhi", "shantian")
    )
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert set(notice.deliveries.values_list("status", flat=True)) == {"sent"}
    message = mail.outbox[0]
    assert message.subject == "停电通知"
    assert "<strong>8:00</strong>" in message.alternatives[0][0]
    assert "<li>关闭设备</li>" in message.alternatives[0][0]


def test_departments_with_or_without_sections_roles_and_individuals_mix(
    sender_client, people, office_sender
):
    compose(
        sender_client,
        departments=["production"],
        include_sections="on",
        people=f"{people['wangzhi'].employee_number}, {people['zhangwei'].user.email}",
    )
    notice = Notice.objects.get()
    html = sender_client.get(f"/notices/{notice.pk}/confirm/").content.decode()
    # 张伟 (production), 张卫国 (its section), 王志 (individually); 张伟 chosen twice, once counted.
    assert "3 recipients" in html
    Notice.objects.all().delete()
    compose(sender_client, departments=["production"])
    html = sender_client.get(f"/notices/{Notice.objects.get().pk}/confirm/").content.decode()
    assert "1 recipient" in html


def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(sender_client, people, settings):
    response = compose(sender_client)
    assert response.status_code == 400
    assert "Choose the recipients" in response.content.decode()

    response = compose(sender_client, departments=["nowhere"])
    assert response.status_code == 400
    assert "nowhere" in response.content.decode()

    response = compose(sender_client, people="E99999")
    assert response.status_code == 400
    assert "Nobody active has the employee number or email: E99999" in response.content.decode()

    settings.NOTICE_ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("plan.pdf", b"x" * 11)
    response = compose(sender_client, departments=["quality"], attachments=[big])
    assert response.status_code == 400
    assert "plan.pdf is larger than" in response.content.decode()

    empty = Department.objects.create(code="empty", name="空科")
    response = compose(sender_client, departments=[empty.code])
    assert response.status_code == 400
    assert "Nobody with an email address matches" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_notice_goes_out_in_batches_each_recipient_once(office_sender, people, settings):
    settings.NOTICE_BATCH_SIZE = 2
    notice = notice_draft_create(
        sender=office_sender, subject="全员通知", body="内容", audience={"all": True}
    )
    with mock.patch("portal.notices.services.transaction.on_commit", lambda f, **_kw: f()):
        count = notice_send(notice=notice, actor=office_sender)
    assert count == 6
    run_worker()
    assert len(mail.outbox) == 6
    assert len({message.to[0] for message in mail.outbox}) == 6
    # Several tasks ran (one per batch of two), and queueing the task again sends nothing more.
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="notice_deliver").count() >= 3
    from portal.notices.services import notice_deliveries_enqueue

    notice_deliveries_enqueue(notice_id=notice.pk)
    run_worker()
    assert len(mail.outbox) == 6


def test_a_row_claimed_by_a_worker_that_died_is_never_sent_again(office_sender, people, settings):
    notice = notice_draft_create(
        sender=office_sender, subject="通知", body="内容", audience={"departments": ["quality"]}
    )
    with mock.patch("portal.notices.services.transaction.on_commit", lambda f, **_kw: f()):
        notice_send(notice=notice, actor=office_sender)
    # A worker claimed one delivery and died before it knew whether the mail went out.
    claimed = notice.deliveries.order_by("pk").first()
    NoticeDelivery.objects.filter(pk=claimed.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    run_worker()
    assert claimed.email not in [message.to[0] for message in mail.outbox]
    assert len(mail.outbox) == 2
    claimed.refresh_from_db()
    assert claimed.status == "failed" and "Interrupted" in claimed.last_error
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


def test_sending_a_notice_twice_is_refused(office_sender, people):
    notice = notice_draft_create(
        sender=office_sender, subject="通知", body="内容", audience={"departments": ["quality"]}
    )
    notice_send(notice=notice, actor=office_sender)
    from portal.notices.services import NoticeRefused

    with pytest.raises(NoticeRefused):
        notice_send(notice=notice, actor=office_sender)
    assert notice.deliveries.count() == 3


class FlakyConnection:
    """An SMTP connection whose first attempt per address fails with `code`."""

    def __init__(self, code, seen):
        self.code, self.seen = code, seen

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            if address not in self.seen:
                self.seen.add(address)
                raise smtplib.SMTPRecipientsRefused({address: (self.code, b"try later")})
            mail.outbox.append(message)
        return len(messages)

    def close(self):
        pass

    def open(self):
        pass


def test_temporary_failures_are_retried_later_and_permanent_ones_fail(
    office_sender, people, settings
):
    notice = notice_draft_create(
        sender=office_sender, subject="通知", body="内容", audience={"departments": ["quality"]}
    )
    with mock.patch("portal.notices.services.transaction.on_commit", lambda f, **_kw: f()):
        notice_send(notice=notice, actor=office_sender)
    seen = set()
    with mock.patch("portal.notices.tasks.get_connection", lambda **kw: FlakyConnection(451, seen)):
        run_worker()
        assert mail.outbox == []
        assert set(notice.deliveries.values_list("status", flat=True)) == {"pending"}
        assert all(d.next_attempt_at > timezone.now() for d in notice.deliveries.all())
        # The retry is queued for later; once it is due the worker sends.
        NoticeDelivery.objects.update(next_attempt_at=timezone.now())
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.update(run_after=timezone.now())
        run_worker()
    assert len(mail.outbox) == 3
    assert set(notice.deliveries.values_list("attempts", flat=True)) == {2}

    other = notice_draft_create(
        sender=office_sender, subject="又一个", body="内容", audience={"departments": ["quality"]}
    )
    with mock.patch("portal.notices.services.transaction.on_commit", lambda f, **_kw: f()):
        notice_send(notice=other, actor=office_sender)
    with mock.patch(
        "portal.notices.tasks.get_connection", lambda **kw: FlakyConnection(550, set())
    ):
        run_worker()
    assert set(other.deliveries.values_list("status", flat=True)) == {"failed"}
    assert set(other.deliveries.values_list("attempts", flat=True)) == {1}
    other.refresh_from_db()
    assert other.status == Notice.Status.SENT


def test_progress_json_inbox_archive_and_attachments(
    sender_client, people, office_sender, django_capture_on_commit_callbacks, client
):
    attachment = SimpleUploadedFile("计划.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    compose(sender_client, departments=["quality"], attachments=[attachment])
    notice = Notice.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        sender_client.post(f"/notices/{notice.pk}/confirm/")
    progress = sender_client.get(f"/notices/{notice.pk}/progress/").json()
    assert progress == {
        "status": "sending", "total": 3, "sent": 0, "failed": 0, "pending": 3,
        "percent": 0, "finished": False,
    }  # fmt: skip
    run_worker()
    progress = sender_client.get(f"/notices/{notice.pk}/progress/").json()
    assert progress["percent"] == 100 and progress["sent"] == 3 and progress["finished"]
    assert mail.outbox[0].attachments[0][0] == "计划.pdf"
    html = sender_client.get(f"/notices/{notice.pk}/").content.decode()
    assert "100%" in html or ">100<" in html
    assert "停电通知" in sender_client.get("/notices/sent/").content.decode()

    recipient = people["wangzhi"].user
    client.force_login(recipient)
    assert "停电通知" in client.get("/notices/").content.decode()
    assert client.get(f"/notices/{notice.pk}/").status_code == 200
    assert client.get(f"/notices/{notice.pk}/progress/").status_code == 404
    item = notice.attachments.get()
    response = client.get(f"/notices/{notice.pk}/attachments/{item.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"

    outsider = people["zhangwei"].user
    client.force_login(outsider)
    assert "停电通知" not in client.get("/notices/").content.decode()
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
    assert client.get(f"/notices/{notice.pk}/attachments/{item.pk}/").status_code == 404
