"""The picking list a clerk prints as it is: per store its address, phone and a signature line
(签收人 / 日期), on paper as on screen and in the Excel download."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from extranet.ordering.services import order_place, orders_advance
from tests.conftest import make_role_user
from tests.factories.extranet import DeliveryRouteFactory, OrderingRetailerFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, intranet):
    client.force_login(make_role_user("sales_administrator"))
    return client


def _confirmed_orders_on_a_route():
    route = DeliveryRouteFactory(code="R9")
    product = ProductFactory(code="P9")
    stores = [
        OrderingRetailerFactory(
            route=route,
            store_name="便民超市",
            address="西湖区文三路 88 号",
            contact_phone="0571-88880001",
            contact_name="王芳",
        ),
        OrderingRetailerFactory(
            route=route, store_name="街角烟酒", address="拱墅区湖墅南路 5 号", contact_phone=""
        ),
    ]
    orders = [
        order_place(retailer=store, lines=[(product.pk, 2)], idempotency_key="k")
        for store in stores
    ]
    orders_advance(order_ids=[o.pk for o in orders], from_status="submitted", actor=None)
    return route, orders


def test_picking_list_shows_each_stores_address_phone_and_a_signature_line(administrator):
    route, orders = _confirmed_orders_on_a_route()
    query = {"route": route.code, "cycle": orders[0].cycle.isoformat()}
    with_language = administrator.get(
        reverse("sales:picking"), query, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    page = with_language.content.decode()
    assert page.count('class="picking-store"') == 2
    assert "西湖区文三路 88 号" in page and "拱墅区湖墅南路 5 号" in page
    assert 'href="tel:0571-88880001"' in page and "王芳" in page
    assert page.count('class="signature-line"') == 2
    assert "签收人" in page and "日期" in page
    assert "staff-outputs.css" in page


def test_picking_stylesheet_keeps_a_store_on_one_printed_page():
    css = (Path(settings.BASE_DIR) / "extranet/static/extranet/staff-outputs.css").read_text()
    printed = css[css.index("@media print") :]
    assert ".picking-store" in printed and "break-inside: avoid" in printed


def test_picking_excel_has_address_and_phone_per_store(administrator):
    route, orders = _confirmed_orders_on_a_route()
    query = {"route": route.code, "cycle": orders[0].cycle.isoformat(), "format": "xlsx"}
    download = administrator.get(reverse("sales:picking"), query)
    stores = load_workbook(io.BytesIO(download.content)).worksheets[1]
    rows = list(stores.iter_rows(values_only=True))
    assert len(rows[0]) == 7
    assert any("西湖区文三路 88 号" in row and "0571-88880001" in row for row in rows[1:])
