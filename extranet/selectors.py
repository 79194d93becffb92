"""Reads for the extranet and its staff side that depend on who asks."""

from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from extranet import rules
from extranet.models import (
    AllocationUsage,
    Brand,
    Order,
    OrderStatusChange,
    Product,
    Retailer,
    SalesPolicy,
)
from extranet.permissions import is_account_manager, may_see_all_retailers
from extranet.services import allowance_limits
from portal.selectors import employee_of


def retailer_of(user) -> Retailer | None:
    """The retailer a signed-in extranet user acts for, read once per request."""
    if not user.is_authenticated or not user.is_retailer:
        return None
    if not hasattr(user, "_portal_retailer"):
        login = user._state.fields_cache.get("retailer_login", False)
        if login is not False:
            # Read with the user by the authentication backend (portal.accounts).
            user._portal_retailer = login.retailer if login is not None else None
        else:
            user._portal_retailer = Retailer.objects.filter(logins__user_id=user.pk).first()
    return user._portal_retailer


# Catalogue ------------------------------------------------------------------------------------


def catalogue(*, query: str = "", brand_id=None, include_discontinued=False):
    """Products as the catalogue lists them, with brand and stock in the same query."""
    products = Product.objects.select_related("brand", "stock")
    if not include_discontinued:
        products = products.exclude(status=Product.Status.DISCONTINUED)
    query = (query or "").strip()
    if query:
        products = products.filter(
            Q(name__icontains=query)
            | Q(brand__name__icontains=query)
            | Q(code__iexact=query)
            | Q(barcode=query)
        )
    if brand_id:
        products = products.filter(brand_id=brand_id)
    return products.order_by("brand__name", "name", "pk")


def new_products(limit=5):
    return list(
        Product.objects.filter(status=Product.Status.NEW)
        .select_related("brand")
        .order_by("-launched_on", "-pk")[:limit]
    )


# The catalogue's brand list and new products are the same for every retailer: on order day
# thousands of catalogue views would ask for them again and again. They are kept in the cache
# until a brand or product changes (or five minutes pass).
CATALOGUE_SHARED_KEY = "extranet:catalogue:shared"
CATALOGUE_SHARED_SECONDS = 300


def catalogue_shared() -> dict:
    """{"brands": [{"pk", "name"}, ...] by name, "new_products": [Product, ...]}."""
    shared = cache.get(CATALOGUE_SHARED_KEY)
    if shared is None:
        shared = {
            "brands": list(Brand.objects.order_by("name").values("pk", "name")),
            "new_products": new_products(),
        }
        cache.set(CATALOGUE_SHARED_KEY, shared, CATALOGUE_SHARED_SECONDS)
    return shared


@receiver(post_save, sender=Brand, dispatch_uid="catalogue_shared_brand_saved")
@receiver(post_delete, sender=Brand, dispatch_uid="catalogue_shared_brand_deleted")
@receiver(post_save, sender=Product, dispatch_uid="catalogue_shared_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="catalogue_shared_product_deleted")
def forget_catalogue_shared(**kwargs):
    # Now, and again on commit: a catalogue view in between must not keep the old lists.
    cache.delete(CATALOGUE_SHARED_KEY)
    transaction.on_commit(lambda: cache.delete(CATALOGUE_SHARED_KEY))


def product_detail(*, product_id, include_discontinued=False):
    products = Product.objects.select_related("brand", "stock", "image").prefetch_related(
        Prefetch("policies", queryset=SalesPolicy.objects.order_by("-valid_from"))
    )
    if not include_discontinued:
        products = products.exclude(status=Product.Status.DISCONTINUED)
    return products.filter(pk=product_id).first()


def current_policies(product, today=None):
    today = today or timezone.localdate()
    return [
        policy
        for policy in product.policies.all()
        if policy.valid_from <= today
        and (policy.valid_until is None or policy.valid_until >= today)
    ]


def allowances(*, retailer: Retailer, product_ids, now: datetime | None = None) -> dict:
    """{product id: (limit, remaining)} this cycle, for the scarce products among product_ids."""
    now = now or timezone.now()
    limits = allowance_limits(retailer=retailer, product_ids=list(product_ids))
    if not limits:
        return {}
    window = rules.order_window(retailer.order_day, now)
    used = dict(
        AllocationUsage.objects.filter(
            retailer=retailer, cycle=window.cycle, product_id__in=list(limits)
        ).values_list("product_id", "cartons")
    )
    return {pk: (limit, max(limit - used.get(pk, 0), 0)) for pk, limit in limits.items()}


def stock_level_of(product) -> str:
    stock = getattr(product, "stock", None)
    return rules.stock_level(stock.available if stock else 0)


# Cart -----------------------------------------------------------------------------------------


def cart_lines(*, retailer: Retailer, cart: dict, now: datetime | None = None):
    """The session cart {product id: cartons} as lines with product, price, amount, stock level,
    limit and remaining allowance; products no longer orderable are left out."""
    ids = [int(pk) for pk in cart]
    products = {
        product.pk: product
        for product in Product.objects.select_related("brand", "stock")
        .filter(pk__in=ids)
        .exclude(status=Product.Status.DISCONTINUED)
    }
    limits = allowances(retailer=retailer, product_ids=list(products), now=now)
    lines = []
    for pk in sorted(products):
        product = products[pk]
        quantity = int(cart[str(pk)])
        limit, remaining = limits.get(pk, (None, None))
        lines.append(
            {
                "product": product,
                "quantity": quantity,
                "amount": product.wholesale_price * quantity,
                "stock_level": stock_level_of(product),
                "limit": limit,
                "remaining": remaining,
                "over_limit": remaining is not None and quantity > remaining,
            }
        )
    return lines


# Orders ---------------------------------------------------------------------------------------


def orders_of_retailer(*, retailer: Retailer):
    return Order.objects.filter(retailer=retailer).order_by("-placed_at", "-pk")


def order_for_retailer(*, retailer: Retailer, order_id):
    """One of the retailer's own orders with lines and history, or None (→ 404)."""
    return (
        Order.objects.filter(retailer=retailer, pk=order_id)
        .prefetch_related(
            "lines__product__brand",
            Prefetch("history", queryset=OrderStatusChange.objects.order_by("changed_at", "pk")),
        )
        .first()
    )


# Staff side -----------------------------------------------------------------------------------


def retailers_visible_to(user):
    """Sales administrators see every retailer, an account manager the retailers assigned to
    them, anyone else none."""
    retailers = Retailer.objects.select_related("route", "account_manager")
    if may_see_all_retailers(user):
        return retailers
    employee = employee_of(user)
    if is_account_manager(user) and employee is not None:
        return retailers.filter(account_manager=employee)
    return retailers.none()


def retailers_filtered(*, user, grade=None, route=None, order_day=None, region="", query=""):
    retailers = retailers_visible_to(user)
    if grade:
        retailers = retailers.filter(grade=grade)
    if route:
        retailers = retailers.filter(route_id=route)
    if order_day is not None and order_day != "":
        retailers = retailers.filter(order_day=order_day)
    if region:
        retailers = retailers.filter(region=region)
    query = (query or "").strip()
    if query:
        retailers = retailers.filter(
            Q(store_name__icontains=query)
            | Q(licence_number__startswith=query)
            | Q(legal_representative__icontains=query)
        )
    return retailers.order_by("licence_number")


def regions_of(retailers_queryset):
    return list(
        retailers_queryset.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def top_retailers(*, user):
    """The top share (20 % by default) of all retailers by value score, among those the user
    may see."""
    total = Retailer.objects.count()
    size = int((rules.top_share() * total).to_integral_value(rounding="ROUND_CEILING"))
    top_ids = Retailer.objects.order_by("-value_score", "pk").values("pk")[:size]
    return retailers_visible_to(user).filter(pk__in=top_ids).order_by("-value_score", "pk")


def orders_visible_to(user):
    orders = Order.objects.select_related("retailer", "retailer__route")
    if may_see_all_retailers(user):
        return orders
    employee = employee_of(user)
    if is_account_manager(user) and employee is not None:
        return orders.filter(retailer__account_manager=employee)
    return orders.none()


def orders_filtered(*, user, cycle=None, route=None, status=""):
    orders = orders_visible_to(user)
    if cycle:
        orders = orders.filter(cycle=cycle)
    if route:
        orders = orders.filter(retailer__route_id=route)
    if status:
        orders = orders.filter(status=status)
    return orders.order_by("-placed_at", "-pk")


def order_for_staff(*, user, order_id):
    return (
        orders_visible_to(user)
        .filter(pk=order_id)
        .prefetch_related(
            "lines__product__brand",
            Prefetch(
                "history",
                queryset=OrderStatusChange.objects.select_related("changed_by").order_by(
                    "changed_at", "pk"
                ),
            ),
        )
        .first()
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


# Feedback and complaints ----------------------------------------------------------------------


def feedback_of_retailer(*, retailer: Retailer):
    from extranet.models import Feedback

    return Feedback.objects.filter(retailer=retailer).order_by("-submitted_at", "-pk")


def feedback_for_retailer(*, retailer: Retailer, feedback_id):
    """A retailer's own item with its photos and its public history (never internal notes)."""
    from extranet.models import FeedbackEvent

    return (
        feedback_of_retailer(retailer=retailer)
        .prefetch_related(
            "photos",
            Prefetch(
                "events",
                queryset=FeedbackEvent.objects.filter(is_internal=False).order_by("at", "pk"),
                to_attr="public_events",
            ),
        )
        .filter(pk=feedback_id)
        .first()
    )


def feedback_visible_to(user):
    from extranet.models import Feedback
    from extranet.permissions import may_see_all_feedback

    items = Feedback.objects.select_related("retailer", "assigned_to")
    if may_see_all_feedback(user):
        return items
    employee = employee_of(user)
    if is_account_manager(user) and employee is not None:
        return items.filter(assigned_to=employee)
    return items.none()


def feedback_filtered(*, user, status="", kind="", overdue=False, assigned_to=None, now=None):
    now = now or timezone.now()
    items = feedback_visible_to(user)
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    if overdue:
        items = items.filter(called_back_at__isnull=True, callback_due_at__lte=now)
    if assigned_to:
        items = items.filter(assigned_to_id=assigned_to)
    return items.order_by("callback_due_at", "pk") if overdue else items


def feedback_for_staff(*, user, feedback_id):
    from extranet.models import FeedbackEvent

    return (
        feedback_visible_to(user)
        .select_related("submitted_by")
        .prefetch_related(
            "photos",
            Prefetch(
                "events",
                queryset=FeedbackEvent.objects.select_related("actor").order_by("at", "pk"),
            ),
        )
        .filter(pk=feedback_id)
        .first()
    )


def overdue_by_account_manager(*, user, now=None):
    """Per account manager: how many call-backs are overdue now (only the people the user may
    see; one aggregate query)."""
    from django.db.models import Count

    now = now or timezone.now()
    return list(
        feedback_visible_to(user)
        .filter(called_back_at__isnull=True, callback_due_at__lte=now)
        .values("assigned_to_id", "assigned_to__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "assigned_to__name")
    )


def callback_rates_by_month(*, user, months=12, now=None):
    """Per month of submission: items, items called back in time, and the on-time rate (%).
    Items whose due time has not come yet and that are not called back are left out (it is
    too early to judge them). Aggregated in the database."""
    from datetime import timedelta

    from django.db.models import Count, F
    from django.db.models.functions import TruncMonth

    now = now or timezone.now()
    since = (timezone.localtime(now) - timedelta(days=31 * (months - 1))).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    rows = (
        feedback_visible_to(user)
        .filter(submitted_at__gte=since)
        .filter(Q(called_back_at__isnull=False) | Q(callback_due_at__lte=now))
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(called_back_at__lte=F("callback_due_at"))),
        )
        .order_by("-month")
    )
    return [
        {**row, "rate": round(100 * row["on_time"] / row["total"], 1) if row["total"] else None}
        for row in rows
    ]


def account_managers():
    from portal.models import Employee
    from portal.permissions import Role

    return Employee.objects.filter(user__groups__name=Role.ACCOUNT_MANAGER, user__is_active=True)


# Stock adjustments and retailer logins --------------------------------------------------------


def stock_available(*, product) -> int:
    from extranet.models import Stock

    return Stock.objects.filter(product=product).values_list("available", flat=True).first() or 0


def stock_history(*, product, limit: int = 20):
    """The latest stock adjustments of a product, from the audit log."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import AuditEntry

    return list(
        AuditEntry.objects.filter(
            action="stock.adjusted",
            target_type=ContentType.objects.get_for_model(Product),
            target_id=str(product.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def logins_of(*, retailer, limit: int = 100):
    """A retailer's logins (a store has a handful), active first."""
    from extranet.models import RetailerLogin

    return list(
        RetailerLogin.objects.filter(retailer=retailer)
        .select_related("user")
        .order_by("-user__is_active", "user__username")[:limit]
    )


def recent_imports_queryset():
    from extranet.models import RetailerImport

    return RetailerImport.objects.select_related("created_by")


def recent_imports(limit: int = 10):
    return list(recent_imports_queryset()[:limit])


# Lookups behind the pickers (never a full list: at most LOOKUP_LIMIT rows) -------------------

LOOKUP_LIMIT = 20


def lookup(*, kind: str, user, query: str) -> list[dict]:
    """Suggestions for a picker: {"value": the key typed into the field, "label": what is
    shown}. Retailers are limited to those the user may see; employees are account managers
    (the only ones a retailer can be assigned to). A bounded, indexed query."""
    from extranet.models import DeliveryRoute
    from portal.models import Employee

    query = (query or "").strip()[:64]
    if not query:
        return []
    if kind == "retailers":
        rows = (
            retailers_visible_to(user)
            .filter(Q(licence_number__startswith=query) | Q(store_name__icontains=query))
            .order_by("licence_number")
            .values_list("licence_number", "store_name")[:LOOKUP_LIMIT]
        )
        return [{"value": key, "label": f"{name} ({key})"} for key, name in rows]
    if kind == "employees":
        rows = (
            Employee.objects.filter(pk__in=account_managers().values("pk"))
            .filter(
                Q(employee_number__startswith=query)
                | Q(name__icontains=query)
                | Q(name_pinyin__startswith=query.lower())
            )
            .order_by("employee_number")
            .values_list("employee_number", "name")[:LOOKUP_LIMIT]
        )
        return [{"value": key, "label": f"{name} ({key})"} for key, name in rows]
    if kind == "routes":
        rows = (
            DeliveryRoute.objects.filter(Q(code__istartswith=query) | Q(name__icontains=query))
            .order_by("code")
            .values_list("code", "name")[:LOOKUP_LIMIT]
        )
        return [{"value": key, "label": f"{key} {name}"} for key, name in rows]
    raise ValueError(kind)
