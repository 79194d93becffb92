"""The feedback dashboard: items by kind, and per month the call-backs due and made in time."""

from datetime import datetime

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet.feedback.models import ON_TIME, Feedback, judged_q
from extranet.market.dashboards.base import Chart, Dashboard, Filters, Table, month_label


def feedback_dashboard(filters: Filters, *, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    items = Feedback.objects.filter(submitted_at__gte=filters.since, submitted_at__lt=filters.until)
    if filters.region:
        items = items.filter(retailer__region=filters.region)
    by_kind = list(items.values("kind").annotate(count=Count("pk")).order_by("kind"))
    kinds = dict(Feedback.Kind.choices)
    by_month = list(
        items.annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            due=Count("pk", filter=judged_q(now)),
            on_time=Count("pk", filter=ON_TIME),
            effective=Count("pk", filter=Q(is_effective_complaint=True)),
        )
        .order_by("month")
    )
    labels = [month_label(r["month"]) for r in by_month]
    rates = [round(100 * r["on_time"] / r["due"], 1) if r["due"] else None for r in by_month]
    # The first call-back still to fall due changes "due" and the rates without any write.
    next_due = items.filter(called_back_at__isnull=True, callback_due_at__gt=now).aggregate(
        first=Min("callback_due_at")
    )["first"]
    return Dashboard(
        "feedback",
        pgettext("analysis", "Feedback"),
        valid_until=next_due,
        tables=[
            Table(
                _("Feedback by kind"),
                [pgettext("analysis", "Kind"), _("Items")],
                [[str(kinds.get(r["kind"], r["kind"])), r["count"]] for r in by_kind],
            ),
            Table(
                _("By month"),
                [
                    pgettext("analysis", "Month"),
                    _("Items"),
                    _("Due for a call-back"),
                    _("Called back in time"),
                    _("On-time rate (%)"),
                    pgettext("analysis", "Effective complaints"),
                ],
                [
                    [label, r["total"], r["due"], r["on_time"], rate, r["effective"]]
                    for label, r, rate in zip(labels, by_month, rates, strict=True)
                ],
                kinds=["", "count", "count", "count", "percent", "count"],
            ),
        ],
        charts=[
            Chart(
                "feedback-month",
                _("Feedback by month"),
                "bar",
                labels,
                [{"label": _("Items"), "data": [r["total"] for r in by_month]}],
            ),
            Chart(
                "feedback-rate",
                _("On-time call-back rate (%)"),
                "line",
                labels,
                [{"label": _("On-time rate (%)"), "data": rates}],
            ),
            Chart(
                "feedback-kind",
                _("Feedback by kind"),
                "pie",
                [str(kinds.get(r["kind"], r["kind"])) for r in by_kind],
                [{"label": _("Items"), "data": [r["count"] for r in by_kind]}],
            ),
        ],
    )
