"""A store that may not buy is told why and is not offered the checkout; a licence that expires
within 30 days is announced on the store's home, its profile and its cart."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from extranet.models import Order
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.factories.people import RetailerLoginFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory())
    client.force_login(login.user)
    client.retailer = login.retailer
    return client


def set_retailer(client, **values):
    for name, value in values.items():
        setattr(client.retailer, name, value)
    client.retailer.save()


def checkout_button(html):
    start = html.index('class="checkout-form"')
    return html[start : html.index("</form>", start)]


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"business_status": "suspended"}, "not open for business"),
        ({"business_status": "closed"}, "not open for business"),
        ({"licence_expires_on": -1}, "licence has expired"),
    ],
)
def test_checkout_is_disabled_with_the_reason_for_a_store_that_may_not_buy(shop, values, reason):
    today = timezone.localdate()
    if "licence_expires_on" in values:
        values = {"licence_expires_on": today + timedelta(days=values["licence_expires_on"])}
    set_retailer(shop, **values)
    shop.post(reverse("shop:cart_add"), {"product": ProductFactory(stock=9).pk, "quantity": 1})
    response = shop.get(reverse("shop:cart"))
    html = response.content.decode()
    assert reason in html
    assert "disabled" in checkout_button(html)
    form = response.context["checkout"]
    posted = shop.post(
        reverse("shop:checkout"),
        {"idempotency_key": "k", "cart": form["cart"]},
        follow=True,
    )
    assert reason in posted.content.decode()
    assert Order.objects.count() == 0
    assert reason in shop.get("/").content.decode()


def test_licence_last_valid_day_still_offers_the_checkout(shop):
    set_retailer(shop, licence_expires_on=timezone.localdate())
    shop.post(reverse("shop:cart_add"), {"product": ProductFactory(stock=9).pk, "quantity": 1})
    html = shop.get(reverse("shop:cart")).content.decode()
    assert "disabled" not in checkout_button(html)
    assert "licence expires on" in html


@pytest.mark.parametrize(("days", "warned"), [(30, True), (31, False)])
def test_the_home_warns_from_30_days_before_the_licence_expires(shop, days, warned):
    expires_on = timezone.localdate() + timedelta(days=days)
    set_retailer(shop, licence_expires_on=expires_on)
    home = shop.get("/").content.decode()
    assert ("Your tobacco retail licence expires on" in home) is warned
    profile = shop.get(reverse("shop:profile")).content.decode()
    assert ("Your tobacco retail licence expires on" in profile) is warned


def test_profile_names_the_order_day_and_the_delivery_day_that_follows(shop):
    set_retailer(shop, order_day=2)  # Wednesday
    html = shop.get(reverse("shop:profile")).content.decode()
    assert "Order day</dt><dd>Wednesday" in html
    assert "Delivery day</dt><dd>Thursday" in html


def test_catalogue_shows_todays_order_day_and_the_delivery_day(shop):
    today = timezone.localdate()
    html = shop.get(reverse("shop:products")).content.decode()
    assert "ordering is open until" in html
    window = shop.get(reverse("shop:products")).context["window"]
    assert window.cycle == today
    assert window.delivery_on == today + timedelta(days=1)
