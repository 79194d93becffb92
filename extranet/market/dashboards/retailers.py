"""The retailers' dashboards: grades (distribution and movements) and the top retailers by
value score."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet import rules
from extranet.market.dashboards.base import Chart, Dashboard, Filters, Table
from extranet.market.models import GradeChange
from extranet.models import Retailer


def grades_dashboard(filters: Filters) -> Dashboard:
    retailers = Retailer.objects.all()
    changes = GradeChange.objects.filter(
        changed_at__gte=filters.since, changed_at__lt=filters.until
    )
    if filters.region:
        retailers = retailers.filter(region=filters.region)
        changes = changes.filter(retailer__region=filters.region)
    distribution = list(retailers.values("grade").annotate(count=Count("pk")).order_by("grade"))
    moves = list(
        changes.values("old_grade", "new_grade")
        .annotate(count=Count("pk"))
        .order_by("old_grade", "new_grade")
    )
    # Up and down from the movements already counted (grade 1 is the highest).
    summary = {
        "up": sum(r["count"] for r in moves if r["new_grade"] < r["old_grade"]),
        "down": sum(r["count"] for r in moves if r["new_grade"] > r["old_grade"]),
    }
    retailers_label = pgettext("analysis", "Retailers")
    return Dashboard(
        "grades",
        pgettext("analysis", "Grades"),
        tables=[
            Table(
                _("Grade distribution (now)"),
                [pgettext("analysis", "Grade"), retailers_label],
                [[r["grade"], r["count"]] for r in distribution],
            ),
            Table(
                _("Movement between grades in the period"),
                [_("From grade"), _("To grade"), _("Changes")],
                [[r["old_grade"], r["new_grade"], r["count"]] for r in moves],
            ),
            Table(
                _("Moves up and down"),
                [_("Moved up (to a better grade)"), _("Moved down")],
                [[summary["up"], summary["down"]]],
            ),
        ],
        charts=[
            Chart(
                "grades-distribution",
                _("Retailers by grade"),
                "bar",
                [str(r["grade"]) for r in distribution],
                [{"label": retailers_label, "data": [r["count"] for r in distribution]}],
            ),
        ],
        note=_("Grade 1 is the highest. Movements are recorded by each recomputation of grades."),
    )


TOP_PAGE_SIZE = 100
TOP_CHART_SIZE = 30
TOP_FIELDS = ("licence_number", "store_name", "region", "grade", "value_score", "monthly_amount")


def top_dashboard(filters: Filters, *, page=None) -> Dashboard:
    """The top 20 % of retailers by value score. `page` (a page number) shows one page of the
    list, as on screen; None gives the whole list (the Excel export)."""
    retailers = Retailer.objects.all()
    if filters.region:
        retailers = retailers.filter(region=filters.region)
    everyone = retailers.aggregate(count=Count("pk"), amount=Sum("monthly_amount"))
    total = everyone["count"]
    size = int((rules.top_share() * total).to_integral_value(rounding="ROUND_CEILING"))
    ranked = retailers.order_by("-value_score", "pk").values(*TOP_FIELDS)[:size]
    listed = None
    if page is None:
        top = list(ranked)
        chart_rows = top[:TOP_CHART_SIZE]
    else:
        paginator = Paginator(ranked, TOP_PAGE_SIZE)
        paginator.count = size  # known: saves counting the slice again
        listed = paginator.get_page(page)
        top = list(listed.object_list)
        chart_rows = (
            top[:TOP_CHART_SIZE]
            if listed.number == 1
            else list(ranked[: min(size, TOP_CHART_SIZE)])
        )
    if listed is None or listed.paginator.num_pages == 1:
        # The whole top group is in hand: its amount is summed here rather than read again.
        top_amount = sum((r["monthly_amount"] or 0 for r in top), Decimal("0"))
    else:
        top_amount = (
            ranked.aggregate(amount=Sum("monthly_amount"))["amount"] if size else None
        ) or Decimal("0")
    all_amount = everyone["amount"] or Decimal("0")
    share = int(rules.top_share() * 100)
    return Dashboard(
        "top",
        _("Top retailers"),
        tables=[
            Table(
                _("Top %(share)d %% of %(total)d retailers by value")
                % {"share": share, "total": total},
                [
                    pgettext("analysis", "Licence number"),
                    pgettext("analysis", "Store"),
                    pgettext("analysis", "Region"),
                    pgettext("analysis", "Grade"),
                    pgettext("analysis", "Value score"),
                    _("Monthly purchase amount"),
                ],
                [[r[key] for key in TOP_FIELDS] for r in top],
                page=listed,
                kinds=["", "", "", "", "score", "money"],
            ),
            Table(
                _("Contribution of the top retailers"),
                [
                    _("Retailers in the top group"),
                    _("Their monthly purchase amount"),
                    _("Monthly purchase amount of all retailers"),
                    _("Share (%)"),
                ],
                [
                    [
                        size,
                        top_amount,
                        all_amount,
                        round(float(100 * top_amount / all_amount), 1) if all_amount else None,
                    ]
                ],
                kinds=["count", "money", "money", "percent"],
            ),
        ],
        charts=[
            Chart(
                "top-value",
                _("Value score of the top retailers"),
                "bar",
                [r["store_name"] for r in chart_rows],
                [
                    {
                        "label": pgettext("analysis", "Value score"),
                        "data": [r["value_score"] for r in chart_rows],
                    }
                ],
            ),
        ],
        note=_("Value scores as of the last recomputation; the period does not apply."),
    )
