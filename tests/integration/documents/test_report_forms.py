"""Each report type drafts with its own form: rendered, checked on the server, shown formatted
on the received report. Types without fields keep the generic form."""

import pytest
from django.core.exceptions import ValidationError

from documents.circulation.models import CircularReport, ReportType
from documents.circulation.report_types import DEFAULT_SCHEMAS
from documents.circulation.services import report_types_ensure
from tests.factories.documents import ReportTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality_type(plant):
    return ReportTypeFactory(
        code="quality-inspection-report",
        source=plant.quality,
        destination=plant.sales,
        fields=DEFAULT_SCHEMAS["quality-inspection-report"],
    )


def valid_post(**changes):
    data = {
        "title": "11月质量检验报告",
        "period": "2026-11",
        "f_batch": "B-2026-11-07",
        "f_inspected_on": "2026-11-20",
        "f_conclusion": "pass",
        "f_pass_rate": "99.25",
        "f_items-0-item": "含水率",
        "f_items-0-standard": "12±1%",
        "f_items-0-result": "12.3%",
    }
    data.update(changes)
    return data


def test_the_form_shows_the_type_s_own_fields_in_the_reader_s_language(
    client, english, intranet, plant, quality_type
):
    client.force_login(plant.quality_member.user)
    html = client.get(f"/documents/reports/new/?report_type={quality_type.pk}").content.decode()
    for label in ("Batch", "Inspection date", "Conclusion", "Pass rate (%)", "Inspection items"):
        assert label in html
    assert 'name="f_inspected_on"' in html and 'type="date"' in html
    assert "name='f_items-0-standard'" in html
    assert '<option value="conditional">Conditional</option>' in html


def test_missing_and_malformed_answers_are_refused_with_a_400(
    client, english, intranet, plant, quality_type
):
    client.force_login(plant.quality_member.user)
    url = f"/documents/reports/new/?report_type={quality_type.pk}"
    response = client.post(url, valid_post(f_batch="", f_pass_rate="ninety", f_conclusion="maybe"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert "Enter a number." in html
    assert "Select a valid choice." in html
    response = client.post(url, valid_post(**{"f_items-1-result": "x", "f_inspected_on": "soon"}))
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert not CircularReport.objects.exists()


def test_answers_are_kept_and_shown_formatted_on_the_received_report(
    client, english, intranet, plant, quality_type
):
    client.force_login(plant.quality_member.user)
    response = client.post(
        f"/documents/reports/new/?report_type={quality_type.pk}",
        valid_post(f_pass_rate="1234.5"),
    )
    assert response.status_code == 302
    report = CircularReport.objects.get()
    assert report.body == ""
    assert report.data == {
        "batch": "B-2026-11-07",
        "inspected_on": "2026-11-20",
        "conclusion": "pass",
        "pass_rate": "1234.5",
        "items": [{"item": "含水率", "standard": "12±1%", "result": "12.3%"}],
    }
    html = client.get(f"/documents/reports/{report.pk}/").content.decode()
    assert "<dt>Pass rate (%)</dt><dd>1,234.5</dd>" in html
    assert "<dt>Conclusion</dt><dd>Pass</dd>" in html
    assert "Nov. 20, 2026" in html
    assert "<td>12±1%</td>" in html


def test_editing_shows_the_answers_again_and_saves_changes(client, intranet, plant, quality_type):
    client.force_login(plant.quality_member.user)
    client.post(f"/documents/reports/new/?report_type={quality_type.pk}", valid_post())
    report = CircularReport.objects.get()
    html = client.get(f"/documents/reports/{report.pk}/edit/").content.decode()
    assert 'value="B-2026-11-07"' in html and "value='含水率'" in html
    response = client.post(f"/documents/reports/{report.pk}/edit/", valid_post(f_batch="B-8"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.data["batch"] == "B-8"


def test_a_type_without_fields_keeps_the_generic_form(client, english, intranet, plant):
    generic = ReportTypeFactory(code="other", source=plant.quality, destination=plant.sales)
    client.force_login(plant.quality_member.user)
    url = f"/documents/reports/new/?report_type={generic.pk}"
    assert 'name="f_' not in client.get(url).content.decode()
    assert client.post(url, {"title": "其他", "body": ""}).status_code == 400  # content required
    assert client.post(url, {"title": "其他", "body": "正文"}).status_code == 302


def test_an_administrator_cannot_save_a_broken_schema(plant, quality_type):
    quality_type.fields = [{"name": "batch", "label": "批次", "kind": "spreadsheet"}]
    with pytest.raises(ValidationError) as refused:
        quality_type.full_clean()
    assert "fields" in refused.value.message_dict


def test_the_schema_is_edited_in_wagtail_admin(client, intranet, plant, quality_type):
    from tests.factories.people import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/admin/documents/report-types/edit/{quality_type.pk}/"
    assert 'name="fields"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": quality_type.name,
            "name_en": "",
            "code": quality_type.code,
            "source": plant.quality.pk,
            "destinations": [plant.sales.pk],
            "due_hours": 48,
            "guidance": "",
            "fields": '[{"name": "batch", "label": "批次", "kind": "spreadsheet"}]',
            "is_active": "on",
            "sort_order": 0,
        },
    )
    assert response.status_code == 200  # shown again with the error
    quality_type.refresh_from_db()
    assert quality_type.fields == DEFAULT_SCHEMAS["quality-inspection-report"]


def test_seeded_types_get_their_forms(db):
    from tests.factories.people import DepartmentFactory

    for code in ("quality", "storage", "audit", "director-office", "planning"):
        DepartmentFactory(code=code)
    ReportType.objects.all().delete()
    report_types_ensure()
    assert (
        ReportType.objects.get(code="quality-inspection-report").fields
        == DEFAULT_SCHEMAS["quality-inspection-report"]
    )
    assert ReportType.objects.get(code="other").fields == []


def test_the_migration_gives_existing_seeded_types_their_forms(plant):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("documents.migrations.0002_report_forms_and_notifications")
    kept = ReportTypeFactory(
        code="sales-plan", fields=[{"name": "x", "label": "X", "kind": "text"}]
    )
    empty = ReportTypeFactory(code="price-control", fields=[])
    migration.seeded_forms(apps, None)
    kept.refresh_from_db()
    empty.refresh_from_db()
    assert kept.fields == [{"name": "x", "label": "X", "kind": "text"}]
    assert empty.fields == DEFAULT_SCHEMAS["price-control"]
