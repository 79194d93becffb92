"""The surveys dashboard: response rates of the surveys open in the period."""

from django.db.models import Case, Exists, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet.market.dashboards.base import Chart, Dashboard, Filters, Table
from extranet.models import Retailer
from extranet.surveys.models import Survey, SurveyResponse, SurveyTarget


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
        pgettext("analysis", "Surveys"),
        tables=[
            Table(
                _("Survey response rates"),
                [_("Survey"), _("Opens"), _("Addressed"), pgettext("analysis", "Answered"), rate],
                rows,
                kinds=["", "", "count", "count", "percent"],
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
