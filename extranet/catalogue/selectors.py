"""Reads of the catalogue: products, their policies, stock levels and allowances."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Q
from django.utils import timezone

from extranet import rules
from extranet.catalogue.models import (
    Allocation,
    AllocationUsage,
    Brand,
    Product,
    SalesPolicy,
    Stock,
)
from portal.generations import Generation
from portal.models import AuditEntry


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
    """The latest products launched as new, newest first."""
    return list(
        Product.objects.filter(status=Product.Status.NEW)
        .select_related("brand")
        .order_by("-launched_on", "-pk")[:limit]
    )


def brands():
    """Every brand as {"pk", "name"}, by name."""
    return list(Brand.objects.order_by("name").values("pk", "name"))


# The catalogue's brand list and new products are the same for every retailer: on order day
# thousands of catalogue views would ask for them again and again. They are kept in the cache
# under the catalogue's generation, which `extranet.catalogue.signals` bumps whenever a brand or
# a product changes; five minutes at most in any case.
CATALOGUE_GENERATION = Generation("extranet:catalogue:generation")
CATALOGUE_SHARED_SECONDS = 300


def catalogue_shared() -> dict:
    """{"brands": [{"pk", "name"}, ...] by name, "new_products": [Product, ...]}."""
    key = f"extranet:catalogue:shared:{CATALOGUE_GENERATION.current()}"
    shared = cache.get(key)
    if shared is None:
        shared = {"brands": brands(), "new_products": new_products()}
        cache.set(key, shared, CATALOGUE_SHARED_SECONDS)
    return shared


def product_details(*, include_discontinued=False):
    """Products with their brand, stock, image and policies (newest first); discontinued
    ones only when asked for."""
    products = Product.objects.select_related("brand", "stock", "image").prefetch_related(
        Prefetch("policies", queryset=SalesPolicy.objects.order_by("-valid_from"))
    )
    if not include_discontinued:
        products = products.exclude(status=Product.Status.DISCONTINUED)
    return products


def products_visible_to(*, user, face: str):
    """The products `user` may look up on `face`: every one for an employee on the intranet,
    those still on sale for a retailer on the extranet, none otherwise."""
    if not user.is_authenticated:
        return Product.objects.none()
    if face == "intranet" and user.is_employee:
        return Product.objects.all()
    if face == "extranet" and user.is_retailer:
        return Product.objects.exclude(status=Product.Status.DISCONTINUED)
    return Product.objects.none()


def current_policies(product, today=None):
    """The product's policies valid today (from its prefetched policies)."""
    today = today or timezone.localdate()
    return [
        policy
        for policy in product.policies.all()
        if policy.valid_from <= today
        and (policy.valid_until is None or policy.valid_until >= today)
    ]


def allocations_of(*, product):
    """The grades' allocations of a product, by grade."""
    return list(Allocation.objects.filter(product=product).order_by("grade"))


# Allowances -----------------------------------------------------------------------------------


def allowance_limits(*, retailer, product_ids) -> dict[int, int]:
    """Per-cycle limits (cartons) of the scarce products among `product_ids` for the retailer
    (the limits of `allowances`)."""
    return {
        pk: limit
        for pk, (limit, _remaining) in allowances(
            retailer=retailer, product_ids=product_ids
        ).items()
    }


def allowances(*, retailer, product_ids, now: datetime | None = None) -> dict:
    """{product id: (limit, remaining)} in the current cycle of the retailer's order window,
    for the scarce products among product_ids. The limit is the retailer's own override if any,
    else its grade's allocation, else 0 (nothing may be ordered); `order_place` reads the same
    rule in its product query (`extranet.ordering.statements.ordered_products`). Remaining is
    the limit less what the retailer has ordered this cycle, never below zero."""
    ids = list(product_ids)
    if not ids:
        return {}
    cycle = rules.order_window(retailer.order_day, now or timezone.now()).cycle
    # The limits and the usage of `allowances_used` in one query (the catalogue asks for
    # every product of its page).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, COALESCE(own.cartons, by_grade.cartons, 0), COALESCE(used.cartons, 0)"  # noqa: S608 (only placeholders are formatted in)
            " FROM extranet_product p"
            " LEFT JOIN extranet_retailerallocation own"
            "  ON own.product_id = p.id AND own.retailer_id = %s"
            " LEFT JOIN extranet_allocation by_grade"
            "  ON by_grade.product_id = p.id AND by_grade.grade = %s"
            " LEFT JOIN extranet_allocationusage used"
            "  ON used.product_id = p.id AND used.retailer_id = %s AND used.cycle = %s"
            f" WHERE p.is_scarce AND p.id IN ({', '.join(['%s'] * len(ids))})",
            [
                retailer.pk,
                retailer.grade,
                retailer.pk,
                connection.ops.adapt_datefield_value(cycle),
                *ids,
            ],
        )
        return {pk: (limit, max(limit - used, 0)) for pk, limit, used in cursor.fetchall()}


def allowances_used(*, retailer, product_ids, now: datetime | None = None) -> dict[int, int]:
    """{product id: cartons} the retailer has ordered of these products in the current cycle
    of its order window (products it has not ordered are left out)."""
    window = rules.order_window(retailer.order_day, now or timezone.now())
    return dict(
        AllocationUsage.objects.filter(
            retailer=retailer, cycle=window.cycle, product_id__in=product_ids
        ).values_list("product_id", "cartons")
    )


# Stock ----------------------------------------------------------------------------------------


def stock_level_of(product) -> str:
    """The stock level a retailer sees (available, limited, out), never the quantity."""
    stock = getattr(product, "stock", None)
    return rules.stock_level(stock.available if stock else 0)


def stock_available(*, product) -> int:
    """The exact cartons available (for the sales staff); 0 without a stock row."""
    return Stock.objects.filter(product=product).values_list("available", flat=True).first() or 0


def products_with_stock():
    """Products with their brand and stock row, for the stock adjustment page (one query,
    without the policies and image `product_details` reads for the product page)."""
    return Product.objects.select_related("brand", "stock")


def stock_available_of(product) -> int:
    """`stock_available` of a product read with `products_with_stock`: no query."""
    stock = getattr(product, "stock", None)
    return stock.available if stock else 0


def stock_history(*, product, limit: int = 20):
    """The latest stock adjustments of a product, from the audit log."""
    return list(
        AuditEntry.objects.filter(
            action="stock.adjusted",
            target_type=ContentType.objects.get_for_model(Product),
            target_id=str(product.pk),
        )
        .select_related("actor__employee")
        .order_by("-created_at", "-pk")[:limit]
    )
