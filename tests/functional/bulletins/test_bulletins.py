"""A head publishes a must-acknowledge notice in Wagtail admin, an employee acknowledges it from
the home page, and the head sees the count change."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories.bulletins import board_of
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_head_publishes_a_must_acknowledge_notice_and_sees_the_acknowledgement(
    page, live_server, intranet, screenshot_dir
):
    from portal.permissions import Role

    sales = DepartmentFactory(code="sales", name="销售科")
    head = EmployeeFactory(department=sales, user=UserFactory(roles=[Role.DEPARTMENT_HEAD]))
    sales.head = head
    sales.save()
    reader = EmployeeFactory(department=sales)
    board = board_of(sales)

    # Without autosave, so that the draft it makes on its own timer cannot race the publish click.
    intranet.WAGTAIL_AUTOSAVE_INTERVAL = 0
    sign_in(page, head.user.username)
    expect(page.locator("details.user-menu")).to_be_visible()
    page.goto(f"/admin/pages/add/bulletins/notice/{board.pk}/")
    page.locator("#id_title").fill("Safety week 安全周")
    body = page.locator("[data-contentpath=body] .public-DraftEditor-content")
    body.click()
    page.keyboard.type("Everyone attends the drill on Friday.")
    expect(page.locator("input[name=body]")).to_have_value(re.compile("drill on Friday"))
    page.locator("#id_must_acknowledge").check()
    page.locator("[data-w-dropdown-target=toggle]").last.click()
    page.locator("button[name=action-publish]").click()
    # Wagtail goes back to the board's listing in the admin once the notice is published.
    expect(page).to_have_url(re.compile(rf"/admin/pages/{board.pk}/$"))

    page.goto("/bulletins/board-sales/")
    page.get_by_role("link", name="Safety week 安全周").click()
    summary = page.locator(".ack-summary")
    expect(summary).to_have_attribute("data-acknowledged", "0")
    expect(summary).to_have_attribute("data-audience", "2")
    sign_out(page)

    sign_in(page, reader.employee_number)
    waiting = page.locator("section.unacknowledged")
    waiting.get_by_role("link", name="Safety week 安全周").click()
    expect(page.locator(".notice-page .body")).to_contain_text("drill on Friday")
    page.locator(".acknowledge button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".acknowledge button")).to_have_count(0)
    page.set_viewport_size(PHONE)
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "bulletins-notice-375.png", full_page=True)
    page.goto("/")
    expect(page.locator("section.unacknowledged")).to_have_count(0)
    sign_out(page)

    sign_in(page, head.user.username)
    page.goto("/bulletins/board-sales/")
    page.get_by_role("link", name="Safety week 安全周").click()
    expect(page.locator(".ack-summary")).to_have_attribute("data-acknowledged", "1")
    page.locator(".publisher a[href$='/report/']").click()
    expect(page.locator("main")).to_contain_text(reader.name)
    expect(page).to_have_url(re.compile(r"/bulletins/notices/\d+/report/$"))
