"""A retailer reports a shelf price from a phone; a sales administrator approves it on the
intranet, the retailer sees the approval, and the shelf-price dashboard draws its chart with the
locally served Chart.js."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from extranet.market.models import MarketReport
from tests.conftest import set_face
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.factories.people import EmployeeFactory, RetailerLoginFactory, UserFactory
from tests.functional.browsing import DESKTOP, PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_retailer_reports_a_shelf_price_and_the_sales_department_approves_it(
    page, browser, live_server, settings, screenshot_dir
):
    set_face(settings, "extranet")
    product = ProductFactory()
    admin = EmployeeFactory(user=UserFactory(roles=["sales_administrator"]))
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory(region="西湖区"))

    page.set_viewport_size(PHONE)
    sign_in(page, login.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    page.goto("/shop/market/")
    page.locator("a[href='/shop/market/new/']").click()
    page.locator("select[name=kind]").select_option("shelf_price")
    page.locator("input[name=observed_on]").fill(timezone.localdate().isoformat())
    page.locator("input[name=location]").fill("解放路12号")
    page.locator("select[name=product]").select_option(str(product.pk))
    page.locator("input[name=price]").fill("268")
    page.locator("textarea[name=description]").fill("附近店铺售价偏高")
    assert has_no_horizontal_scroll(page)
    page.locator("form button[type=submit].primary").click()
    report = MarketReport.objects.get()
    expect(page).to_have_url(re.compile(rf"/shop/market/{report.pk}/$"))
    expect(page.locator("article")).to_contain_text(report.number)
    page.screenshot(path=screenshot_dir / "extranet-market-375.png", full_page=True)

    set_face(settings, "intranet")
    staff = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
    staff.set_default_timeout(10_000)
    desk = staff.new_page()
    sign_in(desk, admin.user.username)
    expect(desk).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    desk.goto("/sales/market/")
    desk.locator("a", has_text=report.number).click()
    form = desk.locator(f"form[action='/sales/market/{report.pk}/review/']")
    form.locator("input[name=decision][value=approve]").check()
    form.locator("button[type=submit]").click()
    expect(desk.locator(".messages")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "approved"

    desk.goto("/sales/analysis/prices/")
    expect(desk.locator("table.data")).to_contain_text(product.code)
    desk.wait_for_function("typeof window.Chart === 'function'")
    canvas = desk.locator("canvas#chart-prices")
    desk.wait_for_function(
        "window.Chart.getChart(document.getElementById('chart-prices')) !== undefined"
    )
    assert canvas.bounding_box()["height"] > 0
    staff.close()

    set_face(settings, "extranet")
    page.reload()
    expect(page.locator("article")).to_contain_text("已通过")
    assert has_no_horizontal_scroll(page)
