"""A report with several destinations: each destination decides on its own, the report's
state shows per destination, notifications name the destination; the seeded routes are the
plan's (source document 000); the migration converts the single destination."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from documents.circulation.models import (
    CircularReport,
    ReportDelivery,
    ReportNotification,
    ReportType,
)
from documents.circulation.services import (
    report_accept,
    report_approve,
    report_create,
    report_return,
    report_submit,
)
from portal.refusals import Refusal
from tests.factories.documents import ReportTypeFactory
from tests.factories.people import DepartmentFactory
from tests.integration.documents.conftest import employee_in

pytestmark = pytest.mark.django_db
S, D = CircularReport.Status, ReportDelivery.Status


@pytest.fixture
def two_ways(plant):
    """Quality inspection reports go from quality to storage and to audit."""
    storage = DepartmentFactory(code="storage", name="储运科")
    audit = DepartmentFactory(code="audit", name="审计科")
    for department in (storage, audit):
        department.head = employee_in(department)
        department.save()
    report_type = ReportTypeFactory(
        code="quality-inspection-report", source=plant.quality, destinations=[storage, audit]
    )
    return report_type, storage, audit


def sent(plant, report_type):
    report = report_create(
        actor=plant.quality_member.user, report_type=report_type, title="质检报告", body="x"
    )
    report = report_submit(actor=plant.quality_member.user, report=report)
    return report_approve(actor=plant.quality_head.user, report=report)


def states(report):
    return dict(report.deliveries.values_list("destination__code", "status"))


def test_each_destination_decides_on_its_own(plant, two_ways):
    report_type, storage, audit = two_ways
    report = sent(plant, report_type)
    assert states(report) == {"storage": D.SENT, "audit": D.SENT}
    report = report_accept(actor=storage.head.user, report=report)
    assert report.status == S.SENT  # audit has still to decide
    assert states(report) == {"storage": D.ACCEPTED, "audit": D.SENT}
    with pytest.raises(Refusal) as twice:
        report_accept(actor=storage.head.user, report=report)
    assert twice.value.status == 409
    report = report_accept(actor=audit.head.user, report=report)
    assert report.status == S.ACCEPTED
    steps = list(report.steps.filter(action="accepted").values_list("department__code", flat=True))
    assert steps == ["storage", "audit"]


def test_a_return_by_one_sends_the_revision_only_to_it(plant, two_ways):
    report_type, storage, audit = two_ways
    report = sent(plant, report_type)
    report = report_return(actor=audit.head.user, report=report, comment="请补充批次")
    assert report.status == S.SENT  # storage has still to decide
    report = report_accept(actor=storage.head.user, report=report)
    assert report.status == S.RETURNED
    report = report_submit(actor=plant.quality_member.user, report=report)
    report = report_approve(actor=plant.quality_head.user, report=report)
    assert states(report) == {"storage": D.ACCEPTED, "audit": D.SENT}
    sent_again = ReportNotification.objects.filter(kind="sent").values_list(
        "department__code", flat=True
    )
    assert sorted(sent_again) == ["audit", "audit", "storage"]


def test_a_head_of_another_department_cannot_decide(plant, two_ways):
    report_type, storage, audit = two_ways
    report = sent(plant, report_type)
    with pytest.raises(Refusal) as refused:
        report_accept(actor=plant.quality_head.user, report=report)
    assert refused.value.status == 403
    assert states(report) == {"storage": D.SENT, "audit": D.SENT}


def test_the_pages_show_each_destination_and_its_own_buttons(client, intranet, plant, two_ways):
    report_type, storage, audit = two_ways
    report = sent(plant, report_type)
    client.force_login(storage.head.user)
    html = client.get(f"/documents/reports/{report.pk}/").content.decode()
    assert 'data-destination="storage"' in html and 'data-destination="audit"' in html
    assert html.count('data-action="accept"') == 1
    response = client.post(
        f"/documents/reports/{report.pk}/accept/", {"destination": storage.pk, "comment": ""}
    )
    assert response.status_code == 302
    assert states(report) == {"storage": D.ACCEPTED, "audit": D.SENT}
    # Storage's inbox shows its own decision; the drafter sees both.
    inbox = client.get("/documents/reports/", {"box": "inbox"}).content.decode()
    assert "status-accepted" in inbox
    client.force_login(plant.quality_member.user)
    outbox = client.get("/documents/reports/", {"box": "outbox"}).content.decode()
    assert "status-accepted" in outbox and "status-sent" in outbox
    # Audit's head decides too; a post for storage is refused.
    client.force_login(audit.head.user)
    response = client.post(
        f"/documents/reports/{report.pk}/accept/", {"destination": storage.pk, "comment": ""}
    )
    assert response.status_code == 403


def test_the_seeded_routes_are_the_plans(db):
    from documents.circulation.services import report_types_ensure

    codes = {
        "sales", "planning", "production", "purchasing", "director-office", "quality",
        "storage", "audit", "finance", "enterprise-management",
    }  # fmt: skip
    for code in codes:
        DepartmentFactory(code=code)
    ReportType.objects.all().delete()
    report_types_ensure()
    routes = {
        t.code: (t.source.code, sorted(d.code for d in t.destinations.all()))
        for t in ReportType.objects.prefetch_related("destinations").select_related("source")
    }
    assert routes["material-demand-plan"] == ("production", ["planning"])
    assert routes["procurement-plan"] == ("planning", ["purchasing"])
    assert routes["price-declaration"] == ("purchasing", ["planning"])
    assert routes["quality-inspection-report"] == ("quality", ["audit", "storage"])
    assert routes["raw-material-price-ceiling"] == ("purchasing", ["director-office"])
    assert routes["price-control"] == ("audit", ["director-office"])


def test_the_migration_converts_the_destination_and_reroutes(plant):
    migration = importlib.import_module("documents.migrations.0003_report_destinations")
    for code in ("production", "purchasing", "planning"):
        DepartmentFactory(code=code)
    seeded = ReportTypeFactory(code="material-demand-plan", destination=plant.sales)
    seeded.destinations.clear()
    migration.routes_as_in_the_plan(apps, None)
    seeded.refresh_from_db()
    assert seeded.source.code == "production"
    assert [d.code for d in seeded.destinations.all()] == ["planning"]


def test_demo_logins_include_every_route_head_who_can_sign_in(client, settings):
    from documents.demo import DEMO_LOGINS
    from portal.demo import DEMO_PASSWORD
    from portal.models import Department
    from tests.conftest import set_face

    call_command("seed_demo", verbosity=0)
    logins = dict(DEMO_LOGINS)
    for code in ("storage", "audit", "planning", "purchasing", "director-office"):
        head = Department.objects.get(code=code).head
        assert head.employee_number in logins.values()
    set_face(settings, "intranet")
    storage_head = Department.objects.get(code="storage").head.employee_number
    response = client.post("/accounts/login/", {"login": storage_head, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert ReportDelivery.objects.filter(destination__code="storage").exists()


def test_notifications_name_the_destination_and_overdue_reminds_only_the_pending_one(
    plant, two_ways, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from documents.circulation.notifications import reports_remind_overdue
    from tests.worker import run_worker

    report_type, storage, audit = two_ways
    with django_capture_on_commit_callbacks(execute=True):
        report = sent(plant, report_type)
    arrived = dict(
        ReportNotification.objects.filter(kind="sent").values_list("recipient_id", "department")
    )
    assert arrived == {storage.head.user_id: storage.pk, audit.head.user_id: audit.pk}
    with django_capture_on_commit_callbacks(execute=True):
        report_accept(actor=storage.head.user, report=report)
    accepted = ReportNotification.objects.filter(kind="accepted")
    assert {n.department_id for n in accepted} == {storage.pk}
    assert plant.quality_member.user_id in {n.recipient_id for n in accepted}
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_remind_overdue(now=timezone.now() + timedelta(days=30)) == 1
    overdue = ReportNotification.objects.filter(kind="overdue")
    assert [(n.recipient_id, n.department_id) for n in overdue] == [(audit.head.user_id, audit.pk)]
    mail.outbox.clear()
    run_worker("default")
    reminder = next(m for m in mail.outbox if audit.head.user.email in m.to)
    assert audit.name in reminder.body
