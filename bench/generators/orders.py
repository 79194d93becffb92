"""Orders and their lines up to `scale.order_lines`: weekly orders of the retailers over the
last four months, mostly delivered, five lines each on average, with their first status."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bench.generators import generator
from extranet.market.models import SalesSummaryMonth
from extranet.market.services import sales_summary_rebuild
from extranet.models import Order, OrderLine, OrderStatusChange, Product, Retailer

BATCH = 2000
KEY_PREFIX = "bench-"


@generator("orders")
def orders(scale, rng):
    _orders(scale, rng)
    # The market analysis' monthly summary, as the worker keeps it in production: orders loaded
    # in bulk are seen only by the nightly rebuild, so the generator runs it when it is missing
    # or older than the orders.
    if _summary_stale():
        sales_summary_rebuild()


def _summary_stale() -> bool:
    latest_order = Order.objects.aggregate(latest=Max("placed_at"))["latest"]
    if latest_order is None:
        return False
    refreshed = SalesSummaryMonth.objects.aggregate(latest=Max("last_placed_at"))["latest"]
    return refreshed is None or refreshed < latest_order


def _orders(scale, rng):
    done = OrderLine.objects.filter(order__idempotency_key__startswith=KEY_PREFIX).count()
    if done >= scale.order_lines:
        return
    products = list(
        Product.objects.filter(code__startswith="B", is_scarce=False).values_list(
            "pk", "wholesale_price"
        )
    )
    # Retailers with logins first, so the pages the bench drives show a history.
    retailer_ids = list(
        Retailer.objects.filter(logins__isnull=False).order_by("pk").values_list("pk", flat=True)
    )
    retailer_ids += list(
        Retailer.objects.filter(logins__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    now = timezone.now()
    number = Order.objects.filter(idempotency_key__startswith=KEY_PREFIX).count()
    lines_made = done
    while lines_made < scale.order_lines:
        batch = []
        batch_lines = []
        for _ in range(BATCH // 5):
            retailer_id = retailer_ids[number % len(retailer_ids)]
            placed = now - timedelta(minutes=rng.randrange(120 * 24 * 60))
            chosen = rng.sample(products, k=min(len(products), rng.randrange(3, 8)))
            lines = [(pk, price, rng.randrange(1, 20)) for pk, price in chosen]
            status = rng.choices(
                ["delivered", "cancelled", "submitted", "confirmed"], weights=[90, 4, 3, 3]
            )[0]
            batch.append(
                Order(
                    retailer_id=retailer_id,
                    cycle=timezone.localtime(placed).date(),  # placed on its order day
                    status=status,
                    idempotency_key=f"{KEY_PREFIX}{number}",
                    placed_at=placed,
                    total_cartons=sum(quantity for _pk, _price, quantity in lines),
                    total_amount=sum(
                        (price * quantity for _pk, price, quantity in lines), Decimal("0")
                    ),
                    paid_at=placed if status == "delivered" else None,
                )
            )
            batch_lines.append(lines)
            number += 1
            lines_made += len(lines)
            if lines_made >= scale.order_lines:
                break
        with transaction.atomic():
            created = Order.objects.bulk_create(batch)
            OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order_id=order.pk,
                        product_id=pk,
                        quantity=quantity,
                        unit_price=price,
                        amount=price * quantity,
                    )
                    for order, lines in zip(created, batch_lines, strict=True)
                    for pk, price, quantity in lines
                ]
            )
            OrderStatusChange.objects.bulk_create(
                [
                    OrderStatusChange(
                        order_id=order.pk, status=order.status, changed_at=order.placed_at
                    )
                    for order in created
                ]
            )
