"""Read acknowledgement: the audience confirms, the manager sees who has and who has not."""

import io

import pytest
from openpyxl import load_workbook

from documents.register.services import access_grant_department, document_acknowledge
from tests.factories.documents import PolicyDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def must_read(plant):
    document = PolicyDocumentFactory(
        issuing_department=plant.office, is_restricted=True, requires_acknowledgement=True
    )
    access_grant_department(actor=plant.head.user, document=document, department=plant.quality)
    return document


def test_readers_acknowledge_once_and_the_manager_sees_who_has_not(
    client, english, intranet, plant, must_read
):
    client.force_login(plant.quality_member.user)
    assert client.post(f"/documents/{must_read.pk}/acknowledge/").status_code == 302
    assert client.post(f"/documents/{must_read.pk}/acknowledge/").status_code == 302
    assert must_read.acknowledgements.count() == 1

    client.force_login(plant.manager.user)
    html = client.get(f"/documents/{must_read.pk}/acknowledgements/").content.decode()
    # Audience: quality, its lab (sections included) and the issuing head.
    assert "1 of 4 have acknowledged; 3 have not yet." in html
    pending = client.get(
        f"/documents/{must_read.pk}/acknowledgements/?show=pending"
    ).content.decode()
    assert plant.lab_member.employee_number in pending
    assert plant.quality_member.employee_number not in pending
    assert plant.sales_member.employee_number not in html


def test_someone_who_may_not_read_it_cannot_acknowledge_it(client, intranet, plant, must_read):
    client.force_login(plant.sales_member.user)
    assert client.post(f"/documents/{must_read.pk}/acknowledge/").status_code == 404
    assert not must_read.acknowledgements.exists()


def test_a_document_without_acknowledgement_refuses_it_with_a_4xx(client, intranet, plant):
    document = PolicyDocumentFactory(issuing_department=plant.office)
    client.force_login(plant.sales_member.user)
    assert client.post(f"/documents/{document.pk}/acknowledge/").status_code == 409


def test_the_excel_export_lists_everyone_with_their_answer(client, intranet, plant, must_read):
    document_acknowledge(user=plant.lab_member.user, document=must_read)
    client.force_login(plant.manager.user)
    response = client.get(f"/documents/{must_read.pk}/acknowledgements.xlsx")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[3] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {
        plant.quality_member.employee_number,
        plant.lab_member.employee_number,
        plant.quality_head.employee_number,
        plant.head.employee_number,
    }
    assert rows[plant.lab_member.employee_number][:2] == "20"
    assert rows[plant.quality_member.employee_number] != rows[plant.lab_member.employee_number]


def test_ordinary_readers_do_not_see_the_report(client, intranet, plant, must_read):
    client.force_login(plant.quality_member.user)
    assert client.get(f"/documents/{must_read.pk}/acknowledgements/").status_code == 404
    assert client.get(f"/documents/{must_read.pk}/acknowledgements.xlsx").status_code == 404
