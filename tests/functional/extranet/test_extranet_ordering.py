"""A retailer orders from a phone; its account manager confirms the order on the intranet."""

import re

import pytest
from playwright.sync_api import expect

from extranet.models import Order
from tests.conftest import set_face
from tests.factories.extranet import AllocationFactory, OrderingRetailerFactory
from tests.factories.people import EmployeeFactory, RetailerLoginFactory, UserFactory
from tests.functional.browsing import DESKTOP, PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_retailer_orders_within_its_limit_and_the_account_manager_confirms(
    page, browser, live_server, settings, screenshot_dir
):
    set_face(settings, "extranet")
    manager = EmployeeFactory(user=UserFactory(roles=["account_manager"]))
    retailer = OrderingRetailerFactory(account_manager=manager, grade=8)
    login = RetailerLoginFactory(retailer=retailer)
    allocation = AllocationFactory(grade=8, cartons=5, product__name="云端限量")
    product = allocation.product

    page.set_viewport_size(PHONE)
    sign_in(page, login.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    page.goto("/shop/products/")
    page.locator("form.catalogue-search input[name=q]").fill("云端")
    page.locator("form.catalogue-search button[type=submit]").click()
    card = page.locator(".product-card", has_text="云端限量")
    expect(card).to_have_count(1)
    expect(card.locator(".allowance")).to_contain_text("5")
    card.locator("a.product-name").click()
    expect(page).to_have_url(re.compile(rf"/shop/products/{product.pk}/$"))
    assert has_no_horizontal_scroll(page)

    page.locator("form.add-to-cart input[name=quantity]").fill("3")
    page.locator("form.add-to-cart button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/shop/cart/$"))
    line = page.locator(".cart-line")
    expect(line.locator(".allowance")).to_contain_text("5")
    expect(line.locator("input[type=number]")).to_have_value("3")
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "extranet-cart-375.png", full_page=True)
    page.locator("form.checkout-form button[type=submit]").click()

    order = Order.objects.get(retailer=retailer)
    expect(page).to_have_url(re.compile(rf"/shop/orders/{order.pk}/$"))
    expect(page.locator(".order-detail")).to_contain_text(order.number)
    page.locator(".shop-nav a[href='/shop/orders/']").click()
    expect(page.locator(".order-list")).to_contain_text(order.number)
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "extranet-orders-375.png", full_page=True)

    # The account manager, on the intranet, confirms it.
    set_face(settings, "intranet")
    staff = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
    staff.set_default_timeout(10_000)
    desk = staff.new_page()
    sign_in(desk, manager.user.username)
    expect(desk).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    desk.goto("/sales/orders/?status=submitted")
    row = desk.locator("tr", has_text=order.number)
    row.locator("input[name=order]").check()
    desk.locator("form[action='/sales/orders/advance/'] button[type=submit]").click()
    expect(desk.locator(".messages")).to_be_visible()
    desk.goto(f"/sales/orders/{order.pk}/")
    expect(desk.locator("h1 .status-confirmed")).to_have_count(1)
    staff.close()
    order.refresh_from_db()
    assert order.status == "confirmed" and order.total_cartons == 3
