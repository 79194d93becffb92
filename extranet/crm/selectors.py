"""Reads of retailers, their logins and imports that depend on who asks, and the lookups
behind the pickers."""

from django.db.models import Q

from extranet import rules
from extranet.catalogue.models import DeliveryRoute
from extranet.crm.models import Retailer, RetailerImport, RetailerLogin
from extranet.permissions import is_account_manager, may_see_all_retailers
from portal.models import AuditEntry, Employee
from portal.permissions import Role
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
    """The retailers the user may see, filtered, by licence number."""
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
    """The regions of the given retailers, for a filter's choices."""
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


def retailer_history(*, retailer, limit: int = 20):
    """The latest audit entries of a retailer's profile."""
    return list(
        AuditEntry.objects.filter(
            target_type__app_label="extranet",
            target_type__model="retailer",
            target_id=str(retailer.pk),
        ).select_related("actor")[:limit]
    )


def account_managers():
    """Active employees with the account manager role: those a retailer can be assigned to."""
    return Employee.objects.filter(user__groups__name=Role.ACCOUNT_MANAGER, user__is_active=True)


# Logins and imports ---------------------------------------------------------------------------


def logins_of(*, retailer):
    """A retailer's logins (a store has a handful) with their users, active first."""
    return (
        RetailerLogin.objects.filter(retailer=retailer)
        .select_related("user", "retailer")
        .order_by("-user__is_active", "user__username")
    )


def retailer_imports():
    """Every retailer import (the pages are the sales administrators')."""
    return RetailerImport.objects.select_related("created_by")


def recent_imports(limit: int = 10):
    """The latest retailer imports, newest first."""
    return list(retailer_imports()[:limit])


# Lookups behind the pickers (never a full list: at most LOOKUP_LIMIT rows) -------------------

LOOKUP_LIMIT = 20


def lookup(*, kind: str, user, query: str) -> list[dict]:
    """Suggestions for a picker: {"value": the key typed into the field, "label": what is
    shown}. Retailers are limited to those the user may see; employees are account managers
    (the only ones a retailer can be assigned to). A bounded, indexed query."""
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
