"""Report circulation: the state machine, who may take each step, who sees what."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.circulation.models import CircularReport, ReportStep, ReportType
from documents.circulation.selectors import report_box, reports_visible_to
from documents.circulation.services import (
    report_accept,
    report_approve,
    report_create,
    report_return,
    report_return_to_drafter,
    report_submit,
    report_types_ensure,
)
from portal.models import AuditEntry
from portal.refusals import Refusal
from tests.factories.documents import ReportTypeFactory

pytestmark = pytest.mark.django_db
S = CircularReport.Status


@pytest.fixture
def route(plant):
    """Quality inspection reports go from quality to sales (whose head is set here)."""
    from tests.integration.documents.conftest import employee_in

    sales_head = employee_in(plant.sales)
    plant.sales.head = sales_head
    plant.sales.save()
    report_type = ReportTypeFactory(
        code="quality-report", source=plant.quality, destination=plant.sales, due_hours=24
    )
    return report_type, sales_head


def draft(plant, report_type, actor=None):
    return report_create(
        actor=actor or plant.quality_member.user,
        report_type=report_type,
        title="十一月质量检验报告",
        body="合格率 99.2%",
        period="2026-11",
        attachments=[SimpleUploadedFile("明细.xlsx", b"PK")],
    )


def test_the_whole_way_with_each_step_recorded(plant, route):
    report_type, sales_head = route
    report = draft(plant, report_type)
    report = report_submit(actor=plant.quality_member.user, report=report)
    report = report_approve(actor=plant.quality_head.user, report=report, comment="同意")
    assert report.status == S.SENT
    assert report.due_at == report.sent_at + timedelta(hours=24)
    report = report_return(actor=sales_head.user, report=report, comment="请补充批次")
    assert report.status == S.RETURNED
    report = report_submit(actor=plant.quality_member.user, report=report)
    report = report_approve(actor=plant.quality_head.user, report=report)
    report = report_accept(actor=sales_head.user, report=report)
    assert report.status == S.ACCEPTED
    steps = list(report.steps.values_list("action", "actor_id", "comment"))
    A = ReportStep.Action
    assert steps == [
        (A.CREATED, plant.quality_member.user_id, ""),
        (A.SUBMITTED, plant.quality_member.user_id, ""),
        (A.APPROVED, plant.quality_head.user_id, "同意"),
        (A.RETURNED, sales_head.user_id, "请补充批次"),
        (A.SUBMITTED, plant.quality_member.user_id, ""),
        (A.APPROVED, plant.quality_head.user_id, ""),
        (A.ACCEPTED, sales_head.user_id, ""),
    ]
    assert (
        AuditEntry.objects.filter(target_id=str(report.pk), action__startswith="report.").count()
        == 7
    )


def test_the_source_head_can_return_it_to_the_drafter_with_a_comment(plant, route):
    report_type, _ = route
    report = report_submit(actor=plant.quality_member.user, report=draft(plant, report_type))
    with pytest.raises(Refusal) as no_comment:
        report_return_to_drafter(actor=plant.quality_head.user, report=report, comment=" ")
    assert no_comment.value.status == 400
    report = report_return_to_drafter(
        actor=plant.quality_head.user, report=report, comment="数据不全"
    )
    assert report.status == S.RETURNED_TO_DRAFTER


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("approve", S.DRAFT),
        ("accept", S.SUBMITTED),
        ("return", S.DRAFT),
        ("submit", S.SENT),
        ("accept", S.ACCEPTED),
        ("approve", S.ACCEPTED),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message_and_a_409(
    client, english, intranet, plant, route, step, status
):
    report_type, sales_head = route
    report = draft(plant, report_type)
    CircularReport.objects.filter(pk=report.pk).update(
        status=status, sent_at=timezone.now(), due_at=timezone.now()
    )
    actor = {
        "approve": plant.quality_head,
        "accept": sales_head,
        "return": sales_head,
        "submit": plant.quality_member,
    }[step]
    client.force_login(actor.user)
    response = client.post(f"/documents/reports/{report.pk}/{step}/", {"comment": "x"})
    assert response.status_code == 409
    assert "The report is now:" in response.content.decode()
    report.refresh_from_db()
    assert report.status == status


def test_the_wrong_person_is_refused_with_a_403(client, english, intranet, plant, route):
    report_type, sales_head = route
    report = report_submit(actor=plant.quality_member.user, report=draft(plant, report_type))
    # The destination head cannot approve for the source department.
    client.force_login(sales_head.user)
    assert (
        client.post(f"/documents/reports/{report.pk}/approve/").status_code == 404
    )  # not sent yet
    client.force_login(plant.quality_member.user)
    response = client.post(f"/documents/reports/{report.pk}/approve/")
    assert response.status_code == 403
    assert "approves its reports" in response.content.decode()
    assert CircularReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_only_the_source_department_drafts(plant, route):
    report_type, _ = route
    with pytest.raises(Refusal):
        draft(plant, report_type, actor=plant.sales_member.user)
    # A member of a section drafts for the section's department.
    assert draft(plant, report_type, actor=plant.lab_member.user).source == plant.quality


def test_both_departments_and_the_director_s_office_see_it_nobody_else(plant, route):
    from tests.factories.people import DepartmentFactory
    from tests.integration.documents.conftest import employee_in

    report_type, sales_head = route
    report = draft(plant, report_type)
    office_member = employee_in(plant.office)
    outsider = employee_in(DepartmentFactory(code="storage"))

    def sees(employee):
        return reports_visible_to(user=employee.user).filter(pk=report.pk).exists()

    # A draft stays in the source department.
    assert sees(plant.quality_member) and sees(plant.lab_member)
    assert not sees(sales_head) and not sees(office_member)
    report = report_submit(actor=plant.quality_member.user, report=report)
    report_approve(actor=plant.quality_head.user, report=report)
    assert sees(sales_head) and sees(plant.sales_member) and sees(office_member)
    assert not sees(outsider)


def test_an_outsider_gets_404_for_the_report_and_its_attachment(client, intranet, plant, route):
    from tests.factories.people import DepartmentFactory
    from tests.integration.documents.conftest import employee_in

    report_type, _ = route
    report = draft(plant, report_type)
    attachment = report.attachments.get()
    client.force_login(employee_in(DepartmentFactory()).user)
    assert client.get(f"/documents/reports/{report.pk}/").status_code == 404
    assert (
        client.get(f"/documents/reports/{report.pk}/attachments/{attachment.pk}/").status_code
        == 404
    )
    client.force_login(plant.quality_member.user)
    response = client.get(f"/documents/reports/{report.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_inbox_marks_overdue_reports_and_filters_by_status(
    client, english, intranet, plant, route
):
    report_type, sales_head = route
    late = report_submit(actor=plant.quality_member.user, report=draft(plant, report_type))
    late = report_approve(actor=plant.quality_head.user, report=late)
    CircularReport.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    fresh = report_submit(actor=plant.quality_member.user, report=draft(plant, report_type))
    report_approve(actor=plant.quality_head.user, report=fresh)
    draft(plant, report_type)  # never in the inbox

    inbox = report_box(user=sales_head.user, department=plant.sales, box="inbox")
    assert inbox.count() == 2
    overdue = report_box(
        user=sales_head.user, department=plant.sales, box="inbox", status="overdue"
    )
    assert list(overdue) == [CircularReport.objects.get(pk=late.pk)]

    client.force_login(sales_head.user)
    html = client.get("/documents/reports/", {"box": "inbox"}).content.decode()
    assert html.count('class="badge overdue"') == 1
    outbox = report_box(user=plant.quality_member.user, department=plant.quality, box="outbox")
    assert outbox.count() == 3


def test_default_report_types_are_created_where_departments_exist(db):
    from tests.factories.people import DepartmentFactory

    for code in ("finance", "audit", "enterprise-management"):
        DepartmentFactory(code=code)
    ReportType.objects.all().delete()
    created = report_types_ensure()
    routes = set(ReportType.objects.values_list("code", "source__code", "destinations__code"))
    assert routes == {
        ("procurement-basis-finance-audit", "finance", "audit"),
        ("procurement-basis-audit-management", "audit", "enterprise-management"),
    }
    assert created == 2
    assert report_types_ensure() == 0


def test_drafting_through_the_pages(client, intranet, plant, route):
    report_type, _ = route
    client.force_login(plant.quality_member.user)
    assert client.get("/documents/reports/new/").status_code == 200
    response = client.post(
        f"/documents/reports/new/?report_type={report_type.pk}",
        {"title": "报告", "body": "正文", "period": "2026-11"},
    )
    report = CircularReport.objects.get()
    assert response.status_code == 302
    assert report.drafter == plant.quality_member.user
    assert client.post(f"/documents/reports/{report.pk}/submit/").status_code == 302
    assert CircularReport.objects.get().status == S.SUBMITTED
