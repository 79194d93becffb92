"""Whoever must act next on a report is told, on the portal and by mail through the task
queue; overdue reports are reminded of once a day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from documents.circulation.models import CircularReport, ReportNotification
from documents.circulation.notifications import reports_remind_overdue
from documents.circulation.services import (
    report_accept,
    report_approve,
    report_create,
    report_return,
    report_return_to_drafter,
    report_submit,
)
from portal import scheduling
from portal.refusals import Refusal
from tests.factories.documents import ReportTypeFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
K = ReportNotification.Kind
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def route(plant):
    from tests.integration.documents.conftest import employee_in

    sales_head = employee_in(plant.sales)
    plant.sales.head = sales_head
    plant.sales.save()
    report_type = ReportTypeFactory(
        code="quality-report", source=plant.quality, destination=plant.sales, due_hours=24
    )
    return report_type, sales_head


def notified(kind):
    return sorted(
        ReportNotification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    )


def sent_report(plant, report_type, capture):
    with capture(execute=True):
        report = report_create(
            actor=plant.quality_member.user, report_type=report_type, title="月报", body="正文"
        )
        report = report_submit(actor=plant.quality_member.user, report=report)
        return report_approve(actor=plant.quality_head.user, report=report)


def test_each_step_tells_who_acts_next_on_the_portal_and_by_queued_mail(
    plant, route, django_capture_on_commit_callbacks
):
    report_type, sales_head = route
    drafter, source_head = plant.quality_member.user, plant.quality_head.user
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(
            actor=drafter, report_type=report_type, title="十一月质量月报", body="正文"
        )
        report = report_submit(actor=drafter, report=report)
    assert notified(K.SUBMITTED) == [source_head.pk]
    assert mail.outbox == []  # queued, not sent inside the request
    run_worker("default")
    assert [m.to for m in mail.outbox] == [[source_head.email]]
    assert "十一月质量月报" in mail.outbox[0].subject
    assert f"/documents/reports/{report.pk}/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        report = report_return_to_drafter(actor=source_head, report=report, comment="补充数据")
        report = report_submit(actor=drafter, report=report)
        report = report_approve(actor=source_head, report=report)
    assert notified(K.RETURNED_TO_DRAFTER) == [drafter.pk]
    assert notified(K.SENT) == [sales_head.user_id]

    with django_capture_on_commit_callbacks(execute=True):
        report = report_return(actor=sales_head.user, report=report, comment="请补充批次")
    assert notified(K.RETURNED) == sorted([drafter.pk, source_head.pk])

    with django_capture_on_commit_callbacks(execute=True):
        report = report_submit(actor=drafter, report=report)
        report = report_approve(actor=source_head, report=report)
        report_accept(actor=sales_head.user, report=report)
    assert notified(K.ACCEPTED) == sorted([drafter.pk, source_head.pk])
    run_worker("default")
    returned_mail = next(m for m in mail.outbox if "请补充批次" in m.body)
    assert sorted(returned_mail.to) == sorted([drafter.email, source_head.email])
    # Nobody is told of their own step.
    assert not ReportNotification.objects.filter(kind=K.SUBMITTED, recipient=drafter).exists()


def test_a_refused_step_notifies_nobody(plant, route, django_capture_on_commit_callbacks):
    report_type, sales_head = route
    report = report_create(
        actor=plant.quality_member.user, report_type=report_type, title="月报", body="正文"
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refusal):
        report_approve(actor=plant.quality_head.user, report=report)
    assert not ReportNotification.objects.exists()
    run_worker("default")
    assert mail.outbox == []


def test_a_destination_without_a_head_tells_its_members(plant, django_capture_on_commit_callbacks):
    report_type = ReportTypeFactory(source=plant.sales, destination=plant.quality)
    from tests.integration.documents.conftest import employee_in

    plant.sales.head = employee_in(plant.sales)
    plant.sales.save()
    plant.quality.head = None
    plant.quality.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(
            actor=plant.sales_member.user, report_type=report_type, title="销售计划", body="x"
        )
        report = report_submit(actor=plant.sales_member.user, report=report)
        report_approve(actor=plant.sales.head.user, report=report)
    members = sorted([plant.quality_member.user_id, plant.quality_head.user_id])
    assert notified(K.SENT) == members


def test_overdue_reports_are_reminded_of_once_a_day(
    plant, route, django_capture_on_commit_callbacks
):
    report_type, sales_head = route
    report = sent_report(plant, report_type, django_capture_on_commit_callbacks)
    accepted = sent_report(plant, report_type, django_capture_on_commit_callbacks)
    report_accept(actor=sales_head.user, report=accepted)
    due = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
    CircularReport.objects.filter(pk__in=[report.pk, accepted.pk]).update(due_at=due)

    def remind(at):
        with django_capture_on_commit_callbacks(execute=True):
            return reports_remind_overdue(now=at)

    assert remind(due - timedelta(minutes=1)) == 0  # not yet overdue
    assert remind(due + timedelta(minutes=1)) == 1
    assert remind(due + timedelta(hours=14)) == 0  # 23:00 the same day in Shanghai
    assert remind(datetime(2026, 11, 21, 0, 5, tzinfo=SHANGHAI)) == 1  # the next day
    assert remind(datetime(2026, 11, 21, 8, 30, tzinfo=SHANGHAI)) == 0
    reminders = ReportNotification.objects.filter(kind=K.OVERDUE)
    assert list(reminders.values_list("report_id", "recipient_id")) == [
        (report.pk, sales_head.user_id),
        (report.pk, sales_head.user_id),
    ]
    report.refresh_from_db()
    assert report.reminded_on.isoformat() == "2026-11-21"
    run_worker("default")
    overdue_mail = [m for m in mail.outbox if m.to == [sales_head.user.email]]
    assert len([m for m in overdue_mail if "逾期" in m.subject or "overdue" in m.subject]) == 2


def test_the_reminder_is_scheduled_daily_and_run_by_the_worker(
    plant, route, django_capture_on_commit_callbacks
):
    report_type, sales_head = route
    report = sent_report(plant, report_type, django_capture_on_commit_callbacks)
    CircularReport.objects.filter(pk=report.pk).update(due_at=report.sent_at - timedelta(days=1))
    periodic = scheduling.REGISTRY["documents.overdue_reminders"]
    assert periodic.daily_at is not None
    ReportNotification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        periodic.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        run_worker("default")
    assert notified(K.OVERDUE) == [sales_head.user_id]


def test_notifications_page_lists_and_marks_read(
    client, english, intranet, plant, route, django_capture_on_commit_callbacks
):
    report_type, sales_head = route
    report = sent_report(plant, report_type, django_capture_on_commit_callbacks)
    client.force_login(sales_head.user)
    box = client.get("/documents/reports/").content.decode()
    assert 'Notifications <span class="badge">1</span>' in box
    page = client.get("/documents/reports/notifications/").content.decode()
    assert "A report arrived for your department" in page and "月报" in page
    # Opening the report marks its notifications read.
    client.get(f"/documents/reports/{report.pk}/")
    assert not ReportNotification.objects.filter(read_at__isnull=True, recipient=sales_head.user)
    ReportNotification.objects.update(read_at=None)
    response = client.post("/documents/reports/notifications/")
    assert response.status_code == 302
    assert not ReportNotification.objects.filter(
        read_at__isnull=True, recipient=sales_head.user
    ).exists()
    # The source head's notification is theirs: untouched.
    assert ReportNotification.objects.filter(read_at__isnull=True).count() == 1
    # Others' notifications are never listed.
    client.force_login(plant.sales_member.user)
    assert "月报" not in client.get("/documents/reports/notifications/").content.decode()
