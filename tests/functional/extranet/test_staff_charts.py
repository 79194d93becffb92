"""Charts on the analysis pages are bounded: no chart taller than 400 px on a desktop (the pie
used to be about 1,000 px), and every chart fits a 375 px phone without horizontal scrolling."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.conftest import set_face
from tests.factories.extranet import (
    BrandFactory,
    OrderFactory,
    OrderingRetailerFactory,
    ProductFactory,
)
from tests.factories.people import EmployeeFactory, UserFactory
from tests.functional.browsing import DESKTOP, PHONE, has_no_horizontal_scroll, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHART_IDS = ("sales-month", "sales-brand", "sales-region", "sales-grade")


def _chart_boxes(page):
    page.wait_for_function("typeof window.Chart === 'function'")
    for chart_id in CHART_IDS:
        page.wait_for_function(
            f"window.Chart.getChart(document.getElementById('chart-{chart_id}')) !== undefined"
        )
    return {
        chart_id: page.locator(f"canvas#chart-{chart_id}").bounding_box() for chart_id in CHART_IDS
    }


def test_sales_charts_are_bounded_on_desktop_and_phone(page, live_server, settings, screenshot_dir):
    set_face(settings, "intranet")
    admin = EmployeeFactory(user=UserFactory(roles=["sales_administrator"]))
    product = ProductFactory(brand=BrandFactory(name="利群"), wholesale_price=Decimal("250"))
    for region in ("西湖区", "上城区", "拱墅区"):
        OrderFactory(retailer=OrderingRetailerFactory(region=region), lines=[(product, 30)])

    page.set_viewport_size(DESKTOP)
    sign_in(page, admin.user.username)
    expect(page).to_have_url(re.compile(r"^[^?]*://[^/]+/$"))
    page.goto("/sales/analysis/sales/")
    boxes = _chart_boxes(page)
    for chart_id, box in boxes.items():
        assert 0 < box["height"] <= 400, (chart_id, box)
        assert box["width"] <= DESKTOP["width"], (chart_id, box)
    page.screenshot(path=screenshot_dir / "intranet-analysis-sales-1280.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    boxes = _chart_boxes(page)
    for chart_id, box in boxes.items():
        assert 0 < box["height"] <= 400, (chart_id, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (chart_id, box)
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "intranet-analysis-sales-375.png", full_page=True)
