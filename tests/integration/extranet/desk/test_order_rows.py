"""The staff's order list read with one written-out statement (extranet.desk.order_rows): the
same rows as the ORM's `orders_filtered` for each role and filter, paged, and the page built
without the ORM's queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from extranet.desk.order_rows import FIELDS, OrderRows
from extranet.ordering.selectors import orders_filtered
from tests.conftest import make_role_user
from tests.factories.extranet import DeliveryRouteFactory, OrderFactory, OrderingRetailerFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders():
    """Two account managers' stores on two routes (and one without a route or manager), with
    orders of two days and three statuses, some placed at the same moment."""
    first = make_role_user("account_manager")
    second = make_role_user("account_manager")
    routes = [DeliveryRouteFactory(code="R1"), DeliveryRouteFactory(code="R2"), None]
    owners = [first.employee, second.employee, None]
    today = timezone.localdate()
    placed = timezone.now()
    for index in range(12):
        retailer = OrderingRetailerFactory(
            account_manager=owners[index % 3], route=routes[(index // 2) % 3]
        )
        OrderFactory(
            retailer=retailer,
            cycle=today + timedelta(days=index % 2),
            status=["submitted", "confirmed", "cancelled"][index % 3],
            placed_at=placed - timedelta(minutes=index // 3),
            total_cartons=index,
            total_amount=Decimal("12.30") * index + Decimal("0.05"),
        )
    return first, second, routes


def test_order_rows_are_the_orm_rows_for_each_role_and_filter(orders):
    first, second, routes = orders
    today = timezone.localdate()
    administrator = make_role_user("sales_administrator")
    employee = make_role_user("employee")
    filters = [
        {},
        {"status": "submitted"},
        {"cycle": today},
        {"route": routes[0].pk},
        {"cycle": today + timedelta(days=1), "route": routes[1].pk, "status": "confirmed"},
    ]
    for user in (first, second, administrator, employee):
        for given in filters:
            expected = list(orders_filtered(user=user, **given).values(*FIELDS))
            rows = OrderRows(user=user, **given)
            assert rows.count() == len(expected), (user, given)
            assert rows[0:50] == expected, (user, given)
            paged = Paginator(rows, 5)
            assert [row for number in paged.page_range for row in paged.page(number)] == expected
    assert OrderRows(user=employee)[0:50] == []
    assert len(OrderRows(user=administrator)[0:50]) == 12
    mine = OrderRows(user=first)[0:50]
    assert mine and len(mine) < 12


def test_orders_page_reads_its_rows_without_the_orm_query(client, intranet, orders):
    first, second, routes = orders
    client.force_login(first)
    url = reverse("sales:orders")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    order_queries = [query["sql"] for query in queries if "extranet_order" in query["sql"]]
    # The page, one written-out statement over the orders `o` (the count kept once read).
    assert len(order_queries) == 1
    assert all('"extranet_order" o ' in sql for sql in order_queries)
    html = response.content.decode()
    expected = orders_filtered(user=first)
    assert expected and all(order.number in html for order in expected)
    others = orders_filtered(user=second)
    assert others and not any(order.number in html for order in others)


@pytest.mark.parametrize("role", ["account_manager", "sales_administrator"])
def test_orders_page_queries_do_not_grow(client, intranet, role):
    user = make_role_user(role)
    client.force_login(user)
    route = DeliveryRouteFactory(code="RG")

    def grow(size):
        for _ in range(size):
            retailer = OrderingRetailerFactory(route=route, account_manager=user.employee)
            OrderFactory(retailer=retailer, status="submitted", total_cartons=2)

    for query in ("", "?status=submitted", f"?route={route.code}&page=2"):
        assert_bounded_queries(client, reverse("sales:orders") + query, grow, max_queries=8)


def test_an_account_managers_pages_where_stores_have_many_orders(orders):
    """An account manager's page is read store by store (on PostgreSQL), each store's newest
    orders up to the end of the page: the pages are still the ORM's when one store has more
    orders than a page, and orders of several stores share a moment."""
    first, second, routes = orders
    placed = timezone.now() + timedelta(hours=1)
    busy = OrderingRetailerFactory(account_manager=first.employee, route=routes[0])
    other = OrderingRetailerFactory(account_manager=first.employee, route=routes[1])
    for index in range(9):
        OrderFactory(retailer=busy, placed_at=placed - timedelta(minutes=index // 2))
        if index % 3 == 0:
            OrderFactory(retailer=other, placed_at=placed - timedelta(minutes=index // 2))
    OrderFactory(retailer=OrderingRetailerFactory(account_manager=second.employee))
    for given in ({}, {"route": routes[0].pk}, {"status": "submitted"}):
        expected = list(orders_filtered(user=first, **given).values(*FIELDS))
        for per_page in (2, 4, 50):
            paged = Paginator(OrderRows(user=first, **given), per_page)
            got = [row for number in paged.page_range for row in paged.page(number)]
            assert got == expected, (given, per_page)
