"""Reads of market information (what each user may see) and the market analysis figures.

Every dashboard figure is aggregated by the database (values().annotate()); Python only shapes
the few aggregated rows for tables and charts."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet import rules
from extranet.market.models import GradeChange, MarketReport, MarketReportEvent
from extranet.market.permissions import may_review, may_see_restricted
from extranet.market.sales_summary import SalesSummary, sales_plan
from extranet.models import Feedback, Order, OrderLine, Retailer

# Market information ---------------------------------------------------------------------------


def reports_of_retailer(*, retailer):
    return MarketReport.objects.filter(retailer=retailer).order_by("-submitted_at", "-pk")


def report_for_retailer(*, retailer, report_id):
    return (
        reports_of_retailer(retailer=retailer)
        .select_related("product__brand")
        .prefetch_related("photos", "events")
        .filter(pk=report_id)
        .first()
    )


def reports_visible_to(user):
    """Staff: reviewers see every report but the restricted ones, which only the sales
    department head and system administrators see; anyone sees the reports they submitted."""
    reports = MarketReport.objects.select_related("retailer", "submitted_by", "product__brand")
    own = Q(submitted_by=user)
    if may_see_restricted(user):
        return reports
    if may_review(user):
        return reports.filter(Q(is_restricted=False) | own)
    return reports.filter(own)


def reports_filtered(*, user, status="", kind="", region="", restricted=False, mine=False):
    reports = reports_visible_to(user)
    if restricted:
        reports = reports.filter(is_restricted=True)
    if mine:
        reports = reports.filter(submitted_by=user)
    if status:
        reports = reports.filter(status=status)
    if kind:
        reports = reports.filter(kind=kind)
    if region:
        reports = reports.filter(region=region)
    return reports.order_by("-submitted_at", "-pk")


def report_for_staff(*, user, report_id):
    from django.db.models import Prefetch

    return (
        reports_visible_to(user)
        .prefetch_related(
            "photos",
            Prefetch("events", queryset=MarketReportEvent.objects.select_related("actor")),
        )
        .filter(pk=report_id)
        .first()
    )


def report_regions():
    return list(
        Retailer.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


# Market analysis ------------------------------------------------------------------------------


@dataclass
class Filters:
    start: date
    end: date
    region: str = ""

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """Exclusive upper bound: the day after `end`, at midnight."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def default_filters(today: date | None = None) -> Filters:
    today = today or timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    return Filters(start=start, end=today)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    page: object = None  # a Paginator page when the rows are one page of a longer list


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bar", "line", "pie"
    labels: list[str]
    datasets: list[dict]

    def as_json(self):
        return {
            "id": self.id,
            "title": self.title,
            "type": self.kind,
            "labels": self.labels,
            "datasets": [
                {"label": d["label"], "data": [float(v or 0) for v in d["data"]]}
                for d in self.datasets
            ],
        }


@dataclass
class Dashboard:
    slug: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""


class _SalesSource:
    """The period's sales from the monthly summary where it answers exactly, and from the order
    lines elsewhere (months never summarised, or cut by the period): each grouping is one
    aggregate query per source, and the two sets of aggregated rows are added up here."""

    def __init__(self, filters: Filters):
        plan = sales_plan(filters.since, filters.until)
        self.as_of = plan.as_of
        self.summary = None
        if plan.months:
            self.summary = SalesSummary.objects.filter(month__in=plan.months)
            if filters.region:
                self.summary = self.summary.filter(region=filters.region)
        self.lines = None
        if plan.ranges:
            within = Q()
            for low, high in plan.ranges:
                within |= Q(order__placed_at__gte=low, order__placed_at__lt=high)
            lines = OrderLine.objects.filter(within).exclude(order__status=Order.Status.CANCELLED)
            if filters.region:
                lines = lines.filter(order__retailer__region=filters.region)
            # Months outside the summary are mostly empty (before the first order): one cheap
            # look saves the five aggregates.
            if lines.exists():
                self.lines = lines

    def grouped(self, *keys, sort, limit=None):
        """Rows {key…, cartons, amount} grouped by `keys` (names of the summary; the order
        lines' equivalents are in LINE_KEYS), sorted by `sort(row)`."""
        totals = {}
        sources = []
        if self.summary is not None:
            sources.append(
                self.summary.values(*keys).annotate(cartons=Sum("cartons"), amount=Sum("amount"))
            )
        if self.lines is not None:
            sources.append(
                self.lines.values(**{key: LINE_KEYS[key] for key in keys}).annotate(
                    cartons=Sum("quantity"), amount=Sum("amount")
                )
            )
        for rows in sources:
            for row in rows.order_by():
                key = tuple(row[k] for k in keys)
                total = totals.setdefault(key, {**row, "cartons": 0, "amount": 0})
                total["cartons"] += row["cartons"] or 0
                total["amount"] += row["amount"] or 0
        rows = sorted(totals.values(), key=sort)
        return rows[:limit] if limit else rows


LINE_KEYS = {
    "product__brand__name": F("product__brand__name"),
    "product__code": F("product__code"),
    "product__name": F("product__name"),
    "region": F("order__retailer__region"),
    "grade": F("order__retailer__grade"),
    "month": TruncMonth("order__placed_at", output_field=DateField()),
}


def sales_dashboard(filters: Filters) -> Dashboard:
    source = _SalesSource(filters)
    cartons, amount = _("Cartons"), _("Amount")
    brand, code, region = "product__brand__name", "product__code", "region"
    by_brand = source.grouped(brand, sort=lambda r: (-r["amount"], r[brand]))
    by_product = source.grouped(
        code, brand, "product__name", sort=lambda r: (-r["amount"], r[code]), limit=50
    )
    by_region = source.grouped(region, sort=lambda r: (-r["amount"], r[region]))
    by_grade = source.grouped("grade", sort=lambda r: r["grade"])
    by_month = source.grouped("month", sort=lambda r: r["month"])
    month_labels = [_month_label(r["month"]) for r in by_month]
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
            ),
            Table(
                _("By product (top 50)"),
                [_("Product code"), _("Brand"), _("Product"), cartons, amount],
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
            ),
            Table(
                _("By region"),
                [_("Region"), cartons, amount],
                [[r["region"] or "—", r["cartons"], r["amount"]] for r in by_region],
            ),
            Table(
                _("By grade (current grade of the retailer)"),
                [_("Grade"), cartons, amount],
                [[r["grade"], r["cartons"], r["amount"]] for r in by_grade],
            ),
            Table(
                _("By month"),
                [_("Month"), cartons, amount],
                [
                    [label, r["cartons"], r["amount"]]
                    for label, r in zip(month_labels, by_month, strict=True)
                ],
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
    summary = changes.aggregate(
        up=Count("pk", filter=Q(new_grade__lt=F("old_grade"))),
        down=Count("pk", filter=Q(new_grade__gt=F("old_grade"))),
    )
    retailers_label = _("Retailers")
    return Dashboard(
        "grades",
        _("Grades"),
        tables=[
            Table(
                _("Grade distribution (now)"),
                [_("Grade"), retailers_label],
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
                    _("Licence number"),
                    _("Store"),
                    _("Region"),
                    _("Grade"),
                    _("Value score"),
                    _("Monthly purchase amount"),
                ],
                [[r[key] for key in TOP_FIELDS] for r in top],
                page=listed,
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
            ),
        ],
        charts=[
            Chart(
                "top-value",
                _("Value score of the top retailers"),
                "bar",
                [r["store_name"] for r in chart_rows],
                [{"label": _("Value score"), "data": [r["value_score"] for r in chart_rows]}],
            ),
        ],
        note=_("Value scores as of the last recomputation; the period does not apply."),
    )


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
            due=Count("pk", filter=Q(called_back_at__isnull=False) | Q(callback_due_at__lte=now)),
            on_time=Count("pk", filter=Q(called_back_at__lte=F("callback_due_at"))),
            effective=Count("pk", filter=Q(is_effective_complaint=True)),
        )
        .order_by("month")
    )
    labels = [_month_label(r["month"]) for r in by_month]
    rates = [round(100 * r["on_time"] / r["due"], 1) if r["due"] else None for r in by_month]
    return Dashboard(
        "feedback",
        _("Feedback"),
        tables=[
            Table(
                _("Feedback by kind"),
                [_("Kind"), _("Items")],
                [[str(kinds.get(r["kind"], r["kind"])), r["count"]] for r in by_kind],
            ),
            Table(
                _("By month"),
                [
                    _("Month"),
                    _("Items"),
                    _("Due for a call-back"),
                    _("Called back in time"),
                    _("On-time rate (%)"),
                    _("Effective complaints"),
                ],
                [
                    [label, r["total"], r["due"], r["on_time"], rate, r["effective"]]
                    for label, r, rate in zip(labels, by_month, rates, strict=True)
                ],
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
                    _("Product code"),
                    _("Product"),
                    _("Observations"),
                    _("Suggested retail price"),
                    _("Average shelf price"),
                    _("Lowest"),
                    _("Highest"),
                    _("Difference (%)"),
                ],
                table_rows,
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


def _month_label(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m")


# ---- Surveys -----------------------------------------------------------------------------


def _count_of(queryset):
    """A scalar subquery counting `queryset`'s rows (no GROUP BY)."""
    return Coalesce(
        Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT"))[:1]),
        Value(0),
    )


def surveys_dashboard(filters: Filters) -> Dashboard:
    """Response rates of the published surveys open at some time in the period: retailers
    addressed (in the region, when one is chosen) and submitted responses, one query.

    A survey's targets each set only the field of its audience kind, so a retailer is
    addressed when any target matches its grade, region, route or itself."""
    from extranet.surveys.models import Survey, SurveyResponse, SurveyTarget

    retailers = Retailer.objects.all()
    responses = SurveyResponse.objects.filter(
        survey_id=OuterRef("pk"), status=SurveyResponse.Status.SUBMITTED
    )
    if filters.region:
        retailers = retailers.filter(region=filters.region)
        responses = responses.filter(retailer__region=filters.region)
    matching_target = SurveyTarget.objects.filter(survey_id=OuterRef(OuterRef("pk"))).filter(
        Q(grade=OuterRef("grade"))
        | Q(region=OuterRef("region"), region__gt="")
        | Q(route_id=OuterRef("route_id"))
        | Q(retailer_id=OuterRef("pk"))
    )
    surveys = (
        Survey.objects.filter(
            is_published=True, opens_at__lt=filters.until, closes_at__gte=filters.since
        )
        .annotate(
            addressed=Case(
                When(audience=Survey.Audience.ALL, then=_count_of(retailers)),
                default=_count_of(retailers.filter(Exists(matching_target))),
            ),
            answered=_count_of(responses),
        )
        .order_by("-opens_at", "-pk")[:50]
    )
    rows = [
        [
            survey.title,
            timezone.localtime(survey.opens_at).date(),
            survey.addressed,
            survey.answered,
            round(100 * survey.answered / survey.addressed, 1) if survey.addressed else None,
        ]
        for survey in surveys
    ]
    rate = _("Response rate (%)")
    return Dashboard(
        "surveys",
        _("Surveys"),
        tables=[
            Table(
                _("Survey response rates"),
                [_("Survey"), _("Opens"), _("Addressed"), _("Answered"), rate],
                rows,
            )
        ],
        charts=[
            Chart(
                "survey-rates",
                _("Survey response rates"),
                "bar",
                [row[0] for row in rows],
                [{"label": rate, "data": [row[4] for row in rows]}],
            )
        ]
        if rows
        else [],
    )


DASHBOARDS = {
    "sales": sales_dashboard,
    "grades": grades_dashboard,
    "top": top_dashboard,
    "feedback": feedback_dashboard,
    "prices": prices_dashboard,
    "surveys": surveys_dashboard,
}


def dashboard_slugs() -> list[str]:
    return list(DASHBOARDS)


def dashboard(slug: str, filters: Filters, *, page=None) -> Dashboard | None:
    """`page`: the page of a long list to show (the top retailers); None for everything."""
    if slug not in dashboard_slugs():
        return None
    if slug == "top":
        return top_dashboard(filters, page=page)
    return DASHBOARDS[slug](filters)
