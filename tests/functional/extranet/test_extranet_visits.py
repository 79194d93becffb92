"""An account manager, on a phone, plans the week's visits and records the planned visit with
the keyboard only; the store then shows the contact on its staff profile."""

import re

import pytest
from playwright.sync_api import expect

from extranet.models import Visit
from tests.conftest import set_face
from tests.factories.extranet import OrderingRetailerFactory
from tests.factories.people import EmployeeFactory, UserFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_account_manager_plans_the_week_and_records_a_visit_by_keyboard(
    page, live_server, settings, screenshot_dir
):
    set_face(settings, "intranet")
    manager = EmployeeFactory(user=UserFactory(roles=["account_manager"]))
    store = OrderingRetailerFactory(store_name="湖滨便利店", account_manager=manager)

    page.set_viewport_size(PHONE)
    sign_in(page, manager.user.username)
    page.goto("/sales/visits/")
    page.locator("form[action='/sales/visits/plan/'] button").click()
    expect(page.locator("table.data")).to_contain_text("湖滨便利店")
    assert Visit.objects.filter(retailer=store, done_at__isnull=True).count() == 1
    assert has_no_horizontal_scroll(page)

    page.locator("table.data a.button").click()
    # The time field has the focus (now, editable); the texts are typed, Tab between them.
    expect(page.locator("input[name=done_at]")).to_be_focused()
    # Tab walks the time's own parts first; the place is the next field after them.
    page.locator("input[name=place]").focus()
    page.keyboard.type("门店")
    page.keyboard.press("Tab")
    page.keyboard.type("检查陈列，介绍新品")
    page.keyboard.press("Tab")
    page.keyboard.type("试销 2 条")
    page.locator("form.visit-form button[type=submit]").press("Enter")
    expect(page).to_have_url(re.compile(rf"/sales/retailers/{store.pk}/$"))
    expect(page.locator("#visits")).to_contain_text("试销 2 条")
    visit = Visit.objects.get(retailer=store)
    assert visit.done_at is not None and visit.outcome == "试销 2 条"
    page.screenshot(path=str(screenshot_dir / "visit-recorded.png"), full_page=True)
