"""Writes of the account managers' visit and contact log (issue 16): plan the week's visits,
record a visit or call with its outcome and next step, drop a plan.

Source 000: the account managers visit their stores every week. Source 004: each contact keeps
its time, place, way, content, effect and next step. Source 002: the visit cycle is a dynamic
item of the store (`Retailer.visit_cycle`, weekly unless the account manager sets another).
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet.crm.models import Retailer, Visit, visit_cycle_bounds
from portal.generations import Generation
from portal.refusals import Refusal
from portal.services import audit_record

# What the visit pages keep in the cache (the week and the log, extranet.desk.visits_kept) is kept
# under this generation: bumped by extranet.signals when a visit, a store or an employee is
# saved or deleted, and by the bulk writes here.
VISITS_GENERATION = Generation("extranet:crm:visits:generation")


def visits_forget() -> None:
    """Visits, stores or account managers changed: what was kept of them is stale."""
    VISITS_GENERATION.bump()


# A contact recorded a few minutes ahead of the server's clock is a clock difference, not a
# contact in the future.
CLOCK_SLACK = timedelta(minutes=5)


def week_start_of(day: date) -> date:
    """The Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def visit_plan(*, retailer: Retailer, planned_on: date, actor, today: date | None = None) -> Visit:
    """Plan a visit to `retailer` on `planned_on` (today or later) for its account manager."""
    today = today or timezone.localdate()
    if planned_on < today:
        raise Refusal(_("A visit is planned for today or a later day."))
    if retailer.business_status == Retailer.BusinessStatus.CLOSED:
        raise Refusal(_("This store is closed; there is nothing to visit."))
    with transaction.atomic():
        visit = Visit.objects.create(
            retailer=retailer,
            account_manager_id=retailer.account_manager_id,
            planned_on=planned_on,
            recorded_by=actor,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="retailer.visit_planned",
            target=retailer,
            data={"visit": visit.pk, "planned_on": planned_on.isoformat()},
        )
    return visit


def visits_plan_week(*, manager, actor, today: date | None = None) -> int:
    """Plan this week's visits of an account manager (an Employee): one visit per store and
    visit cycle, for each of the manager's stores that is not closed and has no visit planned
    or done in the cycle of the planned day. The planned day is the store's order day of this
    week (the manager meets the store when it orders), or today when that day is past.
    Running it again plans nothing new. Returns the number of visits planned."""
    today = today or timezone.localdate()
    monday = week_start_of(today)
    retailers = list(
        Retailer.objects.filter(account_manager=manager)
        .exclude(business_status=Retailer.BusinessStatus.CLOSED)
        .only("pk", "order_day", "visit_cycle", "account_manager_id")
        .order_by("pk")
    )
    if not retailers:
        return 0
    planned = {}
    for retailer in retailers:
        day = max(monday + timedelta(days=retailer.order_day or 0), today)
        planned[retailer.pk] = (day, visit_cycle_bounds(retailer.visit_cycle, day))
    earliest = min(bounds[0] for _day, bounds in planned.values())
    latest = max(bounds[1] for _day, bounds in planned.values())
    with transaction.atomic():
        # Locks the manager's stores' rows in order, so two runs at once plan once.
        list(
            Retailer.objects.select_for_update()
            .filter(pk__in=list(planned))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        existing = {}
        rows = Visit.objects.filter(
            Q(planned_on__gte=earliest, planned_on__lte=latest)
            | Q(done_at__gte=_day_start(earliest), done_at__lt=_day_start(latest + timedelta(1))),
            retailer_id__in=list(planned),
        ).values_list("retailer_id", "planned_on", "done_at")
        for retailer_id, planned_on, done_at in rows:
            days = existing.setdefault(retailer_id, [])
            if planned_on is not None:
                days.append(planned_on)
            if done_at is not None:
                days.append(timezone.localdate(done_at))
        now = timezone.now()
        new = []
        for retailer in retailers:
            day, (start, end) = planned[retailer.pk]
            if any(start <= seen <= end for seen in existing.get(retailer.pk, [])):
                continue
            new.append(
                Visit(
                    retailer_id=retailer.pk,
                    account_manager_id=retailer.account_manager_id,
                    planned_on=day,
                    recorded_by=actor,
                    created_at=now,
                )
            )
        Visit.objects.bulk_create(new)
        if new:
            visits_forget()  # bulk_create sends no signal
        audit_record(
            actor=actor,
            action="retailer.visits_planned",
            target=manager,
            data={"week": monday.isoformat(), "planned": len(new)},
        )
    return len(new)


def visit_record(
    *,
    retailer: Retailer,
    actor,
    done_at: datetime,
    way: str,
    place: str = "",
    content: str = "",
    outcome: str = "",
    next_step: str = "",
    next_on: date | None = None,
    visit: Visit | None = None,
    now: datetime | None = None,
) -> Visit:
    """Record a contact with a store: a planned `visit` becomes done, or a new record is made
    (a call, an unplanned visit). Correcting a recorded contact goes through here too. A
    contact cannot be in the future, and its next contact cannot be before it."""
    now = now or timezone.now()
    if done_at > now + CLOCK_SLACK:
        raise Refusal(_("A contact cannot be recorded ahead of time."))
    if way not in Visit.Way.values:
        raise Refusal(_("Choose how the contact was made."))
    if next_on is not None and next_on < timezone.localdate(done_at):
        raise Refusal(_("The next contact cannot be before this one."))
    if not (content.strip() or outcome.strip()):
        raise Refusal(_("Say what was discussed or what came of it."))
    with transaction.atomic():
        if visit is None:
            visit = Visit(retailer=retailer, created_at=now)
        else:
            visit = Visit.objects.select_for_update().get(pk=visit.pk, retailer=retailer)
        was_done = visit.done_at is not None
        visit.account_manager_id = visit.account_manager_id or retailer.account_manager_id
        visit.done_at = done_at
        visit.way = way
        visit.place = place.strip()
        visit.content = content.strip()
        visit.outcome = outcome.strip()
        visit.next_step = next_step.strip()
        visit.next_on = next_on
        visit.recorded_by = actor
        visit.save()
        audit_record(
            actor=actor,
            action="retailer.visit_corrected" if was_done else "retailer.visit_recorded",
            target=retailer,
            data={"visit": visit.pk, "way": way, "done_at": done_at.isoformat()},
        )
    return visit


def visit_cancel(*, visit: Visit, actor) -> None:
    """Drop a planned visit that has not been made; a recorded contact stays in the log."""
    with transaction.atomic():
        locked = Visit.objects.select_for_update().filter(pk=visit.pk).first()
        if locked is None:
            return
        if locked.done_at is not None:
            raise Refusal(_("This contact is recorded; it stays in the log."))
        audit_record(
            actor=actor,
            action="retailer.visit_cancelled",
            target=locked.retailer,
            data={"visit": locked.pk, "planned_on": str(locked.planned_on)},
        )
        locked.delete()
