"""A sales administrator picks a retailer's account manager by typing (suggestions from the
lookup), then issues the retailer a login, sees its password once, and deactivates it after
confirming."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import User
from tests.conftest import set_face
from tests.factories.extranet import OrderingRetailerFactory
from tests.factories.people import EmployeeFactory, UserFactory
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_administrator_picks_a_manager_and_issues_then_deactivates_a_login(
    page, live_server, settings, screenshot_dir
):
    set_face(settings, "intranet")
    administrator = EmployeeFactory(user=UserFactory(roles=["sales_administrator"]))
    manager = EmployeeFactory(
        employee_number="AM0042", name="周经理", user=UserFactory(roles=["account_manager"])
    )
    retailer = OrderingRetailerFactory(store_name="湖滨便利店")

    page.set_viewport_size(PHONE)
    sign_in(page, administrator.user.username)
    page.goto(f"/sales/retailers/{retailer.pk}/edit/static/")
    field = page.locator("input[name=account_manager]")
    field.fill("周")
    # The lookup fills the field's datalist as the person types.
    expect(page.locator(f"datalist option[value='{manager.employee_number}']")).to_have_count(1)
    field.fill(manager.employee_number)
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/sales/retailers/{retailer.pk}/$"))
    retailer.refresh_from_db()
    assert retailer.account_manager == manager

    page.locator(f"a[href='/sales/retailers/{retailer.pk}/logins/']").click()
    form = page.locator("form.stacked")
    form.locator("input[name=username]").fill("hubin-1")
    form.locator("button[type=submit]").click()
    password = page.locator(".issued-password code.password").inner_text()
    assert User.objects.get(username="hubin-1").check_password(password)
    expect(page.locator("table.logins")).to_contain_text("hubin-1")
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "sales-logins-375.png", full_page=True)

    page.locator("table.logins a[href$='/deactivate/']").click()
    # A confirmation page first: nothing has changed yet.
    assert User.objects.get(username="hubin-1").is_active
    page.locator("main form button[type=submit]").click()
    expect(page.locator("table.logins a[href$='/deactivate/']")).to_have_count(0)
    assert not User.objects.get(username="hubin-1").is_active
