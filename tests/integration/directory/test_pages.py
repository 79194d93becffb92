"""The directory page, a person's card, a department page, and exports that address books and
spreadsheets read (the vCards parsed by vobject, an independent parser)."""

import csv
import io

import pytest
import vobject
from openpyxl import load_workbook

from portal.models import Department
from tests.integration.directory.conftest import inactive_employee

pytestmark = pytest.mark.django_db


def test_directory_groups_everyone_active_by_department_with_head_counts(
    signed_in, people, factory_departments
):
    inactive_employee("离职者", factory_departments["quality"])
    html = signed_in.get("/directory/").content.decode()
    # Production counts its section's member too; the deactivated person is not listed.
    assert '<summary>Production <span class="count">(2)</span></summary>' in html
    assert '<summary>Quality <span class="count">(3)</span></summary>' in html
    # The department's page is linked from the opened details, not from inside the toggle.
    assert "<summary><a" not in html and 'href="/directory/departments/quality/"' in html
    assert "离职者" not in html
    zhangwei = people["zhangwei"]
    assert f'href="mailto:{zhangwei.user.email}"' in html
    assert "Ext. 8001" in html


def test_a_persons_card_shows_their_details_and_a_deactivated_one_is_gone(
    signed_in, people, factory_departments
):
    person = people["zhangwen"]
    html = signed_in.get(f"/directory/people/{person.pk}/").content.decode()
    for value in (person.name, person.user.email, person.phone, "8003", "Inspector", "Quality"):
        assert value in html
    gone = inactive_employee("离职者", factory_departments["quality"])
    assert signed_in.get(f"/directory/people/{gone.pk}/").status_code == 404


def test_a_department_page_shows_its_head_sections_and_members(
    signed_in, people, factory_departments
):
    production = factory_departments["production"]
    Department.objects.filter(pk=production.pk).update(head=people["zhangwei"])
    html = signed_in.get("/directory/departments/production/").content.decode()
    assert f'href="/directory/people/{people["zhangwei"].pk}/">张伟</a>' in html
    assert "Rolling" in html and "/directory/departments/production-rolling/" in html
    assert signed_in.get("/directory/departments/nowhere/").status_code == 404


def test_the_site_search_links_a_colleague_to_their_card(people):
    from portal.directory.search_indexes import EmployeeIndex

    person = people["zhangwei"]
    assert EmployeeIndex().result(person, face="intranet").url == f"/directory/people/{person.pk}/"


def parse_vcards(response):
    assert response["Content-Type"].startswith("text/vcard")
    assert response["Cache-Control"] == "private, no-store"
    return list(vobject.readComponents(response.content.decode()))


def test_a_persons_vcard_round_trips_through_a_vcard_parser(signed_in, people):
    person = people["zhangwen"]
    (card,) = parse_vcards(signed_in.get(f"/directory/people/{person.pk}/vcard/"))
    assert card.version.value == "3.0"
    assert card.fn.value == "张文"
    assert card.n.value.family == "张" and card.n.value.given == "文"
    assert card.email.value == person.user.email
    assert {tel.value for tel in card.tel_list} == {person.phone, "8003"}
    assert card.title.value == "检验员"
    assert card.org.value[1] == "质检科"


def test_vcard_text_is_escaped_and_long_lines_are_folded(signed_in, people):
    person = people["zhangwei"]
    person.office = "生产楼三层, 东侧; 靠近楼梯的" + "长" * 40
    person.save()
    response = signed_in.get(f"/directory/people/{person.pk}/vcard/")
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))
    (card,) = parse_vcards(response)
    assert card.adr.value.street == person.office


def test_a_department_vcard_holds_its_members_and_its_sections(signed_in, people):
    cards = parse_vcards(signed_in.get("/directory/export.vcf", {"department": "production"}))
    assert sorted(card.fn.value for card in cards) == ["张伟", "张卫国"]


def test_a_search_result_exports_as_vcard_csv_and_excel(signed_in, people):
    cards = parse_vcards(signed_in.get("/directory/export.vcf", {"q": "zw"}))
    assert [card.fn.value for card in cards] == ["张伟", "张文", "张卫国"]

    response = signed_in.get("/directory/export.csv", {"q": "zw"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["张伟", "张文", "张卫国"]
    assert rows[1][5] == people["zhangwei"].user.email

    response = signed_in.get("/directory/export.xlsx", {"q": "zw"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in values[1:]] == ["张伟", "张文", "张卫国"]


def test_csv_cells_cannot_smuggle_formulas(signed_in, people):
    person = people["zhangwei"]
    person.office = '=HYPERLINK("http://x")'
    person.save()
    response = signed_in.get("/directory/export.csv", {"q": "张伟"})
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_an_unknown_export_format_is_not_found(signed_in, people):
    assert signed_in.get("/directory/export.pdf").status_code == 404


def test_directory_rows_escape_what_people_typed(signed_in, people):
    person = people["zhangwei"]
    person.office = '<script>alert("x")</script>'
    person.save()
    html = signed_in.get("/directory/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
