"""A restricted regulation in the browser: the document manager registers it with its PDF, the
head of the issuing department grants a department, a member of that department finds it by a
phrase of the PDF, and a member of another department does not."""

import re

import pytest
from haystack import connections
from playwright.sync_api import expect

from portal.permissions import Role
from tests.factories.documents import chinese_pdf
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, open_menu, sign_in, sign_out
from tests.worker import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHRASE = "烟叶仓储温湿度控制"


def signed_in(page, live_server, login):
    sign_in(page, login)
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/$"))


def person(department, roles=()):
    return EmployeeFactory(department=department, user=UserFactory(roles=list(roles)))


@pytest.fixture
def empty_indexes():
    for alias in connections.connections_info:
        connections[alias].get_backend().clear()
    yield
    for alias in connections.connections_info:
        connections[alias].get_backend().clear()


def test_restricted_document_reaches_only_the_granted_department(
    page, live_server, intranet, tmp_path, empty_indexes, screenshot_dir
):
    office = DepartmentFactory(
        code="director-office", name="厂长办公室", name_en="Director's Office"
    )
    storage = DepartmentFactory(code="storage", name="储运科", name_en="Storage")
    sales = DepartmentFactory(code="sales", name="销售科", name_en="Sales")
    head = person(office, [Role.DEPARTMENT_HEAD])
    office.head = head
    office.save()
    manager = person(office, [Role.DOCUMENT_MANAGER])
    reader = person(storage)
    outsider = person(sales)
    pdf = tmp_path / "仓储规定.pdf"
    pdf.write_bytes(chinese_pdf(f"第五条 {PHRASE}：库房温度不高于三十摄氏度。"))

    # The document manager registers the restricted document with its PDF and publishes it.
    signed_in(page, live_server, manager.user.username)
    page.goto("/documents/new/")
    form = page.locator("main form.stacked")
    form.locator("select[name=issuing_department]").select_option(str(office.pk))
    form.locator("input[name=number_prefix]").fill("厂办")
    form.locator("input[name=title]").fill("烟叶仓储管理规定")
    form.locator("select[name=level]").select_option("factory")
    form.locator("input[name=is_restricted]").check()
    form.locator("input[name=official_file]").set_input_files(str(pdf))
    form.locator("button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("烟叶仓储管理规定")
    expect(page.locator(".doc-number").first).to_contain_text("厂办〔")
    page.locator("form[action$='/publish/'] button").click()
    expect(page.locator(".status-in_force")).to_be_visible()
    document_url = page.url
    sign_out(page)

    # The file's text is extracted, and the document indexed, by the workers.
    run_worker("default")
    run_worker("search")

    # The head of the issuing department grants the storage department.
    signed_in(page, live_server, head.user.username)
    page.goto(document_url)
    page.locator("a[href$='/access/']").click()
    grant = page.locator("form.grant-form")
    grant.locator("select[name=department]").select_option(str(storage.pk))
    grant.locator("button[type=submit]").click()
    expect(page.locator("ul.grant-list[data-kind=department] li")).to_contain_text("储运科")
    sign_out(page)

    # A member of the storage department finds it by a phrase of the PDF, on a phone.
    signed_in(page, live_server, reader.user.username)
    page.set_viewport_size(PHONE)
    open_menu(page)
    box = page.locator("header form[role=search] input[name=q]")
    box.fill(PHRASE)
    box.press("Enter")
    results = page.locator("ol.search-results > li")
    expect(results.filter(has_text="烟叶仓储管理规定")).to_have_count(1)
    expect(results.locator("mark").first).to_be_visible()
    results.locator("a", has_text="烟叶仓储管理规定").click()
    expect(page).to_have_url(document_url)
    expect(page.locator("a[href*='/files/']").first).to_be_visible()
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "documents-detail-375.png", full_page=True)
    sign_out(page)

    # A member of another department finds nothing, and the page itself is not found.
    signed_in(page, live_server, outsider.user.username)
    page.goto(f"/search/?q={PHRASE}")
    expect(page.locator("main")).to_be_visible()
    expect(page.locator("ol.search-results > li")).to_have_count(0)
    response = page.goto(document_url)
    assert response.status == 404
    page.goto("/documents/")
    expect(page.locator("main")).not_to_contain_text("烟叶仓储管理规定")
    assert re.search(r"/documents/\d+/$", document_url)
