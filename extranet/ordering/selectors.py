"""Reads of ordering that depend on who asks: the cart, a retailer's orders, the staff's order
lists and picking lists."""

from datetime import datetime

from django.db import connection
from django.db.models import Prefetch

from extranet import rules
from extranet.catalogue.selectors import allowances_used
from extranet.crm.models import Retailer
from extranet.ordering import statements
from extranet.ordering.models import Order, OrderLine, OrderStatusChange
from extranet.permissions import is_account_manager, may_see_all_retailers
from portal.generations import Generation
from portal.selectors import employee_of

# The staff's order list keeps its length in the cache (extranet.desk.order_rows) under this
# generation: bumped when an order is placed, moved on or cancelled (the services), saved or
# deleted (extranet.signals), and when what decides who sees which orders or which route they
# go on changes: a store's account manager or route saved, a route or an employee deleted
# (their stores' links are emptied without a save). A store with orders cannot be deleted.
ORDERS_GENERATION = Generation("extranet:ordering:orders:generation")


def orders_forget() -> None:
    """Orders or their stores changed: the kept lengths of the order lists are stale."""
    ORDERS_GENERATION.bump()


def orders_forget_now() -> None:
    """`orders_forget` for a change already committed (called from `on_commit`)."""
    ORDERS_GENERATION.bump_now()


def cart_lines(*, retailer: Retailer, cart: dict, now: datetime | None = None):
    """The session cart {product id: cartons} as lines with product id, label ("brand name"),
    price, cartons, amount, stock level, limit and remaining allowance; products no longer
    orderable are left out. The products, prices, limits and stock in one query (the one
    `order_place` reads), what was used this cycle in a second only for scarce products."""
    ids = [int(pk) for pk in cart]
    with connection.cursor() as cursor:
        found = statements.ordered_products(
            cursor, retailer_id=retailer.pk, grade=retailer.grade, product_ids=ids, with_stock=True
        )
    products = {pk: product for pk, product in found.items() if product.orderable}
    scarce = [pk for pk, product in products.items() if product.scarce]
    used = allowances_used(retailer=retailer, product_ids=scarce, now=now) if scarce else {}
    lines = []
    for pk in sorted(products):
        product = products[pk]
        quantity = int(cart[str(pk)])
        limit = remaining = None
        if product.scarce:
            limit, remaining = product.limit, max(product.limit - used.get(pk, 0), 0)
        lines.append(
            {
                "pk": pk,
                "label": product.label,
                "price": product.price,
                "quantity": quantity,
                "amount": product.price * quantity,
                "stock_level": rules.stock_level(product.available),
                "limit": limit,
                "remaining": remaining,
                "over_limit": remaining is not None and quantity > remaining,
            }
        )
    return lines


def product_to_add(*, retailer: Retailer, product_id: int, now: datetime | None = None):
    """What adding product `product_id` to the retailer's cart needs to know, or None when it
    cannot be ordered (unknown or discontinued): `(product, allowance)`, the product as
    `statements.OrderedProduct` (its label, price and, if scarce, this retailer's limit: the
    query `order_place` reads) and, for a scarce product, `(limit, remaining)` this cycle as
    `catalogue.selectors.allowances` gives it (None for any other). One query, two if scarce."""
    if not 0 < product_id < 2**63:  # no such id (and out of the column's range)
        return None
    with connection.cursor() as cursor:
        product = statements.ordered_products(
            cursor, retailer_id=retailer.pk, grade=retailer.grade, product_ids=[product_id]
        ).get(product_id)
    if product is None or not product.orderable:
        return None
    if not product.scarce:
        return product, None
    used = allowances_used(retailer=retailer, product_ids=[product_id], now=now)
    return product, (product.limit, max(product.limit - used.get(product_id, 0), 0))


def orders_of_retailer(*, retailer: Retailer):
    """The retailer's own orders, newest first."""
    return Order.objects.filter(retailer=retailer).order_by("-placed_at", "-pk")


def order_details_of_retailer(*, retailer: Retailer):
    """The retailer's own orders with their lines and history."""
    return Order.objects.filter(retailer=retailer).prefetch_related(
        # The lines with their product and brand in one query, not three.
        Prefetch("lines", queryset=OrderLine.objects.select_related("product__brand")),
        Prefetch("history", queryset=OrderStatusChange.objects.order_by("changed_at", "pk")),
    )


# The largest id a BigAutoField holds: a longer number in the address is no order of anyone's.
_MAX_ID = 2**63 - 1


def order_page(*, retailer_id: int, order_id: int) -> dict | None:
    """A retailer's own order as its page shows it, in one written-out statement (the page
    follows every checkout): the order with its lines (brand and product name, cartons, price,
    amount, in the lines' order), then its status history, oldest first. None when the order
    is not this retailer's or does not exist."""
    if not 0 < order_id <= _MAX_ID:
        return None
    with connection.cursor() as cursor:
        # Part 0: the order and a row per line; part 1: its status changes (of this retailer's
        # order only). The columns a part does not use are NULL.
        cursor.execute(
            "SELECT 0, l.id, NULL, o.cycle, o.status, o.total_cartons, o.total_amount,"
            " o.cancel_reason, b.name, p.name, l.quantity, l.unit_price, l.amount"
            " FROM extranet_order o"
            " LEFT JOIN extranet_orderline l ON l.order_id = o.id"
            " LEFT JOIN extranet_product p ON p.id = l.product_id"
            " LEFT JOIN extranet_brand b ON b.id = p.brand_id"
            " WHERE o.id = %s AND o.retailer_id = %s"
            " UNION ALL"
            " SELECT 1, c.id, c.changed_at, NULL, c.status, NULL, NULL, c.note,"
            " NULL, NULL, NULL, NULL, NULL"
            " FROM extranet_orderstatuschange c JOIN extranet_order o ON o.id = c.order_id"
            " WHERE o.id = %s AND o.retailer_id = %s"
            " ORDER BY 1, 3, 2",
            [order_id, retailer_id, order_id, retailer_id],
        )
        found = cursor.fetchall()
    rows = [row[3:] for row in found if row[0] == 0]
    if not rows:
        return None
    history = [(row[4], row[2], row[7]) for row in found if row[0] == 1]
    cycle, status, cartons, amount, cancel_reason = rows[0][:5]
    order = Order(
        id=order_id,
        retailer_id=retailer_id,
        cycle=cycle,
        status=status,
        total_cartons=cartons,
        total_amount=statements.money(amount),
        cancel_reason=cancel_reason,
    )
    return {
        "order": order,
        "lines": [
            {
                "product__brand__name": brand,
                "product__name": name,
                "quantity": quantity,
                "unit_price": statements.money(price),
                "amount": statements.money(line_amount),
            }
            for *_order, brand, name, quantity, price, line_amount in rows
            if quantity is not None
        ],
        "history": [
            OrderStatusChange(
                order_id=order_id, status=state, changed_at=statements.moment(at), note=note
            )
            for state, at, note in history
        ],
    }


def orders_visible_to(user):
    """Sales administrators see every order, an account manager the orders of the retailers
    assigned to them, anyone else none."""
    orders = Order.objects.select_related("retailer", "retailer__route")
    if may_see_all_retailers(user):
        return orders
    employee = employee_of(user)
    if is_account_manager(user) and employee is not None:
        return orders.filter(retailer__account_manager=employee)
    return orders.none()


def orders_filtered(*, user, cycle=None, route=None, status=""):
    """The orders the user may see, filtered, newest first."""
    orders = orders_visible_to(user)
    if cycle:
        orders = orders.filter(cycle=cycle)
    if route:
        orders = orders.filter(retailer__route_id=route)
    if status:
        orders = orders.filter(status=status)
    return orders.order_by("-placed_at", "-pk")


def order_details_for_staff(*, user):
    """The orders the user may see, with their lines and history (and who changed it)."""
    return orders_visible_to(user).prefetch_related(
        "lines__product__brand",
        Prefetch(
            "history",
            queryset=OrderStatusChange.objects.select_related("changed_by__employee").order_by(
                "changed_at", "pk"
            ),
        ),
    )


def picking_list(*, user, route_id, cycle):
    """Per product, the cartons to pick for a route's confirmed orders of a cycle, and the
    orders (store by store) they go to."""
    orders = list(
        orders_visible_to(user)
        .filter(
            retailer__route_id=route_id,
            cycle=cycle,
            status__in=[Order.Status.CONFIRMED, Order.Status.PICKING],
        )
        .prefetch_related("lines__product__brand")
        .order_by("retailer__licence_number", "pk")
    )
    totals = {}
    for order in orders:
        for line in order.lines.all():
            entry = totals.setdefault(line.product_id, {"product": line.product, "cartons": 0})
            entry["cartons"] += line.quantity
    products = sorted(
        totals.values(), key=lambda entry: (entry["product"].brand.name, entry["product"].name)
    )
    return {"orders": orders, "products": products}
