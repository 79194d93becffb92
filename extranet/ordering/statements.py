"""The SQL statements of `order_place`, the hot path of ordering: one cursor, five to seven
statements an order, no querysets or model instances it does not need. They only read and
write; `extranet.ordering.services.order_place` holds the locks' order and decides what to
refuse."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from extranet.catalogue.models import Product
from extranet.ordering.models import Order

# The audit code of a placed order, written by the SQL below (its sentence: extranet/audit.py).
ORDER_PLACED_AUDIT_ACTION = "order.placed"

CENT = Decimal("0.01")


class OrderedProduct(NamedTuple):
    label: str  # as str(product): "brand name"
    orderable: bool
    scarce: bool
    price: Decimal
    limit: int  # cartons per cycle when scarce: the retailer's override, else its grade's, else 0
    available: int = 0  # cartons in stock, read only when asked for (`with_stock`)


def money(value) -> Decimal:
    """A decimal column read through a plain cursor (SQLite hands back floats)."""
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(CENT)


def moment(value) -> datetime | None:
    """A datetime column read through a plain cursor: PostgreSQL hands back an aware datetime,
    SQLite a naive one (or its text) in UTC, as Django stores it there."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def ordered_products(
    cursor, *, retailer_id, grade, product_ids, with_stock: bool = False
) -> dict[int, OrderedProduct]:
    """The ordered products with their price, and their limit for this retailer in the same
    query (the rule of `extranet.catalogue.selectors.allowances`: the retailer's own
    limit, else its grade's, else nothing may be ordered); `with_stock`: and the cartons in
    stock (the cart shows their level)."""
    if not product_ids:
        return {}
    stock_column, stock_join = "0", ""
    if with_stock:
        stock_column = "COALESCE(stock.available, 0)"
        stock_join = " LEFT JOIN extranet_stock stock ON stock.product_id = p.id"
    cursor.execute(
        "SELECT p.id, b.name, p.name, p.status, p.is_scarce, p.wholesale_price,"  # noqa: S608 (only placeholders and fixed text are formatted in)
        f" COALESCE(own.cartons, by_grade.cartons, 0), {stock_column}"
        " FROM extranet_product p JOIN extranet_brand b ON b.id = p.brand_id"
        " LEFT JOIN extranet_retailerallocation own"
        "  ON own.product_id = p.id AND own.retailer_id = %s"
        " LEFT JOIN extranet_allocation by_grade"
        f"  ON by_grade.product_id = p.id AND by_grade.grade = %s{stock_join}"
        f" WHERE p.id IN ({_placeholders(len(product_ids))})",
        [retailer_id, grade, *product_ids],
    )
    return {
        pk: OrderedProduct(
            label=f"{brand} {name}".strip(),
            orderable=status != Product.Status.DISCONTINUED,
            scarce=bool(scarce),
            price=money(price),
            limit=limit,
            available=available,
        )
        for pk, brand, name, status, scarce, price, limit, available in cursor.fetchall()
    }


def take_allowances(cursor, *, retailer_id, cycle, requested, products) -> tuple[int, int] | None:
    """Add the scarce lines to the retailer's allowance used this cycle and check the limits.
    One upsert creates the missing rows and locks them in product-id order (the lines are
    sorted); it returns the new totals, so the check is made on the locked rows. Returns
    (product id, cartons remaining) of the first line over its limit (the caller refuses the
    order and its transaction undoes the upsert), or None when every line fits."""
    scarce = [line for line in requested if products[line.product_id].scarce]
    if not scarce:
        return None
    cycle_value = connection.ops.adapt_datefield_value(cycle)
    values = []
    for line in scarce:
        values += [retailer_id, line.product_id, cycle_value, line.quantity]
    cursor.execute(
        "INSERT INTO extranet_allocationusage (retailer_id, product_id, cycle, cartons)"  # noqa: S608 (only placeholders are formatted in)
        f" VALUES {', '.join(['(%s, %s, %s, %s)'] * len(scarce))}"
        " ON CONFLICT (retailer_id, product_id, cycle) DO UPDATE"
        " SET cartons = extranet_allocationusage.cartons + excluded.cartons"
        " RETURNING product_id, cartons",
        values,
    )
    used = dict(cursor.fetchall())
    for line in scarce:
        product = products[line.product_id]
        remaining = product.limit - (used[line.product_id] - line.quantity)
        if line.quantity > remaining:
            return line.product_id, max(remaining, 0)
    return None


def write_order(cursor, *, order: Order, requested, products, data: dict) -> int:
    """Insert the order, its lines, its first status and its audit entry (what `audit_record`
    writes); returns the order's id. On PostgreSQL one statement does all four."""
    ops = connection.ops
    placed_at = ops.adapt_datetimefield_value(order.placed_at)
    order_values = [
        order.retailer_id,
        ops.adapt_datefield_value(order.cycle),
        order.status,
        order.idempotency_key,
        placed_at,
        order.placed_by_id,
        order.total_cartons,
        order.total_amount,
        order.reorder_of_id,
    ]
    line_values = []
    for line in requested:
        price = products[line.product_id].price
        line_values += [line.product_id, line.quantity, price, price * line.quantity]
    content_type = ContentType.objects.get_for_model(Order, for_concrete_model=False)
    audit_values = [
        order.placed_by_id,
        ORDER_PLACED_AUDIT_ACTION,
        content_type.pk,
        json.dumps(data),
        ops.adapt_datetimefield_value(timezone.now()),
    ]
    insert_order = (
        "INSERT INTO extranet_order (retailer_id, cycle, status, idempotency_key, placed_at,"
        " placed_by_id, total_cartons, total_amount, paid_at, cancel_reason, reorder_of_id)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, '', %s)"
    )
    if connection.vendor == "postgresql":
        lines_sql = ", ".join(
            ["(%s::bigint, %s::integer, %s::numeric, %s::numeric)"] * len(requested)
        )
        cursor.execute(
            f"WITH placed AS ({insert_order} RETURNING id),"  # noqa: S608 (only placeholders are formatted in)
            " lines AS (INSERT INTO extranet_orderline"
            "  (order_id, product_id, quantity, unit_price, amount)"
            "  SELECT placed.id, line.product_id, line.quantity, line.unit_price, line.amount"
            f"  FROM placed, (VALUES {lines_sql})"
            "  AS line (product_id, quantity, unit_price, amount)),"
            " history AS (INSERT INTO extranet_orderstatuschange"
            "  (order_id, status, changed_at, changed_by_id, note)"
            "  SELECT id, %s::varchar, %s::timestamptz, %s::bigint, '' FROM placed),"
            " audit AS (INSERT INTO portal_auditentry (actor_id, action, target_type_id,"
            "  target_id, target_repr, reason, data, ip_address, created_at)"
            "  SELECT %s::bigint, %s::varchar, %s::integer, id::text,"
            # target_repr: Order.number (str(order)), written in SQL
            "  'D' || CASE WHEN id < 10000000 THEN lpad(id::text, 7, '0') ELSE id::text END,"
            "  '', %s::jsonb, NULL, %s::timestamptz FROM placed)"
            " SELECT id FROM placed",
            [
                *order_values,
                *line_values,
                order.status,
                placed_at,
                order.placed_by_id,
                *audit_values,
            ],
        )
        return cursor.fetchone()[0]
    cursor.execute(insert_order, order_values)
    order_id = cursor.lastrowid
    cursor.execute(
        "INSERT INTO extranet_orderline (order_id, product_id, quantity, unit_price, amount)"  # noqa: S608 (only placeholders are formatted in)
        f" VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(requested))}",
        [
            value
            for index in range(0, len(line_values), 4)
            for value in (order_id, *line_values[index : index + 4])
        ],
    )
    cursor.execute(
        "INSERT INTO extranet_orderstatuschange (order_id, status, changed_at, changed_by_id,"
        " note) VALUES (%s, %s, %s, %s, '')",
        [order_id, order.status, placed_at, order.placed_by_id],
    )
    cursor.execute(
        "INSERT INTO portal_auditentry (actor_id, action, target_type_id, target_id,"
        " target_repr, reason, data, ip_address, created_at)"
        " VALUES (%s, %s, %s, %s, %s, '', %s, NULL, %s)",
        [*audit_values[:3], str(order_id), Order(pk=order_id).number, *audit_values[3:]],
    )
    return order_id


def take_stock(cursor, *, requested) -> int | None:
    """Lock the stock rows of the ordered products in product-id order, check that each has
    the cartons asked for and take them — one statement on PostgreSQL, so that these shared,
    contended locks are held only until the commit that follows. (SQLite has one writer at a
    time: its transaction already excludes every other order.) Returns the id of the first
    product short of stock (the caller refuses the order), or None when all were taken."""
    quantities = {line.product_id: line.quantity for line in requested}
    values = [value for line in requested for value in (line.product_id, line.quantity)]
    pairs = ", ".join(["(%s, %s)"] * len(requested))
    if connection.vendor == "postgresql":
        cursor.execute(
            "WITH locked AS MATERIALIZED (SELECT product_id FROM extranet_stock"  # noqa: S608 (only placeholders are formatted in)
            f" WHERE product_id IN ({_placeholders(len(requested))})"
            " ORDER BY product_id FOR UPDATE)"
            " UPDATE extranet_stock AS stock SET available = stock.available - wanted.quantity"
            f" FROM locked, (VALUES {pairs}) AS wanted (product_id, quantity)"
            " WHERE stock.product_id = locked.product_id"
            " AND wanted.product_id = locked.product_id"
            " AND stock.available >= wanted.quantity"
            " RETURNING stock.product_id",
            [*quantities, *values],
        )
    else:
        wanted = " UNION ALL ".join(["SELECT %s AS product_id, %s AS quantity"] * len(requested))
        cursor.execute(
            "UPDATE extranet_stock AS stock SET available = stock.available - wanted.quantity"  # noqa: S608 (only placeholders are formatted in)
            f" FROM ({wanted}) AS wanted"
            " WHERE stock.product_id = wanted.product_id AND stock.available >= wanted.quantity"
            " RETURNING product_id",
            values,
        )
    taken = {row[0] for row in cursor.fetchall()}
    for line in requested:
        if line.product_id not in taken:
            return line.product_id
    return None
