"""Writes of ordering: placing, cancelling, advancing and paying orders, and re-ordering.

Ordering is the part that must hold under concurrency (DESIGN.md, "Known pitfalls"): every
check that depends on shared counters (stock, allowance, credit) is made *under the row locks*,
which are always taken in the same order — the retailer row, then the retailer's allowance rows
by product id, then the stock rows by product id — so two orders can never deadlock nor both
pass a check that only one of them may pass. The stock rows, which every retailer's orders
share, are locked last and held only for the last few statements of the transaction.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from extranet import rules
from extranet.catalogue.models import AllocationUsage, Stock
from extranet.catalogue.selectors import allowances
from extranet.crm.models import Retailer
from extranet.market.services import sales_summary_order_changed
from extranet.ordering import statements
from extranet.ordering.models import Order, OrderStatusChange
from extranet.ordering.selectors import orders_forget, orders_forget_now
from extranet.permissions import may_cancel_as_retailer, may_cancel_as_staff
from portal.figures import money_text
from portal.refusals import Refusal
from portal.services import audit_record


class OrderRefused(Refusal):
    """An order (or a change to one) that the rules do not allow; the message says why and is
    shown to the person as it is. Nothing has been changed when it is raised."""

    # Which rule said no (`reason`), so that a client can act on it: drop or lower the line of
    # `product_id` (to `remaining` cartons for an allowance) and submit again.
    WINDOW, PRODUCT, CREDIT, ALLOWANCE, STOCK = "window", "product", "credit", "allowance", "stock"
    # The store may not buy (not open for business, licence expired); the cart was ordered
    # already at another version (it changed since: review it).
    STATUS, LICENCE, CART = "status", "licence", "cart"

    def __init__(self, message, *, reason="", product_id=None, remaining=None):
        super().__init__(message)
        self.reason = reason
        self.product_id = product_id
        self.remaining = remaining


@dataclass(frozen=True)
class RequestedLine:
    product_id: int
    quantity: int


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class CartIdentity:
    """A cart as it was when a checkout form was shown: its id (new after each order) and its
    version (one more at each change). One cart version becomes at most one order: its
    idempotency key is made of the two (`key`), so every tab and every repeated submit of the
    same cart version meets the same key under the retailer's lock."""

    id: str
    version: int

    PREFIX = "cart:"

    @property
    def token(self) -> str:
        return f"{self.id}:{self.version}"

    @property
    def key(self) -> str:
        return f"{self.PREFIX}{self.token}"

    @classmethod
    def parse(cls, token) -> "CartIdentity | None":
        """The identity in a form's token "id:version", or None when it is not one."""
        cart_id, _sep, version = str(token or "").partition(":")
        if not (0 < len(cart_id) <= 32 and cart_id.isalnum() and cart_id.isascii()):
            return None
        if not (version.isdigit() and len(version) <= 9):
            return None
        return cls(cart_id, int(version))


def order_of_cart(*, retailer: Retailer, cart: CartIdentity) -> Order | None:
    """The order placed from any version of this cart, if one was."""
    return (
        Order.objects.filter(
            retailer=retailer, idempotency_key__startswith=f"{CartIdentity.PREFIX}{cart.id}:"
        )
        .order_by("pk")
        .first()
    )


def buying_refused_message(reason: str) -> str:
    if reason == "status":
        return _(
            "Your store is not open for business in our records (suspended or closed), so it "
            "cannot order. Please contact your account manager."
        )
    return _(
        "Your tobacco retail licence has expired, so your store cannot order until it is "
        "renewed. Please contact your account manager."
    )


def allowance_refused_message(allowance: tuple[int, int] | None) -> str | None:
    """Why a scarce product cannot go into the cart this cycle (its `(limit, remaining)`
    allowance, see `catalogue.selectors.allowances`), or None while some of it is left."""
    if allowance is None:
        return None
    limit, remaining = allowance
    if limit <= 0:
        return _("No allowance for your store this cycle.")
    if remaining <= 0:
        return _("Your allowance for this cycle is used up.")
    return None


def _parse_quantity(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 9:
        return None
    return int(text)


def lines_normalise(lines) -> list[RequestedLine]:
    """Check the shape of requested lines: a product id and a whole number of cartons between 1
    and the per-line maximum, each product once. Raises OrderRefused with a clear message."""
    result = {}
    maximum = rules.max_line_cartons()
    for line in lines:
        if isinstance(line, dict):
            product_id, quantity = line.get("product_id"), line.get("quantity")
        else:
            product_id, quantity = line
        try:
            product_id = int(product_id)
        except (TypeError, ValueError):
            raise OrderRefused(_("Unknown product.")) from None
        number = _parse_quantity(quantity)
        if number is None or number < 1 or number > maximum:
            raise OrderRefused(
                _("Quantities are whole numbers of cartons from 1 to %(maximum)s.")
                % {"maximum": maximum}
            )
        if product_id in result:
            raise OrderRefused(_("Each product may appear only once in an order."))
        result[product_id] = RequestedLine(product_id, number)
    if not result:
        raise OrderRefused(_("The order has no lines."))
    return [result[key] for key in sorted(result)]


def credit_open_amount(*, retailer: Retailer) -> Decimal:
    """What the retailer owes on open orders (not cancelled, not paid)."""
    total = (
        Order.objects.filter(retailer=retailer, paid_at__isnull=True)
        .exclude(status=Order.Status.CANCELLED)
        .aggregate(total=Sum("total_amount"))["total"]
    )
    return total or Decimal("0")


def credit_available(*, retailer: Retailer, credit_limit: Decimal | None = None) -> Decimal:
    """What a credit retailer may still order for: its credit limit (`credit_limit` when read
    under the retailer's lock) less what it owes on open orders."""
    limit = retailer.credit_limit if credit_limit is None else credit_limit
    return limit - credit_open_amount(retailer=retailer)


def closed_message(window: rules.OrderWindow) -> str:
    if window.opens_at is None:
        return _("You have no order day yet; please contact your account manager.")
    return _(
        "Ordering is closed. Your next order day is %(day)s: ordering opens at %(when)s, "
        "and the delivery day is %(delivery)s."
    ) % {
        "day": formats.date_format(window.cycle, "DATE_FORMAT"),
        "when": formats.date_format(timezone.localtime(window.opens_at), "DATETIME_FORMAT"),
        "delivery": formats.date_format(window.delivery_on, "DATE_FORMAT"),
    }


def _as_date(value):
    """A date column read through a plain cursor (SQLite hands back text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def order_place(
    *,
    retailer: Retailer,
    lines,
    idempotency_key: str,
    placed_by=None,
    now: datetime | None = None,
    reorder_of: Order | None = None,
    cart: CartIdentity | None = None,
) -> Order:
    """Place an order for `retailer`: lines are (product id, cartons) pairs; prices come from the
    database, never from the request.

    In one transaction: lock the retailer row; return the order a repeated `idempotency_key`
    (sequential or concurrent) first created — with `cart`, the key is the cart version's, and
    a cart of which another version was ordered already is refused (it changed since); refuse a
    store that is not open or whose licence has expired (`rules.buying_refusal`, today in the
    factory's time zone); check the ordering window, the products and the credit; add the
    scarce lines to the allowance used (locking those rows in product-id order)
    and check the limits on the new totals; write the order, its lines, first status and audit
    entry; then lock the stock rows in product-id order, check and decrement them, and commit.
    Raises OrderRefused (nothing changed) when a rule says no.

    This is the hot path of the ordering target (100 orders/s on 2 cores), so it speaks SQL
    through one cursor, five to seven statements an order, without building querysets or model
    instances it does not need.
    """
    key = cart.key if cart is not None else (idempotency_key or "").strip()[:64]
    if not key:
        raise OrderRefused(_("The order form has expired; please submit it again."))
    requested = lines_normalise(lines)
    product_ids = [line.product_id for line in requested]
    now = now or timezone.now()
    placed_by = placed_by if placed_by is not None and placed_by.is_authenticated else None
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT order_day, settlement, credit_limit, grade, business_status,"  # noqa: S608 (only placeholders are formatted in)
            f" licence_expires_on FROM extranet_retailer WHERE id = %s{lock}",
            [retailer.pk],
        )
        row = cursor.fetchone()
        if row is None:
            raise Retailer.DoesNotExist(f"No retailer {retailer.pk}.")
        order_day, settlement, credit_limit, grade, business_status, expires_on = row
        # A repeated key, or a duplicate that committed while this one waited for the
        # retailer's lock. Checked only here, under the lock: every order of this retailer is
        # written under the same lock, so no other one with this key can appear meanwhile.
        # A cart's key is "cart:<id>:<version>": one statement finds any version's order.
        if cart is not None:
            cursor.execute(
                "SELECT id, idempotency_key FROM extranet_order"
                " WHERE retailer_id = %s AND idempotency_key LIKE %s ORDER BY id",
                [retailer.pk, f"{CartIdentity.PREFIX}{cart.id}:%"],
            )
        else:
            cursor.execute(
                "SELECT id, idempotency_key FROM extranet_order"
                " WHERE retailer_id = %s AND idempotency_key = %s",
                [retailer.pk, key],
            )
        found = cursor.fetchall()
        existing = next((pk for pk, found_key in found if found_key == key), None)
        if existing is not None:
            order = Order.objects.get(pk=existing)
            order.was_placed_before = True
            return order
        if found:
            raise OrderRefused(
                _(
                    "Order %(number)s was placed from this cart already, and the cart has "
                    "changed since. Please review your cart."
                )
                % {"number": Order(pk=found[0][0]).number},
                reason=OrderRefused.CART,
            )
        refusal = rules.buying_refusal(
            business_status,
            _as_date(expires_on),
            timezone.localdate(now),
        )
        if refusal is not None:
            raise OrderRefused(buying_refused_message(refusal), reason=refusal)
        window = rules.order_window(order_day, now)
        if not window.is_open:
            raise OrderRefused(closed_message(window), reason=OrderRefused.WINDOW)
        products = statements.ordered_products(
            cursor, retailer_id=retailer.pk, grade=grade, product_ids=product_ids
        )
        for line in requested:
            product = products.get(line.product_id)
            if product is None or not product.orderable:
                raise OrderRefused(
                    _("This product cannot be ordered (unknown or discontinued)."),
                    reason=OrderRefused.PRODUCT,
                    product_id=line.product_id,
                )
        total_amount = sum(
            (products[line.product_id].price * line.quantity for line in requested),
            Decimal("0"),
        )
        if settlement == Retailer.Settlement.CREDIT:
            available = credit_available(
                retailer=Retailer(pk=retailer.pk), credit_limit=statements.money(credit_limit)
            )
            if total_amount > available:
                raise OrderRefused(
                    _("This order of %(amount)s exceeds your available credit of %(available)s.")
                    % {
                        "amount": money_text(total_amount),
                        "available": money_text(max(available, Decimal("0"))),
                    },
                    reason=OrderRefused.CREDIT,
                )
        over_limit = statements.take_allowances(
            cursor,
            retailer_id=retailer.pk,
            cycle=window.cycle,
            requested=requested,
            products=products,
        )
        if over_limit is not None:
            product_id, remaining = over_limit
            product = products[product_id]
            raise OrderRefused(
                _(
                    "%(product)s is allocated: your limit is %(limit)s cartons this "
                    "cycle and %(remaining)s remain."
                )
                % {"product": product.label, "limit": product.limit, "remaining": remaining},
                reason=OrderRefused.ALLOWANCE,
                product_id=product_id,
                remaining=remaining,
            )
        order = Order(
            retailer_id=retailer.pk,
            cycle=window.cycle,
            status=Order.Status.SUBMITTED,
            idempotency_key=key,
            placed_at=now,
            placed_by=placed_by,
            total_cartons=sum(line.quantity for line in requested),
            total_amount=total_amount,
            reorder_of=reorder_of,
        )
        # No savepoint around the insert: the key was checked under the retailer's lock, which
        # every order of this retailer takes, so the unique constraint cannot fire here (it
        # stays as the database's guarantee).
        order.pk = statements.write_order(
            cursor,
            order=order,
            requested=requested,
            products=products,
            data={"retailer": retailer.pk, "amount": str(total_amount)},
        )
        order._state.adding = False
        order._state.db = connection.alias
        order.was_placed_before = False
        # The shared, contended rows last, so that their locks are held for the shortest time.
        short = statements.take_stock(cursor, requested=requested)
        if short is not None:
            quantity = next(line.quantity for line in requested if line.product_id == short)
            raise OrderRefused(
                _("Not enough stock of %(product)s for %(quantity)s cartons.")
                % {"product": products[short].label, "quantity": quantity},
                reason=OrderRefused.STOCK,
                product_id=short,
            )
        # The market analysis' monthly summary: its month is refreshed by the worker.
        sales_summary_order_changed(now)
        # Written in SQL, without signals: the staff's order lists' kept lengths are forgotten
        # once the order is committed (they are kept under the generation read before the
        # count, so one bump then is enough). robust: never an error of the order itself.
        transaction.on_commit(orders_forget_now, robust=True)
    return order


def _add(queryset, field, quantities: dict[int, int], sign: int) -> None:
    """One UPDATE adding sign × quantity to `field` of each product's row."""
    queryset.update(
        **{
            field: F(field)
            + Case(
                *(
                    When(product_id=pk, then=Value(sign * quantity))
                    for pk, quantity in quantities.items()
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        }
    )


def _release(order: Order) -> None:
    """Give back the stock and allowance an order took (the caller holds the retailer's lock;
    rows are locked in the same order as order_place: allowances, then stock by product id)."""
    quantities = dict(order.lines.order_by("product_id").values_list("product_id", "quantity"))
    product_ids = sorted(quantities)
    usage = AllocationUsage.objects.filter(
        retailer_id=order.retailer_id, cycle=order.cycle, product_id__in=product_ids
    )
    used = dict(
        usage.select_for_update().order_by("product_id").values_list("product_id", "cartons")
    )
    list(
        Stock.objects.select_for_update().filter(product_id__in=product_ids).order_by("product_id")
    )
    if used:
        _add(usage, "cartons", {pk: quantities[pk] for pk in used}, -1)
    _add(Stock.objects.filter(product_id__in=product_ids), "available", quantities, +1)


def order_cancel(
    *, order: Order, actor, reason: str = "", by_retailer: bool, now: datetime | None = None
) -> Order:
    """Cancel an order and release its stock and allowance. A retailer may cancel only before
    confirmation; staff may cancel until delivery, with a reason."""
    reason = (reason or "").strip()
    if not by_retailer and not reason:
        raise OrderRefused(_("Give a reason for cancelling."))
    now = now or timezone.now()
    with transaction.atomic():
        Retailer.objects.select_for_update().filter(pk=order.retailer_id).first()
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if by_retailer and not may_cancel_as_retailer(locked):
            raise OrderRefused(_("This order is confirmed already and can no longer be cancelled."))
        if not may_cancel_as_staff(locked):
            raise OrderRefused(_("This order can no longer be cancelled."))
        _release(locked)
        locked.status = Order.Status.CANCELLED
        locked.cancel_reason = reason[:200]
        locked.save(update_fields=["status", "cancel_reason"])
        OrderStatusChange.objects.create(
            order=locked, status=locked.status, changed_at=now, changed_by=actor, note=reason[:300]
        )
        audit_record(actor=actor, action="order.cancelled", target=locked, reason=reason)
    order.status, order.cancel_reason = locked.status, locked.cancel_reason
    return locked


NEXT_STATUS = {
    Order.Status.SUBMITTED: Order.Status.CONFIRMED,
    Order.Status.CONFIRMED: Order.Status.PICKING,
    Order.Status.PICKING: Order.Status.OUT_FOR_DELIVERY,
    Order.Status.OUT_FOR_DELIVERY: Order.Status.DELIVERED,
}


def orders_advance(*, order_ids, from_status: str, actor, now: datetime | None = None) -> int:
    """Move the given orders that are still in `from_status` one step on (confirm, start picking,
    send out, mark delivered). Orders that moved meanwhile are left alone; returns how many
    moved."""
    if from_status not in NEXT_STATUS:
        raise OrderRefused(_("Orders in this status cannot be advanced."))
    to_status = NEXT_STATUS[from_status]
    now = now or timezone.now()
    with transaction.atomic():
        orders = list(
            Order.objects.select_for_update()
            .filter(pk__in=list(order_ids), status=from_status)
            .order_by("pk")
        )
        ids = [order.pk for order in orders]
        Order.objects.filter(pk__in=ids).update(status=to_status)
        if ids:
            orders_forget()  # an update sends no signal
        OrderStatusChange.objects.bulk_create(
            [
                OrderStatusChange(order_id=pk, status=to_status, changed_at=now, changed_by=actor)
                for pk in ids
            ]
        )
        if ids:
            audit_record(
                actor=actor,
                action="order.advanced",
                data={"orders": ids, "from": from_status, "to": to_status},
            )
    return len(ids)


def order_mark_paid(*, order: Order, actor, now: datetime | None = None) -> None:
    """Record payment of a credit order, which frees that much of the retailer's credit."""
    with transaction.atomic():
        updated = Order.objects.filter(pk=order.pk, paid_at__isnull=True).update(
            paid_at=now or timezone.now()
        )
        if updated:
            audit_record(actor=actor, action="order.paid", target=order)


@dataclass
class ReorderPlan:
    lines: list[tuple[int, int]]
    notes: list[str]


def reorder_plan(*, order: Order, retailer: Retailer, now: datetime | None = None) -> ReorderPlan:
    """The lines of a past order adjusted to today: discontinued products dropped, quantities
    cut to the remaining allowance and to what is in stock, each change explained."""
    now = now or timezone.now()
    lines = list(order.lines.select_related("product__brand", "product__stock"))
    limits = allowances(retailer=retailer, product_ids=[line.product_id for line in lines], now=now)
    plan = ReorderPlan([], [])
    for line in lines:
        product = line.product
        quantity = line.quantity
        if not product.is_orderable:
            note = _("%(product)s is discontinued and was left out.")
            plan.notes.append(note % {"product": product})
            continue
        if product.pk in limits:
            _limit, remaining = limits[product.pk]
            if quantity > remaining:
                plan.notes.append(
                    _("%(product)s: cut from %(old)s to %(new)s cartons (your allowance).")
                    % {"product": product, "old": quantity, "new": remaining}
                )
                quantity = remaining
        available = getattr(getattr(product, "stock", None), "available", 0)
        if quantity > available:
            plan.notes.append(
                _("%(product)s: cut from %(old)s to %(new)s cartons (stock).")
                % {"product": product, "old": quantity, "new": available}
            )
            quantity = available
        if line.unit_price != product.wholesale_price:
            plan.notes.append(
                _("%(product)s: price changed from %(old)s to %(new)s per carton.")
                % {
                    "product": product,
                    "old": money_text(line.unit_price),
                    "new": money_text(product.wholesale_price),
                }
            )
        if quantity > 0:
            plan.lines.append((product.pk, quantity))
    return plan
