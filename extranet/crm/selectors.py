"""Reads of retailers, their logins and imports that depend on who asks, and the lookups
behind the pickers."""

from datetime import datetime, timedelta

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from extranet import rules
from extranet.catalogue.models import DeliveryRoute
from extranet.crm.models import (
    Retailer,
    RetailerImport,
    RetailerLogin,
    Visit,
    VisitCycle,
    visit_cycle_bounds,
)
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
    """The latest audit entries of a retailer's profile, each with `changes`: the changed
    fields as (label, old, new), the label the field's verbose name (translated when shown)
    and a value with choices read as its choice's label."""
    entries = list(
        AuditEntry.objects.filter(
            target_type__app_label="extranet",
            target_type__model="retailer",
            target_id=str(retailer.pk),
        ).select_related("actor__employee")[:limit]
    )
    for entry in entries:
        changes = (entry.data or {}).get("changes") or {}
        entry.changes = [_labelled_change(name, old, new) for name, (old, new) in changes.items()]
    return entries


def _labelled_change(name, old, new):
    """("support_score", "5", "8") → (支持度, "5", "8"); a removed field keeps its name."""
    try:
        field = Retailer._meta.get_field(name)
    except FieldDoesNotExist:
        return name, old, new
    if field.choices:
        labels = {str(value): label for value, label in field.flatchoices}
        old, new = labels.get(old, old), labels.get(new, new)
    return field.verbose_name, old, new


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
    return RetailerImport.objects.select_related("created_by__employee")


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


# Visits and contacts ---------------------------------------------------------------------------


def visits_visible_to(user):
    """Sales administrators see every contact; an account manager those of the stores assigned
    to them now (a store's history stays with the store); anyone else none."""
    visits = Visit.objects.select_related("retailer", "account_manager")
    if may_see_all_retailers(user):
        return visits
    employee = employee_of(user)
    if is_account_manager(user) and employee is not None:
        return visits.filter(retailer__account_manager=employee)
    return visits.none()


def _log_order(visits):
    # Done contacts newest first, then the plans by their day.
    return visits.order_by(F("done_at").desc(nulls_last=True), "-planned_on", "-pk")


def visits_filtered(*, user, retailer=None, manager=None, way="", state="", start=None, end=None):
    """The contacts the user may see, filtered: a store, an account manager, the way, done or
    planned, a date range (of the contact, or of the plan when not done)."""
    visits = visits_visible_to(user)
    if retailer is not None:
        visits = visits.filter(retailer=retailer)
    if manager is not None:
        visits = visits.filter(account_manager=manager)
    if way:
        visits = visits.filter(way=way)
    if state == "done":
        visits = visits.filter(done_at__isnull=False)
    elif state == "planned":
        visits = visits.filter(done_at__isnull=True)
    if start is not None:
        begin = _day_start(start)
        visits = visits.filter(
            Q(done_at__gte=begin) | Q(done_at__isnull=True, planned_on__gte=start)
        )
    if end is not None:
        stop = _day_start(end + timedelta(days=1))
        visits = visits.filter(Q(done_at__lt=stop) | Q(done_at__isnull=True, planned_on__lte=end))
    return _log_order(visits)


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def week_visits(*, user, monday, manager=None):
    """The week's work: contacts planned for or done in the week starting `monday`, by day."""
    sunday = monday + timedelta(days=6)
    visits = visits_visible_to(user).filter(
        Q(planned_on__gte=monday, planned_on__lte=sunday)
        | Q(done_at__gte=_day_start(monday), done_at__lt=_day_start(sunday + timedelta(days=1)))
    )
    if manager is not None:
        visits = visits.filter(account_manager=manager)
    return visits.order_by(
        Coalesce("planned_on", TruncDate("done_at")), "retailer__licence_number", "pk"
    )


def retailers_due_a_visit(*, user, today, manager=None):
    """The stores the user may see, not closed, without a contact done in their current visit
    cycle (the calendar week for a weekly store, the fortnight, the month); what a count of
    them needs, without the columns of `retailers_not_visited`."""
    due = Q()
    for cycle in VisitCycle.values:
        start, end = visit_cycle_bounds(cycle, today)
        done = Visit.objects.filter(
            retailer=OuterRef("pk"),
            done_at__gte=_day_start(start),
            done_at__lt=_day_start(end + timedelta(days=1)),
        )
        due |= Q(visit_cycle=cycle) & ~Exists(done)
    retailers = (
        retailers_visible_to(user)
        .exclude(business_status=Retailer.BusinessStatus.CLOSED)
        .filter(due)
    )
    if manager is not None:
        retailers = retailers.filter(account_manager=manager)
    return retailers


def retailers_due_a_visit_count(*, user, today, manager=None) -> int:
    """How many stores `retailers_due_a_visit` has for the same arguments, by the same rules
    (who sees which stores, closed stores left out, a contact done in the current cycle): its
    count written out, where building the ORM's query (an EXISTS per visit cycle) cost a fifth
    of the week page's CPU (issue 18)."""
    where = due_a_visit_where(user=user, today=today, manager=manager)
    if where is None:
        return 0
    conditions, params = where
    table = connection.ops.quote_name(Retailer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} r WHERE {conditions}",  # noqa: S608
            params,  # (quoted names and placeholders only)
        )
        return cursor.fetchone()[0]


def retailers_visible_where(user) -> tuple[list[str], list] | None:
    """`retailers_visible_to`'s rule as conditions on the retailers (aliased `r`) of a
    written-out statement, with their parameters: none for staff who see every store, the
    account manager's own stores for a manager, None for anyone else (they see no store)."""
    if may_see_all_retailers(user):
        return [], []
    employee = employee_of(user)
    if not is_account_manager(user) or employee is None:
        return None
    return ["r.account_manager_id = %s"], [employee.pk]


def due_a_visit_where(*, user, today, manager=None) -> tuple[str, list] | None:
    """`retailers_due_a_visit`'s rules as the WHERE clause of a written-out statement over
    the retailers (aliased `r`), with its parameters; None when the user sees no store."""
    conditions, params = ["r.business_status <> %s"], [Retailer.BusinessStatus.CLOSED.value]
    visible = retailers_visible_where(user)
    if visible is None:
        return None
    conditions += visible[0]
    params += visible[1]
    if manager is not None:
        conditions.append("r.account_manager_id = %s")
        params.append(manager.pk)
    ops = connection.ops
    visit = ops.quote_name(Visit._meta.db_table)
    cycles = []
    for cycle in VisitCycle.values:
        start, end = visit_cycle_bounds(cycle, today)
        cycles.append(
            f"(r.visit_cycle = %s AND NOT EXISTS (SELECT 1 FROM {visit} v"  # noqa: S608
            " WHERE v.retailer_id = r.id AND v.done_at >= %s AND v.done_at < %s))"
        )
        params += [
            cycle,
            ops.adapt_datetimefield_value(_day_start(start)),
            ops.adapt_datetimefield_value(_day_start(end + timedelta(days=1))),
        ]
    conditions.append(f"({' OR '.join(cycles)})")
    return " AND ".join(conditions), params


def retailers_not_visited(*, user, today, manager=None):
    """The stores due a visit (`retailers_due_a_visit`), with the last contact and the next
    planned visit. By licence number."""
    retailers = retailers_due_a_visit(user=user, today=today, manager=manager)
    last = Visit.objects.filter(retailer=OuterRef("pk"), done_at__isnull=False).order_by("-done_at")
    planned = Visit.objects.filter(
        retailer=OuterRef("pk"), done_at__isnull=True, planned_on__gte=today
    ).order_by("planned_on")
    return retailers.annotate(
        last_contact_at=Subquery(last.values("done_at")[:1]),
        next_planned_on=Subquery(planned.values("planned_on")[:1]),
        next_planned_id=Subquery(planned.values("pk")[:1]),
    ).order_by("licence_number")


def retailer_visits(*, retailer, fields, limit: int = 10):
    """A store's latest contacts and plans, for its staff profile: dictionaries of `fields`."""
    return list(_log_order(Visit.objects.filter(retailer=retailer)).values(*fields)[:limit])


def account_manager_contact(retailer):
    """What a store sees of its account manager: the name and the work phone and extension of
    the directory, nothing more. None when the store has no active account manager."""
    if retailer is None or retailer.account_manager_id is None:
        return None
    return (
        Employee.objects.filter(pk=retailer.account_manager_id, user__is_active=True)
        .values("name", "phone", "extension")
        .first()
    )
