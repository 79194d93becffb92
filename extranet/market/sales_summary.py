"""The monthly sales summary read by the sales dashboard (issue 9).

Order lines are aggregated per local month, product, region and grade of the retailer (its
current region and grade when the month was refreshed) into `SalesSummary`; `SalesSummaryMonth`
records when each month was refreshed and the first and last order it counted.

The summary is kept current by the task queue, never inline in a request:

* saving an order (placing, cancelling) queues a refresh of its month once the change is
  committed; a month already waiting for its refresh is not queued again;
* a grade recomputation that moves retailers, or a change of a retailer's region, queues a
  rebuild of every month (the dashboard groups by the current grade and region);
* the scheduler rebuilds every month each night (what the signals cannot see: bulk loads).

The dashboard uses a month's summary when the month was refreshed and every order counted in it
lies in the period asked for; any other month (never refreshed, or cut by the period) is
aggregated from the order lines, so a figure is never wrong, only as old as the last refresh.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Count, DateField, F, Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class SalesSummary(models.Model):
    """Cartons, amount and order lines of one local month, product, region and grade (orders
    that were not cancelled)."""

    month = models.DateField(_("month"))  # the first day of the local month
    product = models.ForeignKey(
        "extranet.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.CharField(_("administrative region"), max_length=64, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"))
    cartons = models.PositiveBigIntegerField(_("cartons"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=0)
    lines = models.PositiveIntegerField(_("order lines"), default=0)

    class Meta:
        verbose_name = _("monthly sales summary")
        verbose_name_plural = _("monthly sales summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "product", "region", "grade"],
                name="extranet_sales_summary_unique",
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.product_id} {self.region} {self.grade}"


class SalesSummaryMonth(models.Model):
    """The state of one month of the summary."""

    month = models.DateField(_("month"), unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    # The first and last order counted by the refresh (None: the month had none).
    first_placed_at = models.DateTimeField(null=True, blank=True)
    last_placed_at = models.DateTimeField(null=True, blank=True)
    # A refresh is waiting in the task queue: order changes do not queue another.
    refresh_queued = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("sales summary month")
        verbose_name_plural = _("sales summary months")
        ordering = ["month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


# Months ---------------------------------------------------------------------------------------


def month_of(moment: datetime) -> date:
    """The first day of `moment`'s local month."""
    return timezone.localtime(moment).date().replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The local month as [since, until) aware datetimes."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    return start, timezone.make_aware(datetime.combine(next_month(month), time.min))


# Refreshing -----------------------------------------------------------------------------------


def _counted_orders(since, until):
    from extranet.models import Order

    return Order.objects.filter(placed_at__gte=since, placed_at__lt=until).exclude(
        status=Order.Status.CANCELLED
    )


def sales_summary_refresh(*, month: date, now: datetime | None = None) -> int:
    """Recompute one month of the summary from the order lines (all or nothing). Returns the
    number of summary rows. Refreshes of the same month run one after the other."""
    from extranet.models import OrderLine

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
    return len(rows)


def sales_summary_rebuild(*, now: datetime | None = None) -> int:
    """Refresh every month that has orders or a summary. Returns the number of months."""
    from extranet.models import Order

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


def sales_summary_queue(months) -> list[date]:
    """Queue a refresh of each month unless one is already waiting. Returns the months queued.
    Called after the order change is committed: a cheap read when a refresh is waiting."""
    from extranet.market.tasks import sales_summary_refresh_task

    queued = []
    for month in sorted({m.replace(day=1) for m in months}):
        waiting = SalesSummaryMonth.objects.filter(month=month, refresh_queued=True)
        if waiting.exists():
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
    signals) and by the signal below for every other save of an order."""
    month = month_of(placed_at)
    # robust: a failure to queue is logged, never turned into an error of the order itself.
    transaction.on_commit(lambda: sales_summary_queue([month]), robust=True)


@receiver(post_save, sender="extranet.Order", dispatch_uid="extranet_sales_summary_order")
def _order_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and not {"status", "placed_at"} & set(update_fields):
        return
    sales_summary_order_changed(instance.placed_at)


@receiver(post_save, sender="extranet.Retailer", dispatch_uid="extranet_sales_summary_retailer")
def _retailer_saved(sender, instance, created, update_fields=None, **kwargs):
    # Only explicit changes of the region or grade (a new retailer has no orders yet; other
    # saves are caught by the nightly rebuild).
    if not created and update_fields and {"region", "grade"} & set(update_fields):
        sales_summary_rebuild_queue()


# Reading --------------------------------------------------------------------------------------


@dataclass
class Plan:
    """How the dashboard reads a period: months from the summary, the rest from order lines."""

    months: list[date] = field(default_factory=list)
    ranges: list[tuple[datetime, datetime]] = field(default_factory=list)
    as_of: datetime | None = None


def sales_plan(since: datetime, until: datetime) -> Plan:
    """One query: which months of [since, until) the summary answers exactly."""
    first, last = month_of(since), month_of(until - timedelta(microseconds=1))
    states = {
        state.month: state
        for state in SalesSummaryMonth.objects.filter(
            month__gte=first, month__lte=last, refreshed_at__isnull=False
        )
    }
    plan = Plan()
    month = first
    while month <= last:
        month_since, month_until = month_bounds(month)
        low, high = max(since, month_since), min(until, month_until)
        month, current = next_month(month), month
        if low >= high:
            continue
        state = states.get(current)
        exact = state is not None and (
            state.first_placed_at is None
            or (low <= state.first_placed_at and state.last_placed_at < high)
        )
        if exact:
            plan.months.append(current)
            if plan.as_of is None or state.refreshed_at < plan.as_of:
                plan.as_of = state.refreshed_at
        elif plan.ranges and plan.ranges[-1][1] == low:
            plan.ranges[-1] = (plan.ranges[-1][0], high)
        else:
            plan.ranges.append((low, high))
    return plan
