"""Writes of market information (submission, review, added information), the grade history,
and the monthly sales summary.

The sales summary aggregates order lines per local month, product, region and grade of the
retailer (its region and grade when the month was refreshed) into `SalesSummary`. It is kept
current by the task queue, never inline in a request:

* saving an order (placing, cancelling) queues a refresh of its month once the change is
  committed; a month already waiting for its refresh is not queued again;
* a grade recomputation that moves retailers, or a change of a retailer's region, queues a
  rebuild of every month (the dashboard groups by the current grade and region);
* the scheduler rebuilds every month each night (what the signals cannot see: bulk loads).
"""

from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateField, F, Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet.market.dashboards.kept import analysis_forget, analysis_forget_now
from extranet.market.models import (
    GradeChange,
    MarketReport,
    MarketReportEvent,
    MarketReportPhoto,
    SalesSummary,
    SalesSummaryMonth,
)
from extranet.market.months import month_bounds, month_of
from extranet.models import Order, OrderLine
from extranet.surveys.notices import survey_audiences_changed
from portal.refusals import Refusal
from portal.services import audit_record

DECISIONS = ("approve", "reject", "ask")
REVIEW_AUDIT_ACTIONS = {
    "approve": "extranet.market_report_approve",
    "reject": "extranet.market_report_reject",
    "ask": "extranet.market_report_ask",
}


def _event(report, *, kind, actor, at, text=""):
    return MarketReportEvent.objects.create(report=report, kind=kind, actor=actor, at=at, text=text)


def _notify_submitter(report, subject, body):
    from portal.tasks import email_send

    user = report.submitted_by
    if user is not None and user.email:
        to = [user.email]
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))


def report_submit(
    *,
    user,
    kind: str,
    observed_on,
    location: str,
    description: str,
    retailer=None,
    region: str = "",
    product=None,
    brand_name: str = "",
    price=None,
    quantity=None,
    photos=(),
    now: datetime | None = None,
) -> MarketReport:
    """Record an observation. Suspected counterfeit or smuggled goods are restricted from the
    start. `photos` are already-validated uploads."""
    now = now or timezone.now()
    if kind not in MarketReport.Kind.values:
        raise Refusal(_("Choose a type of observation."))
    with transaction.atomic():
        report = MarketReport.objects.create(
            kind=kind,
            is_restricted=kind == MarketReport.Kind.COUNTERFEIT,
            retailer=retailer,
            submitted_by=user,
            submitted_at=now,
            observed_on=observed_on,
            location=location,
            region=region or (retailer.region if retailer else ""),
            product=product,
            brand_name=brand_name,
            price=price,
            quantity=quantity,
            description=description,
        )
        for upload in photos:
            MarketReportPhoto.objects.create(report=report, file=upload, name=upload.name[:200])
        _event(report, kind="submitted", actor=user, at=now)
        audit_record(actor=user, action="extranet.market_report_submit", target=report)
    return report


def report_review(
    *, report: MarketReport, actor, decision: str, note: str = "", now: datetime | None = None
) -> MarketReport:
    """Approve, reject (with a reason) or ask for more information (with a question)."""
    now = now or timezone.now()
    if decision not in DECISIONS:
        raise Refusal(_("Choose approve, reject or ask for more information."))
    note = (note or "").strip()
    if decision in ("reject", "ask") and not note:
        raise Refusal(
            _("Give the reason for rejecting.")
            if decision == "reject"
            else _("Say what information is needed.")
        )
    status = {
        "approve": MarketReport.Status.APPROVED,
        "reject": MarketReport.Status.REJECTED,
        "ask": MarketReport.Status.INFO_REQUESTED,
    }[decision]
    with transaction.atomic():
        report = MarketReport.objects.select_for_update().get(pk=report.pk)
        if report.status != MarketReport.Status.SUBMITTED:
            raise Refusal(_("This report is not awaiting review."))
        report.status = status
        report.reviewed_by = actor
        report.reviewed_at = now
        report.review_note = note
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        _event(report, kind=status, actor=actor, at=now, text=note)
        audit_record(actor=actor, action=REVIEW_AUDIT_ACTIONS[decision], target=report)
        _notify_submitter(
            report,
            _("Market report %(number)s: %(status)s")
            % {"number": report.number, "status": report.get_status_display()},
            "\n\n".join(
                part
                for part in (
                    _("Your market report %(number)s is now: %(status)s.")
                    % {"number": report.number, "status": report.get_status_display()},
                    note,
                )
                if part
            ),
        )
    return report


def report_add_info(
    *, report: MarketReport, user, text: str, photos=(), now: datetime | None = None
) -> MarketReport:
    """The submitter answers a request for more information; the report goes back to review."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise Refusal(_("Please write the information you add."))
    with transaction.atomic():
        report = MarketReport.objects.select_for_update().get(pk=report.pk)
        if report.status != MarketReport.Status.INFO_REQUESTED:
            raise Refusal(_("No information was requested for this report."))
        report.status = MarketReport.Status.SUBMITTED
        report.save(update_fields=["status"])
        for upload in photos:
            MarketReportPhoto.objects.create(report=report, file=upload, name=upload.name[:200])
        _event(report, kind="resubmitted", actor=user, at=now, text=text)
        audit_record(actor=user, action="extranet.market_report_resubmit", target=report)
    return report


def grade_changes_record(*, changes, at: datetime) -> int:
    """Record the grade history from `grades_recompute`'s (retailer_id, old grade, new grade)
    triples. Retailers that moved change the sales summary's grades, so a rebuild is queued
    once committed, and may have joined the audience of an open survey addressed to grades,
    which goes back to the survey notices' scheduled job."""
    if changes:
        sales_summary_rebuild_queue()
        survey_audiences_changed(fields=["grade"], now=at)
    # The recomputation wrote the retailers' grades and scores with bulk_update, which sends
    # no signal: the kept dashboards are forgotten here, moves or not.
    analysis_forget()
    GradeChange.objects.bulk_create(
        [
            GradeChange(retailer_id=pk, old_grade=old, new_grade=new, changed_at=at)
            for pk, old, new in changes
        ],
        batch_size=1000,
    )
    return len(changes)


# The monthly sales summary --------------------------------------------------------------------


def _counted_orders(since, until):
    return Order.objects.filter(placed_at__gte=since, placed_at__lt=until).exclude(
        status=Order.Status.CANCELLED
    )


def sales_summary_refresh(*, month: date, now: datetime | None = None) -> int:
    """Recompute one month of the summary from the order lines (all or nothing). Returns the
    number of summary rows. Refreshes of the same month run one after the other."""
    now = now or timezone.now()
    month = month.replace(day=1)
    state, _created = SalesSummaryMonth.objects.get_or_create(month=month)
    # From here on, an order change queues another refresh (this one may not see it).
    SalesSummaryMonth.objects.filter(pk=state.pk).update(refresh_queued=False)
    since, until = month_bounds(month)
    with transaction.atomic():
        SalesSummaryMonth.objects.select_for_update().filter(pk=state.pk).first()
        orders = _counted_orders(since, until)
        rows = list(
            OrderLine.objects.filter(order__in=orders)
            .values(
                "product_id", region=F("order__retailer__region"), level=F("order__retailer__grade")
            )
            .annotate(
                total_cartons=Sum("quantity"),
                total_amount=Sum("amount"),
                count=Count("pk"),
            )
            .order_by()
        )
        span = orders.order_by().aggregate(first=Min("placed_at"), last=Max("placed_at"))
        SalesSummary.objects.filter(month=month).delete()
        SalesSummary.objects.bulk_create(
            [
                SalesSummary(
                    month=month,
                    product_id=row["product_id"],
                    region=row["region"],
                    grade=row["level"],
                    cartons=row["total_cartons"],
                    amount=row["total_amount"],
                    lines=row["count"],
                )
                for row in rows
            ],
            batch_size=2000,
        )
        SalesSummaryMonth.objects.filter(pk=state.pk).update(
            refreshed_at=now, first_placed_at=span["first"], last_placed_at=span["last"]
        )
        analysis_forget()  # bulk writes, no signals
    return len(rows)


def sales_summary_rebuild(*, now: datetime | None = None) -> int:
    """Refresh every month that has orders or a summary. Returns the number of months."""
    months = set(
        Order.objects.order_by()
        .annotate(month=TruncMonth("placed_at", output_field=DateField()))
        .values_list("month", flat=True)
        .distinct()
    )
    months |= set(SalesSummaryMonth.objects.values_list("month", flat=True))
    for month in sorted(months):
        sales_summary_refresh(month=month, now=now)
    return len(months)


def _refresh_waiting(month: date) -> bool:
    """Whether a refresh of `month` is queued and not yet started. Asked after every order, so
    in plain SQL: building the ORM's query cost more than the query itself."""
    table = connection.ops.quote_name(SalesSummaryMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE month = %s AND refresh_queued LIMIT 1",  # noqa: S608
            [connection.ops.adapt_datefield_value(month)],
        )
        return cursor.fetchone() is not None


def sales_summary_queue(months) -> list[date]:
    """Queue a refresh of each month unless one is already waiting. Returns the months queued.
    Called after the order change is committed: a cheap read when a refresh is waiting."""
    # The tasks module imports this one: the task is looked up when it is queued.
    from extranet.market.tasks import sales_summary_refresh_task

    queued = []
    for month in sorted({m.replace(day=1) for m in months}):
        if _refresh_waiting(month):
            continue
        claimed = SalesSummaryMonth.objects.filter(month=month, refresh_queued=False).update(
            refresh_queued=True
        )
        if not claimed:
            try:
                with transaction.atomic():
                    SalesSummaryMonth.objects.create(month=month, refresh_queued=True)
            except IntegrityError:
                continue  # created (and so queued) meanwhile by another process
        sales_summary_refresh_task.enqueue(month=month.isoformat())
        queued.append(month)
    return queued


def sales_summary_rebuild_queue() -> None:
    """Queue a rebuild of every month once the current transaction commits."""
    from extranet.market.tasks import sales_summary_rebuild_task

    transaction.on_commit(lambda: sales_summary_rebuild_task.enqueue())


def sales_summary_order_changed(placed_at: datetime) -> None:
    """Queue a refresh of the month of an order placed at `placed_at` once the current
    transaction commits. Called by `order_place` (which writes its rows in SQL, without
    signals) and by the order's post_save receiver for every other save of an order."""
    month = month_of(placed_at)
    # `order_place` writes in SQL, without signals: the kept dashboards are forgotten once the
    # order is committed. One bump then is enough (a dashboard is kept under the generation
    # read before its figures), and an order day's checkouts pay one cache write, not two.
    transaction.on_commit(analysis_forget_now, robust=True)
    # robust: a failure to queue is logged, never turned into an error of the order itself.
    transaction.on_commit(lambda: sales_summary_queue([month]), robust=True)
