"""The other pages: editing, repealing, report editing, Wagtail admin of the reference data,
and their query counts."""

import pytest
from django.utils import timezone

from documents.circulation.models import CircularReport
from documents.circulation.services import report_create
from documents.register.models import Category, PolicyDocument
from documents.register.services import document_acknowledge
from portal.models import Employee
from tests.factories.documents import (
    CircularReportFactory,
    PolicyDocumentFactory,
    ReportTypeFactory,
)
from tests.factories.people import EmployeeFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


def test_the_manager_revises_a_document_but_not_its_number(client, intranet, plant):
    document = PolicyDocumentFactory(issuing_department=plant.office, sequence=7)
    client.force_login(plant.manager.user)
    response = client.post(
        f"/documents/{document.pk}/edit/",
        {"title": "新标题", "level": "department", "summary": "摘要", "sequence": 99},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.level, document.sequence) == ("新标题", "department", 7)


def test_repealing_asks_for_a_reason_first(client, english, intranet, plant):
    document = PolicyDocumentFactory(issuing_department=plant.office)
    client.force_login(plant.manager.user)
    page = client.get(f"/documents/{document.pk}/repeal/")
    assert "This cannot be undone." in page.content.decode()
    assert client.post(f"/documents/{document.pk}/repeal/", {"reason": ""}).status_code == 400
    assert PolicyDocument.objects.get(pk=document.pk).status == "in_force"
    assert client.post(f"/documents/{document.pk}/repeal/", {"reason": "已过时"}).status_code == 302
    assert PolicyDocument.objects.get(pk=document.pk).status == "repealed"


def test_the_register_form_suggests_the_next_numbers(client, intranet, plant):
    PolicyDocumentFactory(
        issuing_department=plant.quality, year=timezone.localdate().year, sequence=41
    )
    client.force_login(plant.manager.user)
    html = client.get("/documents/new/").content.decode()
    assert f"{plant.quality.name}: 42" in html


def test_the_drafter_edits_a_draft_and_no_one_else_does(client, intranet, plant):
    report_type = ReportTypeFactory(source=plant.quality, destination=plant.sales)
    report = report_create(
        actor=plant.quality_member.user, report_type=report_type, title="初稿", body="x"
    )
    client.force_login(plant.lab_member.user)
    assert client.get(f"/documents/reports/{report.pk}/").status_code == 200
    assert client.get(f"/documents/reports/{report.pk}/edit/").status_code == 404
    client.force_login(plant.quality_member.user)
    response = client.post(
        f"/documents/reports/{report.pk}/edit/", {"title": "定稿", "body": "正文", "period": ""}
    )
    assert response.status_code == 302
    assert CircularReport.objects.get(pk=report.pk).title == "定稿"


def test_document_managers_keep_the_categories_in_wagtail_admin(client, intranet, plant):
    client.force_login(plant.manager.user)
    assert client.get("/admin/documents/categories/").status_code == 200
    response = client.post(
        "/admin/documents/categories/new/",
        {"name": "安全生产", "name_en": "Safety", "sort_order": 0},
    )
    assert response.status_code == 302
    assert Category.objects.filter(name="安全生产").exists()
    # Report types are the administrators'.
    assert client.get("/admin/documents/report-types/").status_code in (302, 403)


def test_the_acknowledgement_report_has_bounded_queries(client, intranet, plant):
    document = PolicyDocumentFactory(issuing_department=plant.office, requires_acknowledgement=True)

    def grow(n):
        for _ in range(Employee.objects.count(), n):
            employee = EmployeeFactory(department=plant.quality)
            document_acknowledge(user=employee.user, document=document)

    client.force_login(plant.manager.user)
    assert_bounded_queries(
        client, f"/documents/{document.pk}/acknowledgements/", grow, max_queries=12
    )


def test_a_report_page_has_bounded_queries(client, intranet, plant):
    report = CircularReportFactory(
        report_type=ReportTypeFactory(source=plant.quality, destination=plant.sales),
        drafter=plant.quality_member.user,
    )

    def grow(n):
        for index in range(report.steps.count(), n):
            report.steps.create(
                action="submitted", actor=plant.quality_member.user, comment=str(index)
            )

    client.force_login(plant.quality_member.user)
    assert_bounded_queries(client, f"/documents/reports/{report.pk}/", grow, max_queries=10)
