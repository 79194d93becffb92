"""The directory import offers a template to fill in: Chinese headings and an example row that
the import itself accepts as it is."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from portal.models import Department, Position

pytestmark = pytest.mark.django_db


def test_the_upload_page_links_the_template(admin_client):
    html = admin_client.get("/directory/import/").content.decode()
    assert 'href="/directory/import/template/"' in html


def test_the_template_has_chinese_headings_and_an_example_the_import_accepts(
    admin_client, factory_departments
):
    Position.objects.create(name="检验员", name_en="Inspector", rank=40)
    response = admin_client.get("/directory/import/template/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    heading, example = list(sheet.iter_rows(values_only=True))[:2]
    assert heading[:4] == ("工号", "姓名", "部门", "邮箱")
    assert Department.objects.filter(name=example[2]).exists()

    # The template, uploaded unchanged, previews without an error.
    upload = SimpleUploadedFile("template.xlsx", response.content)
    assert admin_client.post("/directory/import/", {"sheet": upload}).status_code == 302
    html = admin_client.get("/directory/import/preview/").content.decode()
    assert 'class="has-errors"' not in html and 'name="confirm"' in html


def test_employees_cannot_download_the_template(client, intranet, employee):
    client.force_login(employee)
    assert client.get("/directory/import/template/").status_code == 403
