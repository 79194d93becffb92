"""The requests of an order (add to cart, the order's page after checkout) read no more than
they show: bench.ordering_http runs them a hundred times a second."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.extranet import OrderFactory, OrderingRetailerFactory, ProductFactory
from tests.factories.people import RetailerLoginFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory())
    client.force_login(login.user)
    client.retailer = login.retailer
    return client


def _tables(queries) -> list[str]:
    """The table each SELECT reads first."""
    found = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and " FROM " in sql:
            found.append(sql.split(" FROM ", 1)[1].split()[0].strip('"'))
    return found


def test_adding_to_the_cart_reads_the_product_without_its_policies(shop):
    product = ProductFactory(stock=50)
    shop.get(reverse("shop:cart"))
    with CaptureQueriesContext(connection) as queries:
        response = shop.post(reverse("shop:cart_add"), {"product": product.pk, "quantity": 2})
    assert response.status_code == 302 and response["Location"] == reverse("shop:cart")
    assert shop.session["extranet_cart"] == {str(product.pk): 2}
    tables = _tables(queries.captured_queries)
    assert "extranet_salespolicy" not in tables


def test_adding_a_discontinued_product_is_refused(shop):
    product = ProductFactory(stock=50, status="discontinued")
    response = shop.post(reverse("shop:cart_add"), {"product": product.pk, "quantity": 2})
    assert response["Location"] == reverse("shop:products")
    assert "extranet_cart" not in shop.session or not shop.session["extranet_cart"]


def test_the_order_page_reads_its_lines_with_product_and_brand_in_one_query(shop):
    order = OrderFactory(
        retailer=shop.retailer, lines=[(ProductFactory(), 2), (ProductFactory(), 3)]
    )
    url = reverse("shop:order", args=[order.pk])
    shop.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = shop.get(url)
    assert response.status_code == 200
    for line in order.lines.select_related("product__brand"):
        assert line.product.name in response.content.decode()
    tables = _tables(queries.captured_queries)
    assert tables.count("extranet_orderline") == 1
    assert "extranet_product" not in tables and "extranet_brand" not in tables
