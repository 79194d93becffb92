"""A retailer complains from a phone; its account manager records the call-back on the
intranet and the retailer sees it."""

import re

import pytest
from playwright.sync_api import expect

from extranet.models import Feedback
from tests.conftest import set_face
from tests.factories.extranet import OrderingRetailerFactory
from tests.factories.people import EmployeeFactory, RetailerLoginFactory, UserFactory
from tests.functional.browsing import DESKTOP, PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_retailer_complains_and_the_account_manager_records_the_call_back(
    page, browser, live_server, settings, screenshot_dir
):
    set_face(settings, "extranet")
    manager = EmployeeFactory(user=UserFactory(roles=["account_manager"]))
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory(account_manager=manager))

    page.set_viewport_size(PHONE)
    sign_in(page, login.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    page.goto("/shop/feedback/")
    page.locator("a[href='/shop/feedback/new/']").click()
    page.locator("select[name=kind]").select_option("complaint")
    page.locator("textarea[name=text]").fill("这周送货晚了两天")
    assert has_no_horizontal_scroll(page)
    page.locator("form button[type=submit].primary").click()
    feedback = Feedback.objects.get()
    expect(page).to_have_url(re.compile(rf"/shop/feedback/{feedback.pk}/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("article")).to_contain_text(feedback.number)
    page.screenshot(path=screenshot_dir / "extranet-feedback-375.png", full_page=True)

    set_face(settings, "intranet")
    staff = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
    staff.set_default_timeout(10_000)
    desk = staff.new_page()
    sign_in(desk, manager.user.username)
    expect(desk).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    desk.goto("/sales/feedback/")
    desk.locator("a", has_text=feedback.number).click()
    form = desk.locator(f"form[action='/sales/feedback/{feedback.pk}/callback/']")
    form.locator("select[name=method]").select_option("phone")
    form.locator("textarea[name=summary]").fill("已电话致歉，下周优先配送")
    form.locator("button[type=submit]").click()
    expect(desk.locator(".messages")).to_be_visible()
    staff.close()
    feedback.refresh_from_db()
    assert feedback.status == "called_back" and feedback.callback_method == "phone"

    set_face(settings, "extranet")
    page.reload()
    expect(page.locator("article")).to_contain_text("已电话致歉")
    assert has_no_horizontal_scroll(page)
