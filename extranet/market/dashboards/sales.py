"""The sales dashboard: cartons and amounts by brand, product, region, grade and month.

A period is read from the monthly sales summary for each month that was refreshed and whose
counted orders all lie in the period; any other month (never refreshed, or cut by the period)
is aggregated from the order lines, so a figure is never wrong, only as old as the last refresh.
"""

import decimal
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet.catalogue.models import Brand, Product
from extranet.market.dashboards.base import Chart, Dashboard, Filters, Table, month_label
from extranet.market.models import SalesSummary, SalesSummaryMonth
from extranet.market.months import month_bounds, month_of, next_month
from extranet.models import Order, OrderLine


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


class _SalesSource:
    """The period's sales from the monthly summary where it answers exactly, and from the order
    lines elsewhere (months never summarised, or cut by the period): all the groupings are one
    written-out query of the summary and one aggregate query each of the order lines, and the
    two sets of aggregated rows are added up here."""

    def __init__(self, filters: Filters):
        plan = sales_plan(filters.since, filters.until)
        self.as_of = plan.as_of
        self.months = plan.months
        self.region = filters.region
        self.lines = None
        if plan.ranges:
            within = Q()
            for low, high in plan.ranges:
                within |= Q(order__placed_at__gte=low, order__placed_at__lt=high)
            lines = OrderLine.objects.filter(within).exclude(order__status=Order.Status.CANCELLED)
            if filters.region:
                lines = lines.filter(order__retailer__region=filters.region)
            # Months outside the summary are mostly empty (before the first order): one cheap
            # look saves the aggregates.
            if lines.exists():
                self.lines = lines

    def grouped(self, *groupings: tuple[str, ...]) -> list[list[dict]]:
        """For each grouping (names of the summary; the order lines' equivalents are in
        LINE_KEYS), its rows {key…, cartons, amount}, unsorted."""
        totals = [{} for _keys in groupings]
        sources = []
        if self.months:
            sources.append(summary_grouped(groupings, months=self.months, region=self.region))
        if self.lines is not None:
            sources.append(
                [
                    self.lines.values(**{key: LINE_KEYS[key] for key in keys})
                    .annotate(cartons=Sum("quantity"), amount=Sum("amount"))
                    .order_by()
                    for keys in groupings
                ]
            )
        for source in sources:
            for keys, grouping_totals, rows in zip(groupings, totals, source, strict=True):
                for row in rows:
                    key = tuple(row[k] for k in keys)
                    total = grouping_totals.setdefault(key, {**row, "cartons": 0, "amount": 0})
                    total["cartons"] += row["cartons"] or 0
                    total["amount"] += row["amount"] or 0
        return [list(grouping_totals.values()) for grouping_totals in totals]


LINE_KEYS = {
    "product__brand__name": F("product__brand__name"),
    "product__code": F("product__code"),
    "product__name": F("product__name"),
    "region": F("order__retailer__region"),
    "grade": F("order__retailer__grade"),
    "month": TruncMonth("order__placed_at", output_field=DateField()),
}

# The summary's keys as the written-out query reads them, with the SQL type of the typed NULL
# the other groupings put in their column (PostgreSQL matches a UNION's column types pairwise,
# and would take an untyped NULL for text).
_SUMMARY_KEYS = {
    "product__brand__name": ("b.name", "varchar"),
    "product__code": ("p.code", "varchar"),
    "product__name": ("p.name", "varchar"),
    "region": ("s.region", "varchar"),
    "grade": ("s.grade", "smallint"),
    "month": ("s.month", "date"),
}
_DECIMAL = decimal.Context(prec=15).create_decimal_from_float


def _summary_grouped_sql(groupings, *, months, region) -> tuple[str, list]:
    q = connection.ops.quote_name
    summary = q(SalesSummary._meta.db_table)
    product = q(Product._meta.db_table)
    brand = q(Brand._meta.db_table)
    where = f"s.month IN ({', '.join(['%s'] * len(months))})"
    values = [connection.ops.adapt_datefield_value(month) for month in months]
    if region:
        where += " AND s.region = %s"
        values.append(region)
    selects, params = [], []
    for index, keys in enumerate(groupings):
        tables = f"{summary} s"
        if any(not _SUMMARY_KEYS[key][0].startswith("s.") for key in keys):
            tables += (
                f" INNER JOIN {product} p ON p.id = s.product_id"
                f" INNER JOIN {brand} b ON b.id = p.brand_id"
            )
        columns = ", ".join(
            column if key in keys else f"CAST(NULL AS {kind})"
            for key, (column, kind) in _SUMMARY_KEYS.items()
        )
        grouped_by = ", ".join(_SUMMARY_KEYS[key][0] for key in keys)
        selects.append(
            f"SELECT {index}, {columns}, SUM(s.cartons), SUM(s.amount)"  # noqa: S608
            f" FROM {tables} WHERE {where} GROUP BY {grouped_by}"  # (quoted names, placeholders)
        )
        params += values
    return " UNION ALL ".join(selects), params


def summary_grouped(groupings, *, months, region="") -> list[list[dict]]:
    """For each grouping (names of `_SUMMARY_KEYS`), the summary's rows {key…, cartons, amount}
    of `months` (and `region`), unsorted, with the values the ORM's `values().annotate()` gives:
    one query, a UNION ALL of a GROUP BY per grouping, where building the ORM's five queries was
    a third of the dashboard's CPU (issue 18)."""
    results = [[] for _keys in groupings]
    with connection.cursor() as cursor:
        cursor.execute(*_summary_grouped_sql(groupings, months=months, region=region))
        for index, *values, cartons, amount in cursor.fetchall():
            row = dict(zip(_SUMMARY_KEYS, values, strict=True))
            if isinstance(row["month"], str):  # SQLite
                row["month"] = date.fromisoformat(row["month"])
            if amount is not None and not isinstance(amount, Decimal):  # SQLite, as the ORM
                amount = _DECIMAL(amount)
            row = {key: row[key] for key in groupings[index]}
            row["cartons"], row["amount"] = cartons, amount
            results[index].append(row)
    return results


def sales_dashboard(filters: Filters) -> Dashboard:
    source = _SalesSource(filters)
    cartons, amount = pgettext("analysis", "Cartons"), pgettext("analysis", "Amount")
    brand, code, region = "product__brand__name", "product__code", "region"
    by_brand, by_product, by_region, by_grade, by_month = source.grouped(
        (brand,), (code, brand, "product__name"), (region,), ("grade",), ("month",)
    )
    by_brand.sort(key=lambda r: (-r["amount"], r[brand]))
    by_product = sorted(by_product, key=lambda r: (-r["amount"], r[code]))[:50]
    by_region.sort(key=lambda r: (-r["amount"], r[region]))
    by_grade.sort(key=lambda r: r["grade"])
    by_month.sort(key=lambda r: r["month"])
    month_labels = [month_label(r["month"]) for r in by_month]
    note = ""
    if source.as_of is not None:
        note = _(
            "Whole months from the sales summary as of %(time)s; it is refreshed after every "
            "order change."
        ) % {"time": timezone.localtime(source.as_of).strftime("%Y-%m-%d %H:%M")}
    return Dashboard(
        "sales",
        _("Sales"),
        note=note,
        tables=[
            Table(
                _("By brand"),
                [_("Brand"), cartons, amount],
                [[r["product__brand__name"], r["cartons"], r["amount"]] for r in by_brand],
                kinds=["", "count", "money"],
            ),
            Table(
                _("By product (top 50)"),
                [
                    pgettext("analysis", "Product code"),
                    _("Brand"),
                    pgettext("analysis", "Product"),
                    cartons,
                    amount,
                ],
                [
                    [
                        r["product__code"],
                        r["product__brand__name"],
                        r["product__name"],
                        r["cartons"],
                        r["amount"],
                    ]
                    for r in by_product
                ],
                kinds=["", "", "", "count", "money"],
            ),
            Table(
                pgettext("analysis", "By region"),
                [pgettext("analysis", "Region"), cartons, amount],
                [[r["region"] or "—", r["cartons"], r["amount"]] for r in by_region],
                kinds=["", "count", "money"],
            ),
            Table(
                _("By grade (current grade of the retailer)"),
                [pgettext("analysis", "Grade"), cartons, amount],
                [[r["grade"], r["cartons"], r["amount"]] for r in by_grade],
                kinds=["", "count", "money"],
            ),
            Table(
                _("By month"),
                [pgettext("analysis", "Month"), cartons, amount],
                [
                    [label, r["cartons"], r["amount"]]
                    for label, r in zip(month_labels, by_month, strict=True)
                ],
                kinds=["", "count", "money"],
            ),
        ],
        charts=[
            Chart(
                "sales-month",
                _("Amount by month"),
                "line",
                month_labels,
                [{"label": amount, "data": [r["amount"] for r in by_month]}],
            ),
            Chart(
                "sales-brand",
                _("Amount by brand"),
                "bar",
                [r["product__brand__name"] for r in by_brand],
                [{"label": amount, "data": [r["amount"] for r in by_brand]}],
            ),
            Chart(
                "sales-region",
                _("Amount by region"),
                "pie",
                [r["region"] or "—" for r in by_region],
                [{"label": amount, "data": [r["amount"] for r in by_region]}],
            ),
            Chart(
                "sales-grade",
                _("Amount by grade"),
                "bar",
                [str(r["grade"]) for r in by_grade],
                [{"label": amount, "data": [r["amount"] for r in by_grade]}],
            ),
        ],
    )
