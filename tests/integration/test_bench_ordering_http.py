"""bench.ordering_http puts the data back after its books: the run's orders go, the stock and
the contested allowance are as before, and everything older stays."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bench.ordering_http import _put_back
from extranet.models import AllocationUsage, Order, OrderLine, OrderStatusChange, Stock
from tests.factories.extranet import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_the_runs_orders_are_deleted_and_the_stock_put_back():
    plentiful = ProductFactory(stock=900)
    contested = ProductFactory(is_scarce=True, stock=3)
    started = timezone.now()
    older = OrderFactory(placed_at=started - timedelta(days=1), lines=[(plentiful, 2)])
    run = [
        OrderFactory(retailer=older.retailer, lines=[(plentiful, 5), (contested, 1)]),
        OrderFactory(lines=[(contested, 2)]),
    ]
    stock_before = {plentiful.pk: 1000, contested.pk: 6}  # what the run started with
    AllocationUsage.objects.create(
        retailer=run[1].retailer, product=contested, cycle=run[1].cycle, cartons=2
    )
    retailer_ids = [order.retailer_id for order in run]
    run_orders = Order.objects.filter(retailer_id__in=retailer_ids, placed_at__gte=started)

    assert _put_back(run_orders, contested, stock_before) == 2

    assert list(Order.objects.all()) == [older]
    assert set(OrderLine.objects.values_list("order_id", flat=True)) == {older.pk}
    assert set(OrderStatusChange.objects.values_list("order_id", flat=True)) == {older.pk}
    assert dict(Stock.objects.values_list("product_id", "available")) == stock_before
    assert not AllocationUsage.objects.filter(product=contested).exists()
