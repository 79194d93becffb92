"""The shelf prices dashboard: approved shelf-price observations against the suggested retail
prices."""

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet.market.dashboards.base import Chart, Dashboard, Filters, Table
from extranet.market.models import MarketReport


def prices_dashboard(filters: Filters) -> Dashboard:
    reports = MarketReport.objects.filter(
        kind=MarketReport.Kind.SHELF_PRICE,
        status=MarketReport.Status.APPROVED,
        product__isnull=False,
        price__isnull=False,
        observed_on__gte=filters.start,
        observed_on__lte=filters.end,
    )
    if filters.region:
        reports = reports.filter(region=filters.region)
    rows = list(
        reports.values(
            "product__code", "product__brand__name", "product__name", "product__retail_price"
        )
        .annotate(
            observations=Count("pk"),
            average=Avg("price"),
            lowest=Min("price"),
            highest=Max("price"),
            difference=ExpressionWrapper(
                Avg("price") - F("product__retail_price"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("product__brand__name", "product__code")
    )
    table_rows = []
    for r in rows:
        suggested = r["product__retail_price"]
        average = round(r["average"], 2)
        deviation = round(100 * (average - suggested) / suggested, 1) if suggested else None
        table_rows.append(
            [
                r["product__code"],
                f"{r['product__brand__name']} {r['product__name']}",
                r["observations"],
                suggested,
                average,
                r["lowest"],
                r["highest"],
                deviation,
            ]
        )
    labels = [row[1] for row in table_rows]
    return Dashboard(
        "prices",
        _("Shelf prices"),
        tables=[
            Table(
                _("Approved shelf prices against suggested retail prices (per carton)"),
                [
                    pgettext("analysis", "Product code"),
                    pgettext("analysis", "Product"),
                    _("Observations"),
                    _("Suggested retail price"),
                    _("Average shelf price"),
                    _("Lowest"),
                    _("Highest"),
                    _("Difference (%)"),
                ],
                table_rows,
                kinds=["", "", "count", "money", "money", "money", "money", "percent"],
            )
        ],
        charts=[
            Chart(
                "prices",
                _("Average shelf price against suggested retail price"),
                "bar",
                labels,
                [
                    {"label": _("Suggested retail price"), "data": [row[3] for row in table_rows]},
                    {"label": _("Average shelf price"), "data": [row[4] for row in table_rows]},
                ],
            ),
        ],
    )
