"""The staff's order list's length kept in the cache (extranet.desk.order_rows): counted once,
then the page alone is read; forgotten at once when an order is placed, moved on, cancelled,
saved or deleted, or a store's account manager or route changes (a route deleted too); never
another reader's."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from extranet.crm.services import retailer_update
from extranet.desk.order_rows import OrderRows
from extranet.ordering.models import Order
from extranet.ordering.selectors import orders_filtered
from extranet.ordering.services import order_cancel, order_place, orders_advance
from tests.conftest import make_role_user
from tests.factories.extranet import (
    DeliveryRouteFactory,
    OrderFactory,
    OrderingRetailerFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

STATUSES = [{}, {"status": "submitted"}, {"status": "confirmed"}]


@pytest.fixture
def desk():
    manager = make_role_user("account_manager")
    other = make_role_user("account_manager")
    administrator = make_role_user("sales_administrator")
    routes = [DeliveryRouteFactory(code="R1"), DeliveryRouteFactory(code="R2")]
    stores = []
    for index in range(6):
        store = OrderingRetailerFactory(
            account_manager=(manager, other)[index % 2].employee, route=routes[index % 3 % 2]
        )
        stores.append(store)
        for _ in range(index % 3 + 1):
            OrderFactory(retailer=store, status="submitted")
    return manager, other, administrator, routes, stores


def _filters(routes) -> list[dict]:
    return [*STATUSES, *({"route": route.pk} for route in routes)]


def _order_reads(queries) -> list[str]:
    return [query["sql"] for query in queries if "extranet_order" in query["sql"]]


def _check(users, routes):
    """Every list's length is the ORM's."""
    for user in users:
        for given in _filters(routes):
            expected = orders_filtered(user=user, **given).count()
            assert OrderRows(user=user, **given).page(1, 50).paginator.count == expected


def test_the_length_is_counted_once_then_kept(desk):
    manager, other, administrator, routes, stores = desk
    for user in (manager, other, administrator):
        for given in _filters(routes):
            expected = orders_filtered(user=user, **given).count()
            with CaptureQueriesContext(connection) as queries:
                page = OrderRows(user=user, **given).page(1, 2)
            assert page.paginator.count == expected
            assert len(_order_reads(queries)) == 2  # the page, the count
            with CaptureQueriesContext(connection) as queries:
                page = OrderRows(user=user, **given).page(1, 2)
            assert page.paginator.count == expected
            assert len(_order_reads(queries)) == 1  # the page


def test_orders_placed_moved_on_cancelled_or_deleted_count_at_once(
    desk, django_capture_on_commit_callbacks
):
    manager, other, administrator, routes, stores = desk
    users = (manager, other, administrator)
    _check(users, routes)
    product = ProductFactory(stock=100)
    with django_capture_on_commit_callbacks(execute=True):
        placed = order_place(retailer=stores[0], lines=[(product.pk, 2)], idempotency_key="new")
    _check(users, routes)
    orders_advance(order_ids=[placed.pk], from_status="submitted", actor=administrator)
    _check(users, routes)
    order_cancel(
        order=Order.objects.get(pk=placed.pk), actor=administrator, reason="缺货", by_retailer=False
    )
    _check(users, routes)
    OrderFactory(retailer=stores[1], status="confirmed")
    _check(users, routes)
    Order.objects.filter(retailer=stores[2]).first().delete()
    _check(users, routes)


def test_a_store_reassigned_or_moved_to_another_route_counts_at_once(desk):
    manager, other, administrator, routes, stores = desk
    users = (manager, other, administrator)
    _check(users, routes)
    retailer_update(
        retailer=stores[0],
        actor=administrator,
        changes={"account_manager": other.employee},
        group="static",
    )
    _check(users, routes)
    retailer_update(
        retailer=stores[1], actor=administrator, changes={"route": routes[1]}, group="dynamic"
    )
    _check(users, routes)
    routes[0].delete()  # its stores are left without a route, without being saved
    _check(users, routes[1:])


def test_a_store_saved_without_its_manager_or_route_keeps_the_length(desk):
    manager, other, administrator, routes, stores = desk
    OrderRows(user=manager).page(1, 50)
    stores[0].store_name = "新店名"
    stores[0].save(update_fields=["store_name"])
    with CaptureQueriesContext(connection) as queries:
        page = OrderRows(user=manager).page(1, 50)
    assert len(_order_reads(queries)) == 1
    assert "新店名" in [row["retailer__store_name"] for row in page.object_list]


def test_the_orders_page_counts_once(client, intranet, desk):
    manager, other, administrator, routes, stores = desk
    client.force_login(manager)
    url = reverse("sales:orders")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(_order_reads(queries)) == 1
    assert response.context["page"].paginator.count == orders_filtered(user=manager).count()
    OrderFactory(retailer=stores[0], placed_at=timezone.now() + timedelta(minutes=1))
    response = client.get(url)
    assert response.context["page"].paginator.count == orders_filtered(user=manager).count()
