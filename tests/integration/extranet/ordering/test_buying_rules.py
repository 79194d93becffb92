"""order_place's rules of issue 16: only an open store with a valid licence may buy (checked
under the retailer's lock), the store orders on its order day, one cart version one order."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from extranet.models import AllocationUsage, Order, Stock
from extranet.ordering.services import CartIdentity, OrderRefused, order_place
from tests.factories.extranet import AllocationFactory, OrderingRetailerFactory, ProductFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
# Thursday 31 December 2026 is the order day and the licence's last valid day.
LAST_DAY = date(2026, 12, 31)
THURSDAY = 3


def place(retailer, product, *, now, key="k", cart=None):
    return order_place(
        retailer=retailer, lines=[(product.pk, 2)], idempotency_key=key, now=now, cart=cart
    )


def test_licence_last_valid_day_may_order_until_2359():
    retailer = OrderingRetailerFactory(order_day=THURSDAY, licence_expires_on=LAST_DAY)
    product = ProductFactory(stock=10)
    order = place(retailer, product, now=datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI))
    assert order.cycle == LAST_DAY


def test_licence_is_refused_the_day_after_in_the_factorys_time_zone():
    # Friday 1 January 2027 is the store's order day here, so only the licence says no.
    retailer = OrderingRetailerFactory(order_day=4, licence_expires_on=LAST_DAY)
    product = ProductFactory(stock=10)
    AllocationFactory(product=product, grade=retailer.grade, cartons=5)
    product.is_scarce = True
    product.save()
    # 16:30 UTC on 31 December is 00:30 on 1 January in Shanghai: the licence has expired.
    with pytest.raises(OrderRefused) as refused:
        place(retailer, product, now=datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert refused.value.reason == OrderRefused.LICENCE
    assert "licence has expired" in refused.value.message
    assert Order.objects.count() == 0
    assert Stock.objects.get(product=product).available == 10
    assert not AllocationUsage.objects.exists()


@pytest.mark.parametrize("status", ["suspended", "closed"])
def test_a_store_not_open_for_business_is_refused(status):
    retailer = OrderingRetailerFactory(order_day=THURSDAY, business_status=status)
    product = ProductFactory(stock=10)
    with pytest.raises(OrderRefused) as refused:
        place(retailer, product, now=datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI))
    assert refused.value.reason == OrderRefused.STATUS
    assert "not open for business" in refused.value.message
    assert Order.objects.count() == 0
    assert Stock.objects.get(product=product).available == 10


def test_the_status_read_is_the_locked_rows_not_the_callers_copy():
    retailer = OrderingRetailerFactory(order_day=THURSDAY)
    product = ProductFactory(stock=10)
    stale_copy = type(retailer).objects.get(pk=retailer.pk)
    type(retailer).objects.filter(pk=retailer.pk).update(business_status="suspended")
    with pytest.raises(OrderRefused):
        place(stale_copy, product, now=datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI))


@pytest.mark.parametrize(
    ("now", "is_open"),
    [
        (datetime(2026, 12, 30, 23, 59, 59, tzinfo=SHANGHAI), False),  # the day before
        (datetime(2026, 12, 31, 0, 0, tzinfo=SHANGHAI), True),  # the order day opens
        (datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI), True),  # ... until 23:59
        (datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI), False),  # the day after
    ],
)
def test_the_store_orders_on_its_order_day(now, is_open):
    retailer = OrderingRetailerFactory(order_day=THURSDAY)
    product = ProductFactory(stock=10)
    if is_open:
        assert place(retailer, product, now=now).cycle == LAST_DAY
    else:
        with pytest.raises(OrderRefused) as refused:
            place(retailer, product, now=now)
        assert refused.value.reason == OrderRefused.WINDOW


def test_one_cart_version_is_one_order_whatever_the_idempotency_keys():
    retailer = OrderingRetailerFactory(order_day=THURSDAY)
    product = ProductFactory(stock=10)
    now = datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI)
    cart = CartIdentity("c0ffee", 3)
    orders = [place(retailer, product, now=now, key=f"tab{tab}", cart=cart) for tab in range(5)]
    assert {order.pk for order in orders} == {orders[0].pk}
    assert [order.was_placed_before for order in orders] == [False] + [True] * 4
    assert Stock.objects.get(product=product).available == 8
    # Another version of the ordered cart (it changed meanwhile) is refused, not placed.
    with pytest.raises(OrderRefused) as refused:
        place(retailer, product, now=now + timedelta(minutes=1), cart=CartIdentity("c0ffee", 4))
    assert refused.value.reason == OrderRefused.CART
    assert orders[0].number in refused.value.message
    assert Order.objects.count() == 1
    # A new cart orders again.
    place(retailer, product, now=now, cart=CartIdentity("beef", 1))
    assert Order.objects.count() == 2


@pytest.mark.parametrize("token", ["", "x", "abc:", ":1", "a-b:1", "abc:1:2", "a" * 33 + ":1"])
def test_bad_cart_tokens_are_not_identities(token):
    assert CartIdentity.parse(token) is None


def test_cart_token_round_trips():
    assert CartIdentity.parse(CartIdentity("ab12", 7).token) == CartIdentity("ab12", 7)
