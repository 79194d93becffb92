"""One cart, one order under real concurrency, on PostgreSQL: five tabs of one session submit
one cart at the same moment with five idempotency keys."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from extranet.models import Order, OrderLine, Stock
from extranet.ordering.services import CartIdentity, OrderRefused, order_place
from tests.concurrency import race
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.factories.people import RetailerLoginFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def tabs_of(client, count):
    """`count` clients sharing the session of `client` (its cookies), one per thread."""
    tabs = []
    for _ in range(count):
        tab = Client()
        tab.cookies = client.cookies
        tabs.append(tab)
    return tabs


def checkout_form(client, key):
    form = client.get(reverse("shop:cart")).context["checkout"]
    return {"idempotency_key": key, "cart": form["cart"]}


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory())
    client.force_login(login.user)
    client.retailer = login.retailer
    return client


def test_five_tabs_submitting_one_cart_make_exactly_one_order(shop):
    assert connection.vendor == "postgresql"
    product = ProductFactory(stock=100)
    shop.post(reverse("shop:cart_add"), {"product": product.pk, "quantity": 3})
    forms = [checkout_form(shop, f"tab-{index}") for index in range(5)]
    tabs = tabs_of(shop, 5)

    def submit(index):
        response = tabs[index].post(reverse("shop:checkout"), forms[index])
        return response.status_code, response["Location"]

    results, errors = race(5, submit)
    assert errors == []
    order = Order.objects.get()
    # Every tab is answered with the one order.
    assert results == [(302, reverse("shop:order", args=[order.pk]))] * 5
    assert list(OrderLine.objects.values_list("product_id", "quantity")) == [(product.pk, 3)]
    assert Stock.objects.get(product=product).available == 97
    # The cart was emptied (once: into a new, empty cart) and nothing else was lost.
    assert shop.session["extranet_cart"] == {}
    assert shop.get(reverse("shop:cart")).context["lines"] == []


def test_stale_forms_racing_the_current_one_never_place_or_discard_the_cart(shop):
    first, second = ProductFactory(stock=100), ProductFactory(stock=100)
    shop.post(reverse("shop:cart_add"), {"product": first.pk, "quantity": 3})
    stale = checkout_form(shop, "stale")
    shop.post(reverse("shop:cart_add"), {"product": second.pk, "quantity": 7})
    current = checkout_form(shop, "current")
    forms = [
        {**stale, "idempotency_key": "stale-0"},
        {**current, "idempotency_key": "current-0"},
        {**stale, "idempotency_key": "stale-1"},
        {**current, "idempotency_key": "current-1"},
        {**current, "idempotency_key": "current-2"},
    ]
    tabs = tabs_of(shop, 5)

    def submit(index):
        return tabs[index].post(reverse("shop:checkout"), forms[index])["Location"]

    results, errors = race(5, submit)
    assert errors == []
    order = Order.objects.get()
    assert sorted(OrderLine.objects.values_list("product_id", "quantity")) == sorted(
        [(first.pk, 3), (second.pk, 7)]
    )
    assert [results[index] for index in (0, 2)] == [reverse("shop:cart")] * 2
    assert [results[index] for index in (1, 3, 4)] == [reverse("shop:order", args=[order.pk])] * 3
    assert Stock.objects.get(product=first).available == 97
    assert Stock.objects.get(product=second).available == 93


def test_five_submissions_of_one_cart_version_with_five_keys_place_one_order():
    retailer = OrderingRetailerFactory()
    product = ProductFactory(stock=100)
    cart = CartIdentity("5ab5", 2)

    def place(index):
        order = order_place(
            retailer=retailer, lines=[(product.pk, 3)], idempotency_key=f"k{index}", cart=cart
        )
        return order.pk, order.was_placed_before

    results, errors = race(5, place)
    assert errors == []
    order = Order.objects.get()
    assert sorted(results) == [(order.pk, False)] + [(order.pk, True)] * 4
    assert Stock.objects.get(product=product).available == 97


def test_two_versions_of_one_cart_racing_place_one_order():
    retailer = OrderingRetailerFactory()
    product = ProductFactory(stock=100)

    def place(index):
        try:
            order_place(
                retailer=retailer,
                lines=[(product.pk, 3 + index % 2)],
                idempotency_key=f"k{index}",
                cart=CartIdentity("5ab5", 1 + index % 2),
            )
        except OrderRefused as refused:
            return refused.reason
        return "placed"

    results, errors = race(6, place)
    assert errors == []
    order = Order.objects.get()
    assert set(results) == {"placed", OrderRefused.CART}
    assert Stock.objects.get(product=product).available == 100 - order.total_cartons
