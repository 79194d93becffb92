"""Writes for retailers, the catalogue and orders.

Ordering is the part that must hold under concurrency (DESIGN.md, "Known pitfalls"): every
check that depends on shared counters (stock, allowance, credit) is made *under the row locks*,
which are always taken in the same order — the retailer row, then the retailer's allowance rows
by product id, then the stock rows by product id — so two orders can never deadlock nor both
pass a check that only one of them may pass. The stock rows, which every retailer's orders
share, are locked last and held only for the last few statements of the transaction.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from extranet import rules
from extranet.market.sales_summary import sales_summary_order_changed
from extranet.models import (
    Allocation,
    AllocationUsage,
    DeliveryRoute,
    Order,
    OrderLine,
    OrderStatusChange,
    Product,
    Retailer,
    RetailerAllocation,
    RetailerLogin,
    Stock,
)
from portal.models import User
from portal.permissions import Role
from portal.services import audit_record


class OrderRefused(Exception):
    """An order (or a change to one) that the rules do not allow; the message says why and is
    shown to the person as it is. Nothing has been changed when it is raised."""

    # Which rule said no (`reason`), so that a client can act on it: drop or lower the line of
    # `product_id` (to `remaining` cartons for an allowance) and submit again.
    WINDOW, PRODUCT, CREDIT, ALLOWANCE, STOCK = "window", "product", "credit", "allowance", "stock"

    def __init__(self, message, *, reason="", product_id=None, remaining=None):
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.product_id = product_id
        self.remaining = remaining


# Retailers ------------------------------------------------------------------------------------

# The CRM's groups of fields: who edits which (DESIGN.md). System data is never in a form.
STATIC_FIELDS = [
    "store_name",
    "legal_representative",
    "address",
    "settlement",
    "credit_limit",
    "order_day",
    "business_area",
    "region",
    "account_manager",
    "route",
    "order_batch",
    "visit_batch",
    "licence_type",
    "licence_issued_on",
    "licence_expires_on",
    "integrity_level",
    "customer_class",
    "is_model_household",
    "is_monitored_household",
    "customer_since",
]
DYNAMIC_FIELDS = [
    "business_status",
    "district_environment",
    "support_score",
    "influence_score",
    "contact_name",
    "contact_phone",
    "contact_notes",
]
SYSTEM_FIELDS = [
    "grade",
    "monthly_cartons",
    "monthly_amount",
    "average_carton_price",
    "value_score",
    "value_class",
    "computed_at",
]


def retailer_create(
    *,
    licence_number: str,
    store_name: str,
    legal_representative: str = "",
    account_manager=None,
    actor=None,
    **fields,
) -> Retailer:
    """Register a licensed retailer (no login yet; see `retailer_login_create`)."""
    unknown = set(fields) - set(STATIC_FIELDS) - set(DYNAMIC_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        retailer = Retailer.objects.create(
            licence_number=licence_number,
            store_name=store_name,
            legal_representative=legal_representative,
            account_manager=account_manager,
            **fields,
        )
        audit_record(actor=actor, action="retailer.created", target=retailer)
    return retailer


def _audit_value(value):
    if hasattr(value, "pk"):
        return str(value)
    return None if value is None else str(value)


def retailer_update(*, retailer: Retailer, actor, changes: dict, group: str) -> list[str]:
    """Change fields of one group ("static" or "dynamic") of a retailer's profile; system data
    cannot be changed here. Records the old and new values in the audit log; returns the names
    of the fields that changed."""
    allowed = {"static": STATIC_FIELDS, "dynamic": DYNAMIC_FIELDS}[group]
    if set(changes) - set(allowed):
        raise ValueError(f"Not {group} fields: {sorted(set(changes) - set(allowed))}")
    with transaction.atomic():
        locked = Retailer.objects.select_for_update().get(pk=retailer.pk)
        changed = {}
        for name, value in changes.items():
            old = getattr(locked, name)
            if old != value:
                changed[name] = [_audit_value(old), _audit_value(value)]
                setattr(locked, name, value)
        if changed:
            locked.save(update_fields=list(changed))
            audit_record(
                actor=actor,
                action=f"retailer.{group}_changed",
                target=locked,
                data={"changes": changed},
            )
    for name in changed:
        setattr(retailer, name, getattr(locked, name))
    return list(changed)


def retailer_login_create(
    *, retailer: Retailer, username: str, email: str = "", password: str | None = None, actor=None
) -> User:
    """Issue an extranet login acting for `retailer`. Retailer logins hold only the retailer
    role and can never sign in on the intranet."""
    with transaction.atomic():
        # The store's name is what the login shows as its own in the header and messages.
        user = User(
            username=username,
            email=email,
            kind=User.Kind.RETAILER,
            first_name=retailer.store_name[:150],
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name=Role.RETAILER))
        RetailerLogin.objects.create(user=user, retailer=retailer)
        audit_record(
            actor=actor,
            action="retailer.login_issued",
            target=retailer,
            data={"username": username},
        )
    return user


def _generated_password() -> str:
    import secrets

    # Easy to read out on the phone: no 0/O or 1/l/I.
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _index in range(12))


def _password_deliver(*, user: User, password: str, deliver: str) -> str | None:
    """Hand a newly issued password over: "show" returns it (shown once on the page that
    issued it, never stored in clear); "mail" queues a mail to the login's address on commit
    and returns None."""
    from portal.tasks import email_send

    if deliver == "mail":
        if not user.email:
            raise OrderRefused(_("This login has no email address; show the password instead."))
        subject = _("Your ordering login")
        body = _(
            "Your login name is %(username)s and your password is %(password)s. "
            "You will be asked to choose your own password when you sign in."
        ) % {"username": user.username, "password": password}
        to = [user.email]
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))
        return None
    return password


def retailer_login_issue(
    *, retailer: Retailer, username: str, email: str = "", deliver: str = "show", actor
) -> tuple[User, str | None]:
    """Staff issue a new login for `retailer` with a generated password that must be changed at
    the first sign-in. Returns the user and the password when it is to be shown (deliver="show")
    or None when it was mailed (deliver="mail")."""
    from portal.services import user_issue_password

    username = (username or "").strip()
    if not username:
        raise OrderRefused(_("Give a login name."))
    if User.objects.filter(username__iexact=username).exists():
        raise OrderRefused(_("The login name %(name)s is taken.") % {"name": username})
    if deliver == "mail" and not email:
        raise OrderRefused(_("Give an email address to mail the password to."))
    password = _generated_password()
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = retailer_login_create(
                    retailer=retailer, username=username, email=email, actor=actor
                )
        except IntegrityError:
            raise OrderRefused(
                _("The login name %(name)s is taken.") % {"name": username}
            ) from None
        user_issue_password(user=user, password=password, actor=actor)
        shown = _password_deliver(user=user, password=password, deliver=deliver)
    return user, shown


def retailer_login_password_reset(*, login: RetailerLogin, deliver: str, actor) -> str | None:
    """Issue a new generated password for a retailer's login (the old one stops working); it
    must be changed at the next sign-in. Returns it when it is to be shown, else None."""
    from portal.services import user_issue_password

    password = _generated_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=login.user_id)
        if not user.is_active:
            raise OrderRefused(_("This login is deactivated."))
        user_issue_password(user=user, password=password, actor=actor)
        audit_record(
            actor=actor,
            action="retailer.login_password_reset",
            target=login.retailer,
            data={"username": user.username, "delivered_by": deliver},
        )
        shown = _password_deliver(user=user, password=password, deliver=deliver)
    return shown


def retailer_login_deactivate(*, login: RetailerLogin, actor) -> bool:
    """Stop a retailer's login from signing in (its orders and history stay). Returns False
    when it was already inactive."""
    with transaction.atomic():
        updated = User.objects.filter(pk=login.user_id, is_active=True).update(is_active=False)
        if updated:
            audit_record(
                actor=actor,
                action="retailer.login_deactivated",
                target=login.retailer,
                data={"username": login.user.username},
            )
    return bool(updated)


# Stock ----------------------------------------------------------------------------------------


def stock_adjust(
    *,
    product: Product,
    reason: str,
    actor,
    delta: int | None = None,
    counted: int | None = None,
    seen: int | None = None,
) -> Stock:
    """Change a product's available cartons: by `delta` (goods received: +, damaged or
    returned to the factory: −) or to a `counted` value from a stock count. It takes the
    stock row's lock, the same lock `order_place` takes last, so an order and an adjustment
    never overwrite each other. A counted value is refused when the stock moved since the
    person saw it (`seen`), so an order placed meanwhile is not silently undone. Stock never
    goes below zero. Audited with the old and new value."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderRefused(_("Give a reason for the change."))
    if (delta is None) == (counted is None):
        raise OrderRefused(_("Give either a change or a counted quantity."))
    if delta == 0:
        raise OrderRefused(_("A change of zero cartons changes nothing."))
    limit = 10**9
    if (delta is not None and abs(delta) >= limit) or (
        counted is not None and not 0 <= counted < limit
    ):
        raise OrderRefused(_("The quantity is out of range."))
    with transaction.atomic():
        Stock.objects.bulk_create([Stock(product=product, available=0)], ignore_conflicts=True)
        stock = Stock.objects.select_for_update().get(product=product)
        old = stock.available
        if counted is not None:
            if seen is not None and seen != old:
                raise OrderRefused(
                    _(
                        "The stock changed from %(seen)s to %(now)s cartons while you were "
                        "editing (orders or another change); check the count and try again."
                    )
                    % {"seen": seen, "now": old}
                )
            new = counted
        else:
            new = old + delta
        if new < 0:
            raise OrderRefused(
                _(
                    "Stock cannot go below zero: %(available)s cartons are available, so at "
                    "most %(available)s can be taken off."
                )
                % {"available": old}
            )
        stock.available = new
        stock.save(update_fields=["available", "updated_at"])
        audit_record(
            actor=actor,
            action="stock.adjusted",
            target=product,
            reason=reason,
            data={"old": old, "new": new, "delta": new - old},
        )
    return stock


# Grades and customer value --------------------------------------------------------------------


def _years_between(start, end) -> Decimal:
    if start is None:
        return Decimal("0")
    return Decimal((end - start).days) / Decimal("365.25")


def grades_recompute(*, now: datetime | None = None, actor=None) -> int:
    """Recompute every retailer's system data from its orders over the trailing window:
    monthly cartons and amount, average price per carton, grade, value score and class.
    Idempotent (the same orders give the same figures), so a repeated run is harmless.
    Cancelled orders do not count. Returns the number of retailers whose data changed."""
    now = now or timezone.now()
    months = rules.grade_window_months()
    since = rules.window_start(now, months=months)
    totals = {
        row["order__retailer_id"]: row
        for row in OrderLine.objects.filter(order__placed_at__gte=since, order__placed_at__lte=now)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("order__retailer_id")
        .annotate(cartons=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    }
    best_amount = max(
        (Decimal(row["amount"] or 0) / months for row in totals.values()), default=Decimal("0")
    )
    weights = rules.value_weights()
    weight_sum = sum(weights.values()) or Decimal("1")
    today = timezone.localdate(now)
    fields = ["grade", "monthly_cartons", "monthly_amount", "average_carton_price"]
    fields += ["value_score", "value_class", "computed_at"]
    changed = []
    grade_moves = []  # (retailer id, old grade, new grade): the grade history
    quant = Decimal("0.01")
    with transaction.atomic():
        for retailer in Retailer.objects.only(
            "pk",
            "support_score",
            "influence_score",
            "integrity_level",
            "customer_since",
            *fields,
        ).iterator(chunk_size=2000):
            row = totals.get(retailer.pk, {})
            cartons = int(row.get("cartons") or 0)
            amount = Decimal(row.get("amount") or 0)
            grade = rules.grade_for_cases(rules.monthly_cases(cartons, months=months))
            monthly_amount = amount / months
            components = {
                "contribution": monthly_amount / best_amount if best_amount else Decimal("0"),
                "support": Decimal(min(retailer.support_score, 10)) / 10,
                "credit": Decimal(max(min(retailer.integrity_level, 5), 1) - 1) / 4,
                "relationship": min(_years_between(retailer.customer_since, today), Decimal(10))
                / 10,
                "influence": Decimal(min(retailer.influence_score, 10)) / 10,
            }
            score = sum(weights.get(key, 0) * value for key, value in components.items())
            score = (score / weight_sum).quantize(Decimal("0.0001"))
            new = {
                "grade": grade,
                "monthly_cartons": (Decimal(cartons) / months).quantize(quant),
                "monthly_amount": monthly_amount.quantize(quant),
                "average_carton_price": (amount / cartons).quantize(quant)
                if cartons
                else Decimal("0.00"),
                "value_score": score,
                "value_class": rules.value_class_for(score),
            }
            if any(getattr(retailer, key) != value for key, value in new.items()):
                if retailer.grade != grade:
                    grade_moves.append((retailer.pk, retailer.grade, grade))
                for key, value in new.items():
                    setattr(retailer, key, value)
                retailer.computed_at = now
                changed.append(retailer)
        Retailer.objects.bulk_update(changed, fields, batch_size=1000)
        from extranet.market.services import grade_changes_record

        grade_changes_record(changes=grade_moves, at=now)
        audit_record(
            actor=actor,
            action="retailer.grades_recomputed",
            data={"changed": len(changed), "since": since.isoformat()},
        )
    return len(changed)


def grades_recompute_request(*, actor) -> None:
    """Queue a recomputation (the staff button): it runs in the worker, not in the request."""
    from extranet.tasks import grades_recompute_task

    with transaction.atomic():
        audit_record(actor=actor, action="retailer.grades_recompute_requested")
        transaction.on_commit(lambda: grades_recompute_task.enqueue())


# Ordering -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestedLine:
    product_id: int
    quantity: int


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


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


def allowance_limits(*, retailer: Retailer, product_ids) -> dict[int, int]:
    """Per-cycle limits (cartons) of the scarce products among `product_ids` for the retailer:
    its own override if any, else its grade's allocation, else nothing may be ordered.
    (`order_place` reads the same rule in its product query, `_ordered_products`.)"""
    scarce = list(
        Product.objects.filter(pk__in=product_ids, is_scarce=True).values_list("pk", flat=True)
    )
    if not scarce:
        return {}
    limits = dict.fromkeys(scarce, 0)
    # The grade's allocations and the retailer's overrides in one query; overrides win.
    rows = (
        Allocation.objects.filter(product_id__in=scarce, grade=retailer.grade)
        .annotate(override=Value(0, output_field=IntegerField()))
        .values_list("product_id", "cartons", "override")
        .order_by()
        .union(
            RetailerAllocation.objects.filter(product_id__in=scarce, retailer=retailer)
            .annotate(override=Value(1, output_field=IntegerField()))
            .values_list("product_id", "cartons", "override")
            .order_by(),
            all=True,
        )
    )
    for product_id, cartons, _override in sorted(rows, key=lambda row: row[2]):
        limits[product_id] = cartons
    return limits


def credit_open_amount(*, retailer: Retailer) -> Decimal:
    """What the retailer owes on open orders (not cancelled, not paid)."""
    total = (
        Order.objects.filter(retailer=retailer, paid_at__isnull=True)
        .exclude(status=Order.Status.CANCELLED)
        .aggregate(total=Sum("total_amount"))["total"]
    )
    return total or Decimal("0")


def closed_message(window: rules.OrderWindow) -> str:
    if window.opens_at is None:
        return _("You have no order day yet; please contact your account manager.")
    return _("Ordering is closed for you until %(when)s.") % {
        "when": formats.date_format(timezone.localtime(window.opens_at), "DATETIME_FORMAT")
    }


CENT = Decimal("0.01")


class _OrderedProduct(NamedTuple):
    label: str  # as str(product): "brand name"
    orderable: bool
    scarce: bool
    price: Decimal
    limit: int  # cartons per cycle when scarce: the retailer's override, else its grade's, else 0


def _money(value) -> Decimal:
    """A decimal column read through a plain cursor (SQLite hands back floats)."""
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(CENT)


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _ordered_products(cursor, *, retailer_id, grade, product_ids) -> dict[int, _OrderedProduct]:
    """The ordered products with their price, and their limit for this retailer in the same
    query (the rule of `allowance_limits`: the retailer's own limit, else its grade's, else
    nothing may be ordered)."""
    cursor.execute(
        "SELECT p.id, b.name, p.name, p.status, p.is_scarce, p.wholesale_price,"  # noqa: S608 (only placeholders are formatted in)
        " COALESCE(own.cartons, by_grade.cartons, 0)"
        " FROM extranet_product p JOIN extranet_brand b ON b.id = p.brand_id"
        " LEFT JOIN extranet_retailerallocation own"
        "  ON own.product_id = p.id AND own.retailer_id = %s"
        " LEFT JOIN extranet_allocation by_grade"
        "  ON by_grade.product_id = p.id AND by_grade.grade = %s"
        f" WHERE p.id IN ({_placeholders(len(product_ids))})",
        [retailer_id, grade, *product_ids],
    )
    return {
        pk: _OrderedProduct(
            label=f"{brand} {name}".strip(),
            orderable=status != Product.Status.DISCONTINUED,
            scarce=bool(scarce),
            price=_money(price),
            limit=limit,
        )
        for pk, brand, name, status, scarce, price, limit in cursor.fetchall()
    }


def _take_allowances(cursor, *, retailer_id, cycle, requested, products) -> None:
    """Add the scarce lines to the retailer's allowance used this cycle and check the limits.
    One upsert creates the missing rows and locks them in product-id order (the lines are
    sorted); it returns the new totals, so the check is made on the locked rows. Raises
    OrderRefused (the caller's transaction then undoes the upsert)."""
    scarce = [line for line in requested if products[line.product_id].scarce]
    if not scarce:
        return
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
            raise OrderRefused(
                _(
                    "%(product)s is allocated: your limit is %(limit)s cartons this "
                    "cycle and %(remaining)s remain."
                )
                % {
                    "product": product.label,
                    "limit": product.limit,
                    "remaining": max(remaining, 0),
                },
                reason=OrderRefused.ALLOWANCE,
                product_id=line.product_id,
                remaining=max(remaining, 0),
            )


def _write_order(cursor, *, order: Order, requested, products, data: dict) -> int:
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
        "order.placed",
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


def _take_stock(cursor, *, requested, products) -> None:
    """Lock the stock rows of the ordered products in product-id order, check that each has
    the cartons asked for and take them — one statement on PostgreSQL, so that these shared,
    contended locks are held only until the commit that follows. (SQLite has one writer at a
    time: its transaction already excludes every other order.) Raises OrderRefused."""
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
            raise OrderRefused(
                _("Not enough stock of %(product)s for %(quantity)s cartons.")
                % {"product": products[line.product_id].label, "quantity": line.quantity},
                reason=OrderRefused.STOCK,
                product_id=line.product_id,
            )


def order_place(
    *,
    retailer: Retailer,
    lines,
    idempotency_key: str,
    placed_by=None,
    now: datetime | None = None,
    reorder_of: Order | None = None,
) -> Order:
    """Place an order for `retailer`: lines are (product id, cartons) pairs; prices come from the
    database, never from the request.

    In one transaction: lock the retailer row; return the order a repeated `idempotency_key`
    (sequential or concurrent) first created; check the ordering window, the products and the
    credit; add the scarce lines to the allowance used (locking those rows in product-id order)
    and check the limits on the new totals; write the order, its lines, first status and audit
    entry; then lock the stock rows in product-id order, check and decrement them, and commit.
    Raises OrderRefused (nothing changed) when a rule says no.

    This is the hot path of the ordering target (100 orders/s on 2 cores), so it speaks SQL
    through one cursor, five to seven statements an order, without building querysets or model
    instances it does not need.
    """
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise OrderRefused(_("The order form has expired; please submit it again."))
    requested = lines_normalise(lines)
    product_ids = [line.product_id for line in requested]
    now = now or timezone.now()
    placed_by = placed_by if placed_by is not None and placed_by.is_authenticated else None
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT order_day, settlement, credit_limit, grade FROM extranet_retailer"  # noqa: S608 (only placeholders are formatted in)
            f" WHERE id = %s{lock}",
            [retailer.pk],
        )
        row = cursor.fetchone()
        if row is None:
            raise Retailer.DoesNotExist(f"No retailer {retailer.pk}.")
        order_day, settlement, credit_limit, grade = row
        # A repeated key, or a duplicate that committed while this one waited for the
        # retailer's lock. Checked only here, under the lock: every order of this retailer is
        # written under the same lock, so no other one with this key can appear meanwhile.
        cursor.execute(
            "SELECT id FROM extranet_order WHERE retailer_id = %s AND idempotency_key = %s",
            [retailer.pk, key],
        )
        existing = cursor.fetchone()
        if existing is not None:
            order = Order.objects.get(pk=existing[0])
            order.was_placed_before = True
            return order
        window = rules.order_window(order_day, now)
        if not window.is_open:
            raise OrderRefused(closed_message(window), reason=OrderRefused.WINDOW)
        products = _ordered_products(
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
            locked = Retailer(pk=retailer.pk)
            available = _money(credit_limit) - credit_open_amount(retailer=locked)
            if total_amount > available:
                raise OrderRefused(
                    _("This order of ¥%(amount)s exceeds your available credit of ¥%(available)s.")
                    % {"amount": total_amount, "available": max(available, Decimal("0"))},
                    reason=OrderRefused.CREDIT,
                )
        _take_allowances(
            cursor,
            retailer_id=retailer.pk,
            cycle=window.cycle,
            requested=requested,
            products=products,
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
        order.pk = _write_order(
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
        _take_stock(cursor, requested=requested, products=products)
        # The market analysis' monthly summary: its month is refreshed by the worker.
        sales_summary_order_changed(now)
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
        if by_retailer and locked.status != Order.Status.SUBMITTED:
            raise OrderRefused(_("This order is confirmed already and can no longer be cancelled."))
        if locked.status in (Order.Status.DELIVERED, Order.Status.CANCELLED):
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
    window = rules.order_window(retailer.order_day, now)
    lines = list(order.lines.select_related("product__brand", "product__stock"))
    product_ids = [line.product_id for line in lines]
    limits = allowance_limits(retailer=retailer, product_ids=product_ids)
    used = dict(
        AllocationUsage.objects.filter(
            retailer=retailer, cycle=window.cycle, product_id__in=list(limits)
        ).values_list("product_id", "cartons")
    )
    plan = ReorderPlan([], [])
    for line in lines:
        product = line.product
        quantity = line.quantity
        if not product.is_orderable:
            note = _("%(product)s is discontinued and was left out.")
            plan.notes.append(note % {"product": product})
            continue
        if product.pk in limits:
            remaining = max(limits[product.pk] - used.get(product.pk, 0), 0)
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
                _("%(product)s: price changed from ¥%(old)s to ¥%(new)s per carton.")
                % {"product": product, "old": line.unit_price, "new": product.wholesale_price}
            )
        if quantity > 0:
            plan.lines.append((product.pk, quantity))
    return plan


# Bulk import of retailers ---------------------------------------------------------------------

IMPORT_COLUMNS = [
    "licence_number",
    "store_name",
    "legal_representative",
    "address",
    "region",
    "route",
    "order_day",
    "settlement",
    "credit_limit",
    "account_manager",
]
# The dry run runs in the request, so it is kept to small files; the import itself runs in the
# worker and takes files of the whole retailer base.
IMPORT_MAX_ROWS = 5000
IMPORT_QUEUED_MAX_ROWS = 60_000


@dataclass
class ImportRow:
    line: int
    licence_number: str
    action: str = ""  # "create", "update" or "error"
    values: dict | None = None
    errors: list[str] | None = None


def retailer_rows_from_excel(file, *, max_rows: int = IMPORT_MAX_ROWS) -> list[dict]:
    """Rows of an uploaded .xlsx as dicts keyed by the header row; OrderRefused when the file
    cannot be read, lacks the required columns or has more than `max_rows` rows."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a bad file
        raise OrderRefused(_("This is not an Excel (.xlsx) file.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    missing = {"licence_number", "store_name"} - set(header)
    if missing:
        raise OrderRefused(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(sorted(missing))}
        )
    result = []
    for values in rows:
        if all(value in (None, "") for value in values):
            continue
        result.append(dict(zip(header, values, strict=False)))
        if len(result) > max_rows:
            workbook.close()
            raise OrderRefused(_("At most %(count)s rows per import.") % {"count": max_rows})
    workbook.close()
    return result


def _import_row(index, raw, routes, managers, existing) -> ImportRow:
    def text(name, limit):
        value = raw.get(name)
        return "" if value is None else str(value).strip()[:limit]

    licence = text("licence_number", 32)
    row = ImportRow(line=index, licence_number=licence, values={}, errors=[])
    if not licence:
        row.errors.append(_("Licence number is missing."))
    store = text("store_name", 128)
    if not store:
        row.errors.append(_("Store name is missing."))
    values = {
        "store_name": store,
        "legal_representative": text("legal_representative", 64),
        "address": text("address", 200),
        "region": text("region", 64),
    }
    route = text("route", 16)
    if route:
        if route not in routes:
            row.errors.append(_("Unknown route %(route)s.") % {"route": route})
        else:
            values["route"] = routes[route]
    day = text("order_day", 2)
    if day:
        if day not in {"1", "2", "3", "4", "5", "6", "7"}:
            row.errors.append(_("Order day must be 1 (Monday) to 7 (Sunday)."))
        else:
            values["order_day"] = int(day) - 1
    settlement = text("settlement", 8).lower() or Retailer.Settlement.CASH
    if settlement not in Retailer.Settlement.values:
        row.errors.append(_("Settlement must be cash or credit."))
    else:
        values["settlement"] = settlement
    credit = text("credit_limit", 16)
    if credit:
        try:
            values["credit_limit"] = Decimal(credit).quantize(Decimal("0.01"))
            if values["credit_limit"] < 0:
                raise ValueError
        except (ArithmeticError, ValueError):
            row.errors.append(_("Credit limit must be an amount."))
    manager = text("account_manager", 32)
    if manager:
        if manager not in managers:
            row.errors.append(_("Unknown employee number %(number)s.") % {"number": manager})
        else:
            values["account_manager"] = managers[manager]
    row.values = values
    row.action = "error" if row.errors else ("update" if licence in existing else "create")
    return row


def retailers_import(*, rows: list[dict], actor, apply: bool) -> list[ImportRow]:
    """Check (and with `apply`, save) retailers from spreadsheet rows: new licences are created,
    known ones updated. A dry run (apply=False) changes nothing and shows what would happen;
    applying is all or nothing — if any row has an error, nothing is saved."""
    from portal.models import Employee

    routes = {route.code: route for route in DeliveryRoute.objects.all()}
    numbers = {str(raw.get("account_manager") or "").strip() for raw in rows} - {""}
    managers = {
        employee.employee_number: employee
        for employee in Employee.objects.filter(employee_number__in=numbers)
    }
    licences = [str(raw.get("licence_number") or "").strip() for raw in rows]
    existing = {
        retailer.licence_number: retailer
        for retailer in Retailer.objects.filter(licence_number__in=licences)
    }
    result = [
        _import_row(index, raw, routes, managers, existing)
        for index, raw in enumerate(rows, start=2)
    ]
    seen = set()
    for row in result:
        if row.licence_number and row.licence_number in seen:
            row.errors.append(_("This licence number appears twice in the file."))
            row.action = "error"
        seen.add(row.licence_number)
    if not apply or any(row.action == "error" for row in result):
        return result
    with transaction.atomic():
        for row in result:
            if row.action == "create":
                fields = dict(row.values)
                retailer_create(
                    licence_number=row.licence_number,
                    store_name=fields.pop("store_name"),
                    legal_representative=fields.pop("legal_representative"),
                    account_manager=fields.pop("account_manager", None),
                    actor=actor,
                    **fields,
                )
            else:
                retailer_update(
                    retailer=existing[row.licence_number],
                    actor=actor,
                    changes=row.values,
                    group="static",
                )
        audit_record(actor=actor, action="retailer.imported", data={"rows": len(result)})
    return result


def retailer_import_queue(*, file, actor, now: datetime | None = None):
    """Keep the uploaded file and queue its import (`retailer_import_run` in the worker)."""
    from extranet.models import RetailerImport
    from extranet.tasks import retailer_import_task

    with transaction.atomic():
        job = RetailerImport(
            name=(getattr(file, "name", "") or "import.xlsx")[:200],
            created_by=actor if actor is not None and actor.is_authenticated else None,
            created_at=now or timezone.now(),
        )
        job.file.save(f"retailers-{uuid.uuid4().hex}.xlsx", file, save=False)
        job.save()
        audit_record(actor=actor, action="retailer.import_queued", target=job)
        job_id = job.pk
        transaction.on_commit(lambda: retailer_import_task.enqueue(import_id=job_id))
    return job


MAX_REPORTED_PROBLEMS = 200


def retailer_import_run(*, import_id: int, now: datetime | None = None):
    """Run a queued import: parse the file, check every row and save all of them or none, and
    record the result on the import. Safe to run again (a retried task): a finished import is
    left alone, and one interrupted half-way was rolled back whole, so it simply runs again;
    saving the same file twice changes nothing the second time."""
    from extranet.models import RetailerImport

    now = now or timezone.now()
    RetailerImport.objects.filter(pk=import_id, status=RetailerImport.Status.QUEUED).update(
        status=RetailerImport.Status.RUNNING, started_at=now
    )
    with transaction.atomic():
        job = RetailerImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or not job.is_pending:
            return job
        try:
            with job.file.open("rb") as handle:
                parsed = retailer_rows_from_excel(handle, max_rows=IMPORT_QUEUED_MAX_ROWS)
        except (OrderRefused, OSError) as refused:
            message = getattr(refused, "message", None) or _("The file could not be read.")
            job.problems = [{"line": None, "licence_number": "", "errors": [message]}]
            rows = []
        else:
            rows = retailers_import(rows=parsed, actor=job.created_by, apply=True)
            job.problems = [
                {"line": row.line, "licence_number": row.licence_number, "errors": row.errors}
                for row in rows
                if row.action == "error"
            ][:MAX_REPORTED_PROBLEMS]
        job.total_rows = len(rows)
        failed = bool(job.problems)
        job.created_count = 0 if failed else sum(row.action == "create" for row in rows)
        job.updated_count = 0 if failed else sum(row.action == "update" for row in rows)
        job.status = RetailerImport.Status.FAILED if failed else RetailerImport.Status.DONE
        job.finished_at = timezone.now()
        job.save()
    return job


# Feedback and complaints --------------------------------------------------------------------

CALLBACK_WITHIN = timedelta(hours=24)
WARN_BEFORE_DUE = timedelta(hours=4)


class FeedbackRefused(Exception):
    """A feedback action that is not possible in the item's state; the message says why."""


def _feedback_event(feedback, *, kind, actor, at, text="", internal=False):
    from extranet.models import FeedbackEvent

    return FeedbackEvent.objects.create(
        feedback=feedback, kind=kind, actor=actor, at=at, text=text, is_internal=internal
    )


def feedback_submit(
    *, retailer: Retailer, user, kind: str, text: str, photos=(), now: datetime | None = None
):
    """Record a retailer's feedback, assigned to its account manager, due for a call-back 24
    hours later. `photos` are already-validated uploads."""
    from extranet.models import Feedback, FeedbackPhoto

    now = now or timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.create(
            retailer=retailer,
            submitted_by=user,
            kind=kind,
            text=text,
            assigned_to_id=retailer.account_manager_id,
            submitted_at=now,
            callback_due_at=now + CALLBACK_WITHIN,
        )
        for upload in photos:
            FeedbackPhoto.objects.create(feedback=feedback, file=upload, name=upload.name[:200])
        _feedback_event(feedback, kind="submitted", actor=user, at=now)
    return feedback


def _locked(feedback):
    from extranet.models import Feedback

    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def feedback_callback_record(
    *, feedback, actor, called_at: datetime, method: str, summary: str, now=None
):
    now = now or timezone.now()
    if called_at > now:
        raise FeedbackRefused(_("The call-back time cannot be in the future."))
    # Times are entered to the minute: a call-back in the minute of submission is fine.
    if called_at < feedback.submitted_at.replace(second=0, microsecond=0):
        raise FeedbackRefused(_("The call-back cannot be before the feedback was submitted."))
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.called_back_at is not None:
            raise FeedbackRefused(_("The call-back has already been recorded."))
        feedback.called_back_at = called_at
        feedback.callback_method = method
        feedback.callback_summary = summary
        feedback.status = feedback.Status.CALLED_BACK
        feedback.save(
            update_fields=["called_back_at", "callback_method", "callback_summary", "status"]
        )
        _feedback_event(feedback, kind="callback", actor=actor, at=now, text=summary)
        audit_record(actor=actor, action="extranet.feedback_callback", target=feedback)
        _feedback_status_mail(feedback)
    return feedback


def feedback_resolve(*, feedback, actor, resolution: str, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.called_back_at is None:
            raise FeedbackRefused(_("Record the call-back before the resolution."))
        if feedback.status == feedback.Status.RESOLVED:
            raise FeedbackRefused(_("This feedback is already resolved."))
        feedback.resolution = resolution
        feedback.resolved_at = now
        feedback.status = feedback.Status.RESOLVED
        feedback.save(update_fields=["resolution", "resolved_at", "status"])
        _feedback_event(feedback, kind="resolved", actor=actor, at=now, text=resolution)
        audit_record(actor=actor, action="extranet.feedback_resolve", target=feedback)
        _feedback_status_mail(feedback)
    return feedback


def _feedback_status_mail(feedback):
    """Tell the retailer (its logins with an e-mail address) that its feedback was called back
    or resolved; sent by the task queue once the change is committed."""
    from portal.tasks import email_send

    to = sorted(
        set(
            User.objects.filter(retailer_login__retailer_id=feedback.retailer_id, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not to:
        return
    status = feedback.get_status_display()
    subject = _("Your feedback %(number)s: %(status)s") % {
        "number": feedback.number,
        "status": status,
    }
    detail = feedback.resolution if feedback.status == "resolved" else feedback.callback_summary
    body = _("Your feedback %(number)s is now: %(status)s.") % {
        "number": feedback.number,
        "status": status,
    }
    body = f"{body}\n\n{detail}" if detail else body
    transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))


def feedback_rate(*, feedback, user, rating: int, now=None):
    """The retailer rates the handling once, after resolution."""
    now = now or timezone.now()
    if not 1 <= rating <= 5:
        raise FeedbackRefused(_("Choose a rating from 1 to 5."))
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.status != feedback.Status.RESOLVED:
            raise FeedbackRefused(_("You can rate the handling once the feedback is resolved."))
        if feedback.rating is not None:
            raise FeedbackRefused(_("You have already rated this feedback."))
        feedback.rating = rating
        feedback.save(update_fields=["rating"])
        _feedback_event(feedback, kind="rated", actor=user, at=now, text=str(rating))
    return feedback


def feedback_note_add(*, feedback, actor, text: str, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        return _feedback_event(feedback, kind="note", actor=actor, at=now, text=text, internal=True)


def feedback_reassign(*, feedback, actor, employee, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.assigned_to_id == employee.pk:
            raise FeedbackRefused(_("The feedback is already assigned to this person."))
        feedback.assigned_to = employee
        # The new assignee gets their own due-soon warning.
        feedback.warned_at = None
        feedback.save(update_fields=["assigned_to", "warned_at"])
        _feedback_event(
            feedback, kind="reassigned", actor=actor, at=now, text=employee.name, internal=True
        )
        audit_record(actor=actor, action="extranet.feedback_reassign", target=feedback)
    return feedback


def feedback_flag_effective(*, feedback, actor, effective: bool, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.kind != feedback.Kind.COMPLAINT:
            raise FeedbackRefused(_("Only complaints can be flagged as effective."))
        feedback.is_effective_complaint = effective
        feedback.save(update_fields=["is_effective_complaint"])
        _feedback_event(
            feedback,
            kind="flagged",
            actor=actor,
            at=now,
            text=_("Effective") if effective else _("Not effective"),
            internal=True,
        )
    return feedback


def _sales_department_head():
    from django.conf import settings

    from portal.models import Department

    code = getattr(settings, "EXTRANET_SALES_DEPARTMENT_CODE", "sales")
    department = Department.objects.select_related("head__user").filter(code=code).first()
    return department.head if department else None


def _mail(recipients, subject, body):
    from portal.tasks import email_send

    to = sorted({e.user.email for e in recipients if e is not None and e.user.email})
    if to:
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))
    return to


def feedback_alerts_send(*, now: datetime | None = None) -> tuple[int, int]:
    """Warn account managers 4 hours before a call-back is due; alert their manager (the head
    of their department) and the sales department head once it is overdue. Each alert is sent
    once: the row remembers it. Returns (warnings, overdue alerts)."""
    from extranet.models import Feedback

    now = now or timezone.now()
    warned = alerted = 0
    pending = Feedback.objects.filter(called_back_at__isnull=True).select_related(
        "assigned_to__user", "assigned_to__department__head__user", "retailer"
    )
    with transaction.atomic():
        due_soon = pending.select_for_update(of=("self",)).filter(
            warned_at__isnull=True,
            callback_due_at__gt=now,
            callback_due_at__lte=now + WARN_BEFORE_DUE,
        )
        for feedback in due_soon:
            _mail(
                [feedback.assigned_to],
                _("Call-back due soon: %(number)s") % {"number": feedback.number},
                _("Please call back %(store)s about feedback %(number)s before %(due)s.")
                % {
                    "store": feedback.retailer.store_name,
                    "number": feedback.number,
                    "due": formats.date_format(
                        timezone.localtime(feedback.callback_due_at), "DATETIME_FORMAT"
                    ),
                },
            )
            feedback.warned_at = now
            feedback.save(update_fields=["warned_at"])
            warned += 1
        head = _sales_department_head()
        overdue = pending.select_for_update(of=("self",)).filter(
            overdue_alerted_at__isnull=True, callback_due_at__lte=now
        )
        for feedback in overdue:
            manager = feedback.assigned_to.department.head if feedback.assigned_to else None
            _mail(
                [manager, head],
                _("Call-back overdue: %(number)s") % {"number": feedback.number},
                _("Feedback %(number)s from %(store)s has not been called back in 24 hours.")
                % {"store": feedback.retailer.store_name, "number": feedback.number},
            )
            feedback.overdue_alerted_at = now
            feedback.save(update_fields=["overdue_alerted_at"])
            alerted += 1
    return warned, alerted
