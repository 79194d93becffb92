"""order_place and the changes to orders: the rules of ordering, each with what it refuses."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from extranet.models import AllocationUsage, Order, OrderLine, Retailer, Stock
from extranet.ordering.services import (
    OrderRefused,
    order_cancel,
    order_mark_paid,
    order_place,
    orders_advance,
    reorder_plan,
)
from portal.models import AuditEntry
from tests.factories.extranet import (
    AllocationFactory,
    OrderingRetailerFactory,
    ProductFactory,
    RetailerAllocationFactory,
)
from tests.factories.people import RetailerLoginFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def stock_of(product):
    return Stock.objects.get(product=product).available


def test_order_is_written_with_database_prices_and_stock_is_decremented():
    retailer = OrderingRetailerFactory()
    product = ProductFactory(wholesale_price=Decimal("210.50"), stock=100)
    order = order_place(retailer=retailer, lines=[(product.pk, 3)], idempotency_key="k1")
    line = OrderLine.objects.get(order=order)
    assert (line.quantity, line.unit_price) == (3, Decimal("210.50"))
    assert line.amount == Decimal("631.50")
    assert order.total_amount == Decimal("631.50") and order.status == Order.Status.SUBMITTED
    assert stock_of(product) == 97
    assert order.history.count() == 1
    assert AuditEntry.objects.filter(action="order.placed").count() == 1


def test_repeated_key_returns_the_same_order():
    retailer = OrderingRetailerFactory()
    product = ProductFactory(stock=100)
    first = order_place(retailer=retailer, lines=[(product.pk, 3)], idempotency_key="same")
    again = order_place(retailer=retailer, lines=[(product.pk, 3)], idempotency_key="same")
    assert first.pk == again.pk
    assert Order.objects.count() == 1 and stock_of(product) == 97


@pytest.mark.parametrize("quantity", [0, -1, "abc", "1.5", 10**12, True, None])
def test_bad_quantities_are_refused_and_change_nothing(quantity):
    retailer = OrderingRetailerFactory()
    product = ProductFactory(stock=100)
    with pytest.raises(OrderRefused, match="whole numbers of cartons"):
        order_place(retailer=retailer, lines=[(product.pk, quantity)], idempotency_key="k")
    assert Order.objects.count() == 0 and stock_of(product) == 100


def test_unknown_or_discontinued_products_are_refused():
    retailer = OrderingRetailerFactory()
    product = ProductFactory(stock=100)
    gone = ProductFactory(status="discontinued")
    for lines in ([(999999, 1)], [(product.pk, 1), (gone.pk, 1)]):
        with pytest.raises(OrderRefused, match="cannot be ordered"):
            order_place(retailer=retailer, lines=lines, idempotency_key="k")
    assert Order.objects.count() == 0 and stock_of(product) == 100


def test_more_than_stock_is_refused():
    retailer = OrderingRetailerFactory()
    product = ProductFactory(stock=5)
    with pytest.raises(OrderRefused, match="Not enough stock"):
        order_place(retailer=retailer, lines=[(product.pk, 6)], idempotency_key="k")
    assert stock_of(product) == 5


def test_retailer_cannot_exceed_grade_allocation_over_a_cycle():
    retailer = OrderingRetailerFactory(grade=5)
    allocation = AllocationFactory(grade=5, cartons=4)
    product = allocation.product
    order_place(retailer=retailer, lines=[(product.pk, 3)], idempotency_key="a")
    with pytest.raises(OrderRefused, match="limit is 4 cartons .* 1 remain"):
        order_place(retailer=retailer, lines=[(product.pk, 2)], idempotency_key="b")
    order_place(retailer=retailer, lines=[(product.pk, 1)], idempotency_key="c")
    assert AllocationUsage.objects.get(retailer=retailer, product=product).cartons == 4


def test_scarce_product_without_allocation_for_the_grade_cannot_be_ordered():
    retailer = OrderingRetailerFactory(grade=8)
    product = AllocationFactory(grade=1, cartons=50).product
    with pytest.raises(OrderRefused, match="limit is 0 cartons"):
        order_place(retailer=retailer, lines=[(product.pk, 1)], idempotency_key="k")


def test_retailer_allocation_overrides_the_grade():
    override = RetailerAllocationFactory(cartons=10)
    AllocationFactory(product=override.product, grade=override.retailer.grade, cartons=2)
    order = order_place(
        retailer=override.retailer, lines=[(override.product.pk, 10)], idempotency_key="k"
    )
    assert order.total_cartons == 10


def test_ordering_outside_the_window_is_refused_with_the_next_order_day():
    # The store orders ON its order day (Thursday 26 November 2026), not the day before.
    wednesday_evening = datetime(2026, 11, 25, 23, 0, tzinfo=SHANGHAI)
    retailer = OrderingRetailerFactory(order_day=3)
    product = ProductFactory()
    with pytest.raises(OrderRefused) as refused:
        order_place(
            retailer=retailer,
            lines=[(product.pk, 1)],
            idempotency_key="k",
            now=wednesday_evening,
        )
    assert "Your next order day is" in refused.value.message
    assert "2026" in refused.value.message
    assert refused.value.reason == OrderRefused.WINDOW
    order = order_place(
        retailer=retailer,
        lines=[(product.pk, 1)],
        idempotency_key="k",
        now=wednesday_evening + timedelta(hours=9),
    )
    assert order.cycle.isoformat() == "2026-11-26"
    assert order.delivery_date.isoformat() == "2026-11-27"


def test_credit_limit_counts_open_unpaid_orders():
    retailer = OrderingRetailerFactory(settlement=Retailer.Settlement.CREDIT, credit_limit=1000)
    product = ProductFactory(wholesale_price=Decimal("200.00"))
    first = order_place(retailer=retailer, lines=[(product.pk, 4)], idempotency_key="a")
    with pytest.raises(OrderRefused, match="¥400.00 exceeds your available credit of ¥200.00"):
        order_place(retailer=retailer, lines=[(product.pk, 2)], idempotency_key="b")
    order_mark_paid(order=first, actor=None)
    order_place(retailer=retailer, lines=[(product.pk, 2)], idempotency_key="b")


def test_cancelling_releases_stock_and_allowance():
    retailer = OrderingRetailerFactory(grade=8)
    product = AllocationFactory(grade=8, cartons=5).product
    order = order_place(retailer=retailer, lines=[(product.pk, 5)], idempotency_key="a")
    stock_before = stock_of(product)
    order_cancel(order=order, actor=None, by_retailer=True)
    assert stock_of(product) == stock_before + 5
    assert AllocationUsage.objects.get(retailer=retailer, product=product).cartons == 0
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert list(order.history.values_list("status", flat=True)) == ["submitted", "cancelled"]
    order_place(retailer=retailer, lines=[(product.pk, 5)], idempotency_key="b")


def test_retailer_cannot_cancel_after_confirmation_but_staff_can_with_a_reason():
    retailer = OrderingRetailerFactory()
    product = ProductFactory(stock=10)
    order = order_place(retailer=retailer, lines=[(product.pk, 2)], idempotency_key="a")
    assert orders_advance(order_ids=[order.pk], from_status="submitted", actor=None) == 1
    with pytest.raises(OrderRefused, match="confirmed already"):
        order_cancel(order=order, actor=None, by_retailer=True)
    with pytest.raises(OrderRefused, match="reason"):
        order_cancel(order=order, actor=None, by_retailer=False, reason=" ")
    order_cancel(order=order, actor=None, by_retailer=False, reason="Store closed")
    assert stock_of(product) == 10
    assert AuditEntry.objects.get(action="order.cancelled").reason == "Store closed"


def test_advance_moves_only_orders_still_in_the_expected_status():
    retailer = OrderingRetailerFactory()
    product = ProductFactory()
    first = order_place(retailer=retailer, lines=[(product.pk, 1)], idempotency_key="a")
    second = order_place(retailer=retailer, lines=[(product.pk, 1)], idempotency_key="b")
    orders_advance(order_ids=[first.pk], from_status="submitted", actor=None)
    moved = orders_advance(order_ids=[first.pk, second.pk], from_status="submitted", actor=None)
    assert moved == 1
    first.refresh_from_db()
    assert first.status == "confirmed"
    for status in ("confirmed", "picking", "out_for_delivery"):
        orders_advance(order_ids=[first.pk], from_status=status, actor=None)
    first.refresh_from_db()
    assert first.status == "delivered"
    with pytest.raises(OrderRefused):
        orders_advance(order_ids=[first.pk], from_status="delivered", actor=None)


def test_reorder_is_adjusted_to_todays_limits_with_notes():
    retailer = OrderingRetailerFactory(grade=8)
    scarce = AllocationFactory(grade=8, cartons=6).product
    plain = ProductFactory(stock=2)
    gone = ProductFactory()
    past = order_place(
        retailer=retailer,
        lines=[(scarce.pk, 4), (plain.pk, 2), (gone.pk, 1)],
        idempotency_key="a",
    )
    type(gone).objects.filter(pk=gone.pk).update(status="discontinued")
    type(plain).objects.filter(pk=plain.pk).update(wholesale_price=Decimal("300.00"))
    Stock.objects.filter(product=plain).update(available=1)
    plan = reorder_plan(order=past, retailer=retailer, now=timezone.now())
    assert dict(plan.lines) == {scarce.pk: 2, plain.pk: 1}
    text = " ".join(plan.notes)
    assert "discontinued" in text and "allowance" in text and "stock" in text
    assert "price changed" in text


def test_refusals_say_which_rule_and_product_so_that_the_cart_can_be_fixed():
    retailer = OrderingRetailerFactory(grade=5)
    scarce = AllocationFactory(grade=5, cartons=4, product__stock=100).product
    plain = ProductFactory(stock=5)
    order_place(retailer=retailer, lines=[(scarce.pk, 3)], idempotency_key="a")
    with pytest.raises(OrderRefused) as allowance:
        order_place(retailer=retailer, lines=[(plain.pk, 1), (scarce.pk, 2)], idempotency_key="b")
    assert allowance.value.reason == OrderRefused.ALLOWANCE
    assert (allowance.value.product_id, allowance.value.remaining) == (scarce.pk, 1)
    with pytest.raises(OrderRefused) as stock:
        order_place(retailer=retailer, lines=[(plain.pk, 6), (scarce.pk, 1)], idempotency_key="c")
    assert (stock.value.reason, stock.value.product_id) == (OrderRefused.STOCK, plain.pk)
    # Refused submits changed nothing: the allowance and the stock are as the first order left
    # them, and lowering the lines as the refusals say is accepted.
    assert AllocationUsage.objects.get(retailer=retailer, product=scarce).cartons == 3
    assert stock_of(plain) == 5 and stock_of(scarce) == 97
    order_place(retailer=retailer, lines=[(plain.pk, 5), (scarce.pk, 1)], idempotency_key="d")
    assert stock_of(plain) == 0
    assert AllocationUsage.objects.get(retailer=retailer, product=scarce).cartons == 4


def test_placed_order_is_audited_like_any_other_change():
    login_user = RetailerLoginFactory().user
    retailer = OrderingRetailerFactory()
    product = ProductFactory(wholesale_price=Decimal("100.00"), stock=10)
    order = order_place(
        retailer=retailer, lines=[(product.pk, 2)], idempotency_key="k", placed_by=login_user
    )
    entry = AuditEntry.objects.get(action="order.placed")
    assert entry.target == order and entry.target_repr == order.number == str(order)
    assert entry.actor == login_user
    assert entry.data == {"retailer": retailer.pk, "amount": "200.00"}
    stored = Order.objects.get(pk=order.pk)
    assert (stored.placed_by, stored.total_amount, stored.total_cartons) == (
        login_user,
        Decimal("200.00"),
        2,
    )
    assert list(stored.history.values_list("status", "changed_by")) == [
        ("submitted", login_user.pk)
    ]
