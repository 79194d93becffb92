"""One cart, one order: every tab and every repeated submit of a cart answers with the order it
became; a checkout form shown before the cart's last change never places or discards it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from extranet.models import Order, Stock
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.factories.people import RetailerLoginFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory())
    client.force_login(login.user)
    client.retailer = login.retailer
    return client


def add(client, product, quantity):
    return client.post(
        reverse("shop:cart_add"), {"product": product.pk, "quantity": quantity}, follow=True
    )


def checkout_form(client):
    form = client.get(reverse("shop:cart")).context["checkout"]
    return {"idempotency_key": form["idempotency_key"], "cart": form["cart"]}


def texts(response):
    return [str(message) for message in response.context["messages"]]


def test_five_tabs_with_five_keys_make_one_order(shop):
    product = ProductFactory(stock=50, wholesale_price=Decimal("100.00"))
    add(shop, product, 3)
    tabs = [checkout_form(shop) for _ in range(5)]
    assert len({tab["idempotency_key"] for tab in tabs}) == 5
    responses = [shop.post(reverse("shop:checkout"), tab, follow=True) for tab in tabs]
    order = Order.objects.get()
    assert all(response.context["order"].pk == order.pk for response in responses)
    assert "This cart was ordered already; here is the order." in texts(responses[3])
    assert order.total_cartons == 3
    assert Stock.objects.get(product=product).available == 47
    assert shop.session["extranet_cart"] == {}


def test_reload_and_tap_again_on_a_phone_makes_one_order(shop):
    product = ProductFactory(stock=50)
    add(shop, product, 3)
    form = checkout_form(shop)
    shop.post(reverse("shop:checkout"), form)
    # The slow page is reloaded: the cart page is empty now; the old form is submitted again.
    again = shop.post(reverse("shop:checkout"), {**form, "idempotency_key": "another"}, follow=True)
    assert again.context["order"].pk == Order.objects.get().pk


def test_back_button_form_after_adding_seven_cartons_keeps_the_new_cart(shop):
    product, other = ProductFactory(stock=50), ProductFactory(stock=50)
    add(shop, product, 3)
    old_form = checkout_form(shop)
    first = shop.post(reverse("shop:checkout"), old_form)
    order = Order.objects.get()
    assert first["Location"] == reverse("shop:order", args=[order.pk])
    add(shop, other, 7)
    back = shop.post(reverse("shop:checkout"), old_form, follow=True)
    assert back.request["PATH_INFO"] == reverse("shop:cart")
    messages = texts(back)
    assert f"Order {order.number} was placed from that cart already." in messages
    assert any("Your cart has changed" in message for message in messages)
    assert shop.session["extranet_cart"] == {str(other.pk): 7}
    assert Order.objects.count() == 1
    # The kept cart orders on purpose, once.
    shop.post(reverse("shop:checkout"), checkout_form(shop))
    assert Order.objects.count() == 2
    assert Order.objects.latest("pk").total_cartons == 7


def test_a_form_shown_before_the_carts_last_change_does_not_place_it(shop):
    product, other = ProductFactory(stock=50), ProductFactory(stock=50)
    add(shop, product, 3)
    stale = checkout_form(shop)
    add(shop, other, 7)  # in another tab
    response = shop.post(reverse("shop:checkout"), stale, follow=True)
    assert response.request["PATH_INFO"] == reverse("shop:cart")
    assert any("Your cart has changed" in message for message in texts(response))
    assert Order.objects.count() == 0
    assert shop.session["extranet_cart"] == {str(product.pk): 3, str(other.pk): 7}
    shop.post(reverse("shop:checkout"), checkout_form(shop))
    assert Order.objects.get().total_cartons == 10


def test_updating_the_cart_without_a_change_keeps_its_version(shop):
    product = ProductFactory(stock=50)
    add(shop, product, 3)
    form = checkout_form(shop)
    shop.post(reverse("shop:cart"), {f"quantity-{product.pk}": "3"})
    assert checkout_form(shop)["cart"] == form["cart"]
    shop.post(reverse("shop:cart"), {f"quantity-{product.pk}": "4"})
    assert checkout_form(shop)["cart"] != form["cart"]


@pytest.mark.parametrize("token", [None, "", "nonsense", "abc:x"])
def test_a_form_without_a_cart_identity_has_expired(shop, token):
    add(shop, ProductFactory(stock=50), 3)
    data = {"idempotency_key": "k"} | ({} if token is None else {"cart": token})
    response = shop.post(reverse("shop:checkout"), data, follow=True)
    assert response.status_code == 200
    assert "The order form has expired; please submit it again." in texts(response)
    assert Order.objects.count() == 0
    assert shop.session["extranet_cart"]


def test_a_cart_ordered_at_another_version_is_kept_as_a_new_cart_to_review(shop):
    """When the session's cart still carries the id of a cart ordered at an older version (two
    tabs' session writes crossed), the order is refused and the cart kept under a new id."""
    product = ProductFactory(stock=50)
    add(shop, product, 3)
    form = checkout_form(shop)
    shop.post(reverse("shop:checkout"), form)
    cart_id, version = form["cart"].split(":")
    session = shop.session
    session["extranet_cart"] = {str(product.pk): 5}
    session["extranet_cart_id"], session["extranet_cart_version"] = cart_id, int(version) + 1
    session.save()
    response = shop.post(reverse("shop:checkout"), checkout_form(shop), follow=True)
    assert any("was placed from this cart already" in message for message in texts(response))
    assert Order.objects.count() == 1
    assert shop.session["extranet_cart"] == {str(product.pk): 5}
    assert shop.session["extranet_cart_id"] != cart_id
    shop.post(reverse("shop:checkout"), checkout_form(shop))
    assert Order.objects.count() == 2
