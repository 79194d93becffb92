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


def test_the_order_page_reads_the_order_and_its_lines_in_one_query(shop):
    first, second = ProductFactory(name="First <b>"), ProductFactory(name="Second")
    order = OrderFactory(retailer=shop.retailer, lines=[(first, 2), (second, 3)])
    url = reverse("shop:order", args=[order.pk])
    shop.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = shop.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "First &lt;b&gt;" in html and "<b>" not in html.split("<main", 1)[1]
    assert html.index("First &lt;b&gt;") < html.index(second.name)
    # The order with its lines, products and brands, and its status history, in one statement:
    # nothing else (the session aside, which the tests' cache does not keep).
    read = [query for query in queries.captured_queries if "django_session" not in query["sql"]]
    assert len(read) == 1
    assert "extranet_orderline" in read[0]["sql"] and "extranet_orderstatuschange" in read[0]["sql"]


def test_another_retailers_order_and_impossible_ids_are_not_found(shop):
    other = OrderFactory(lines=[(ProductFactory(), 1)])
    assert shop.get(reverse("shop:order", args=[other.pk])).status_code == 404
    for order_id in (0, 2**63, 10**30):
        assert shop.get(f"/shop/orders/{order_id}/").status_code == 404


def test_the_order_page_shows_its_history_in_local_time_oldest_first(shop):
    from datetime import UTC, datetime

    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    from extranet.ordering.models import OrderStatusChange

    order = OrderFactory(retailer=shop.retailer, lines=[(ProductFactory(), 1)])
    OrderStatusChange.objects.all().delete()
    late = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)  # 01:30 the next day in Shanghai
    early = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    OrderStatusChange.objects.create(order=order, status="confirmed", changed_at=late, note="<i>")
    OrderStatusChange.objects.create(order=order, status="submitted", changed_at=early)
    html = shop.get(reverse("shop:order", args=[order.pk])).content.decode()
    shown = [date_format(localtime(moment), "DATETIME_FORMAT") for moment in (early, late)]
    assert "Dec. 2, 2026" in shown[1]
    assert html.index(shown[0]) < html.index(shown[1])
    assert "— &lt;i&gt;" in html
