"""A head opens a discussion topic, an employee replies under a pseudonym, the head marks the
suggestion adopted and closes the topic; the employee sees the answer and can no longer reply."""

import pytest
from playwright.sync_api import expect

from tests.factories.bulletins import board_of
from tests.factories.forum import pseudonym_for
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_head_opens_a_topic_an_employee_replies_the_head_adopts_and_closes(
    page, live_server, intranet, screenshot_dir
):
    from portal.permissions import Role

    sales = DepartmentFactory(code="sales", name="销售科")
    head = EmployeeFactory(department=sales, user=UserFactory(roles=[Role.DEPARTMENT_HEAD]))
    sales.head = head
    sales.save()
    reader = EmployeeFactory(department=sales, name="王小明")
    pseudonym_for(reader.user, "SwiftOtter")
    board_of(sales)

    sign_in(page, head.user.username)
    page.goto("/bulletins/board-sales/")
    page.locator("a[href$='/discussions/new/']").click()
    page.locator("#id_question").fill("How do we save electricity?")
    page.locator("#id_background").fill("The bill rose by a fifth.")
    page.locator("#id_opens_at").fill("2020-01-01T08:00")
    page.locator("#id_closes_at").fill("2099-01-01T08:00")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("How do we save electricity?")
    sign_out(page)

    sign_in(page, reader.employee_number)
    page.locator("#home-discussions + ul a").click()  # from the home page
    page.locator("#id_body").fill("Motion sensors for the corridor lights.")
    page.locator("#latest button[type=submit]").click()
    suggestion = page.locator("li.suggestion").first
    expect(suggestion.locator(".pseudonym")).to_have_text("SwiftOtter")
    expect(page.locator("main")).not_to_contain_text("王小明")
    sign_out(page)

    sign_in(page, head.user.username)
    page.goto("/bulletins/board-sales/")
    page.locator(".discussions a").first.click()
    suggestion = page.locator("li.suggestion").first
    expect(page.locator("main")).not_to_contain_text("王小明")
    suggestion.locator("select[name=status]").select_option("adopted")
    suggestion.locator("input[name=answer]").fill("Installed next month.")
    suggestion.locator(".mark-form button").click()
    expect(page.locator(".mark-adopted")).to_contain_text("Installed next month.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/close/'] button").click()
    expect(page.locator(".discussion .badge.warn")).to_be_visible()
    sign_out(page)

    sign_in(page, reader.employee_number)
    page.goto("/bulletins/board-sales/")
    page.locator(".discussions a").first.click()
    expect(page.locator(".mark-adopted")).to_contain_text("Installed next month.")
    expect(page.locator("#latest button")).to_have_count(0)
    expect(page.locator("#latest .hint")).to_be_visible()
    page.set_viewport_size(PHONE)
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "bulletins-discussion-375.png", full_page=True)
