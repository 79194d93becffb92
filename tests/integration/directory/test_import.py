"""Bulk import of employees: a dry run lists each row's errors and creates nothing; confirming
creates every row or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from portal.models import AuditEntry, Employee, User

pytestmark = pytest.mark.django_db

HEADING = ["工号", "姓名", "部门", "职位", "邮箱", "电话", "分机", "办公室"]


def xlsx(rows, heading=HEADING):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("staff.xlsx", buffer.getvalue())


def csv_file(text, name="staff.csv"):
    return SimpleUploadedFile(name, text.encode())


GOOD_ROWS = [
    [
        "E10001",
        "单田芳",
        "quality",
        "",
        "shan.tianfang@factory.example.com",
        "13800000001",
        8101,
        "B201",
    ],
    ["E10002", "曾小贤", "质检科", "", "zeng.xiaoxian@factory.example.com", "", "8102", ""],
]


def upload(client, sheet):
    response = client.post("/directory/import/", {"sheet": sheet})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get("/directory/import/preview/")


def test_a_dry_run_lists_every_rows_errors_and_creates_nothing(
    admin_client, factory_departments, people
):
    taken = people["zhangwei"]
    rows = [
        GOOD_ROWS[0],
        ["E10003", "", "nowhere", "", "not-an-email", "", "", ""],
        [taken.employee_number, "重复", "quality", "", taken.user.email, "", "", ""],
        ["E10001", "又一个", "quality", "", "shan.tianfang@factory.example.com", "", "", ""],
    ]
    before = Employee.objects.count()
    html = upload(admin_client, xlsx(rows)).content.decode()
    assert "Unknown department: nowhere." in html
    for fragment in ("not-an-email", taken.email, "E10001"):
        assert fragment in html
    assert html.count('class="has-errors"') == 3
    assert 'name="confirm"' not in html
    assert Employee.objects.count() == before

    # Even a forced confirmation creates nothing while a row is wrong.
    response = admin_client.post("/directory/import/confirm/", {"confirm": "1"})
    assert response.status_code == 302
    assert Employee.objects.count() == before
    assert not User.objects.filter(username="E10001").exists()


def test_confirming_a_clean_sheet_creates_everyone(admin_client, factory_departments):
    html = upload(admin_client, xlsx(GOOD_ROWS)).content.decode()
    assert 'name="confirm"' in html and 'class="has-errors"' not in html
    assert not Employee.objects.filter(employee_number="E10001").exists()

    response = admin_client.post("/directory/import/confirm/", {"confirm": "1"})
    assert response.status_code == 302
    shan = Employee.objects.get(employee_number="E10001")
    assert shan.name_pinyin == "shan tian fang"
    assert shan.extension == "8101"
    assert shan.department == factory_departments["quality"]
    assert shan.user.email == "shan.tianfang@factory.example.com"
    assert Employee.objects.get(employee_number="E10002").department.code == "quality"
    assert AuditEntry.objects.filter(action="employee.imported").exists()
    # The kept file is gone with the import: confirming again has nothing to import.
    admin_client.post("/directory/import/confirm/", {"confirm": "1"})
    assert Employee.objects.filter(employee_number__in=["E10001", "E10002"]).count() == 2


def test_a_csv_sheet_in_gb18030_is_read(admin_client, factory_departments):
    text = (
        "employee_number,name,department,email\nE20001,覃明,quality,qin.ming@factory.example.com\n"
    )
    sheet = SimpleUploadedFile("staff.csv", text.encode("gb18030"))
    html = upload(admin_client, sheet).content.decode()
    assert "覃明" in html and 'name="confirm"' in html


def test_a_sheet_without_the_required_columns_is_refused_with_a_message(
    admin_client, factory_departments
):
    html = upload(admin_client, csv_file("name,phone\n张三,123\n")).content.decode()
    assert "employee_number" in html and 'name="confirm"' not in html


def test_a_file_that_is_not_a_sheet_is_refused(admin_client):
    response = admin_client.post(
        "/directory/import/", {"sheet": SimpleUploadedFile("staff.pdf", b"%PDF")}
    )
    assert response.status_code == 400
    broken = SimpleUploadedFile("staff.xlsx", b"not a workbook")
    html = upload(admin_client, broken).content.decode()
    assert 'name="confirm"' not in html


def test_cancelling_discards_the_kept_file(admin_client, factory_departments):
    upload(admin_client, xlsx(GOOD_ROWS))
    admin_client.post("/directory/import/confirm/", {"cancel": "1"})
    response = admin_client.post("/directory/import/confirm/", {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == "/directory/import/"
    assert not Employee.objects.filter(employee_number="E10001").exists()


def test_only_administrators_import(client, intranet, employee):
    client.force_login(employee)
    assert client.get("/directory/import/").status_code == 403
    assert client.post("/directory/import/confirm/", {"confirm": "1"}).status_code == 403
