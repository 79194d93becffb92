"""The route filters of the staff order list, picking list and retailer list, and the feedback
"reassign" field, are pickers (a typed key with suggestions from the bounded lookup), not
selects of every route or account manager: the pages still filter, refuse unknown keys with a
message, and run the same number of queries with 3 routes as with 45."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from extranet.models import DeliveryRoute, Feedback
from extranet.ordering.services import order_place, orders_advance
from portal.permissions import Role
from tests.conftest import make_role_user
from tests.factories.extranet import (
    DeliveryRouteFactory,
    FeedbackFactory,
    OrderingRetailerFactory,
    ProductFactory,
)
from tests.factories.people import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, intranet):
    client.force_login(make_role_user("sales_administrator"))
    return client


def add_routes(total):
    for number in range(DeliveryRoute.objects.count(), total):
        DeliveryRouteFactory(code=f"Z{number:03d}")


def queries_of(client, url, data):
    client.get(url, data)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(context.captured_queries), response


def assert_route_picker(response):
    text = response.content.decode()
    assert '<select name="route"' not in text
    assert 'name="route"' in text and reverse("sales:lookup", args=["routes"]) in text


def test_order_list_and_picking_list_filter_by_typed_route_code(administrator):
    east, west = DeliveryRouteFactory(code="E1"), DeliveryRouteFactory(code="W1")
    product = ProductFactory(stock=100)
    on_east = order_place(
        retailer=OrderingRetailerFactory(route=east), lines=[(product.pk, 3)], idempotency_key="a"
    )
    on_west = order_place(
        retailer=OrderingRetailerFactory(route=west), lines=[(product.pk, 5)], idempotency_key="b"
    )
    orders_advance(order_ids=[on_east.pk, on_west.pk], from_status="submitted", actor=None)
    listed = administrator.get(reverse("sales:orders"), {"route": "E1"})
    assert [row["pk"] for row in listed.context["page"].object_list] == [on_east.pk]
    assert_route_picker(listed)
    # The filter form on the order list keeps the filtered route as its code.
    assert 'value="E1"' in listed.content.decode()
    cycle = on_east.cycle.isoformat()
    picking = administrator.get(reverse("sales:picking"), {"route": "W1", "cycle": cycle})
    assert [entry["cartons"] for entry in picking.context["data"]["products"]] == [5]
    assert_route_picker(picking)
    unknown = administrator.get(reverse("sales:picking"), {"route": "NOPE", "cycle": cycle})
    assert unknown.status_code == 200 and unknown.context["data"] is None
    assert "There is no delivery route NOPE." in unknown.content.decode()


def test_retailer_list_filters_by_typed_route_code_and_refuses_unknown_ones(administrator):
    route = DeliveryRouteFactory(code="N5")
    on_route = OrderingRetailerFactory(route=route)
    OrderingRetailerFactory(route=DeliveryRouteFactory(code="S5"))
    listed = administrator.get(reverse("sales:retailers"), {"route": "N5"})
    assert list(listed.context["page"].object_list) == [on_route]
    assert_route_picker(listed)
    unknown = administrator.get(reverse("sales:retailers"), {"route": "N6"})
    assert unknown.status_code == 200
    assert "There is no delivery route N6." in unknown.content.decode()


def test_filter_pages_run_the_same_queries_with_few_or_many_routes(administrator):
    route = DeliveryRouteFactory(code="Q1")
    product = ProductFactory(stock=100)
    order = order_place(
        retailer=OrderingRetailerFactory(route=route), lines=[(product.pk, 2)], idempotency_key="a"
    )
    orders_advance(order_ids=[order.pk], from_status="submitted", actor=None)
    pages = [
        (reverse("sales:orders"), {"route": "Q1"}),
        (reverse("sales:orders"), {}),
        (reverse("sales:retailers"), {"route": "Q1"}),
        (reverse("sales:picking"), {"route": "Q1", "cycle": order.cycle.isoformat()}),
    ]
    add_routes(3)
    few = [queries_of(administrator, url, data)[0] for url, data in pages]
    add_routes(45)
    many = [queries_of(administrator, url, data) for url, data in pages]
    assert [count for count, _response in many] == few
    for _count, response in many:
        assert response.content.decode().count("Z044") == 0  # no option per route


def test_feedback_is_reassigned_by_typed_employee_number(client, intranet):
    managers = [EmployeeFactory(user=UserFactory(roles=[Role.ACCOUNT_MANAGER])) for _ in range(3)]
    feedback = FeedbackFactory(retailer=OrderingRetailerFactory(account_manager=managers[0]))
    Feedback.objects.filter(pk=feedback.pk).update(assigned_to=managers[0])
    client.force_login(make_role_user("sales_administrator"))
    page = client.get(reverse("sales:feedback_item", args=[feedback.pk]))
    text = page.content.decode()
    assert '<select name="employee"' not in text
    assert reverse("sales:lookup", args=["employees"]) in text
    assert f'value="{managers[0].employee_number}"' in text
    url = reverse("sales:feedback_action", args=[feedback.pk, "reassign"])
    refused = client.post(url, {"employee": "NOBODY"})
    assert refused.status_code == 400
    assert "No account manager has the employee number NOBODY." in refused.content.decode()
    assert client.post(url, {"employee": managers[2].employee_number}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.assigned_to == managers[2]
