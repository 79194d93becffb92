"""The surveys dashboard: response rates of the surveys open in the period."""

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet.market.dashboards.base import Chart, Dashboard, Filters, Table
from extranet.models import Retailer
from extranet.surveys.models import Survey, SurveyResponse, SurveyTarget


def _surveys_sql(filters: Filters) -> tuple[str, list]:
    """The published surveys open at some time in the period (the latest 50): title, opening
    time, retailers addressed (in the region, when one is chosen) and submitted responses.

    A survey's targets each set only the field of its audience kind, so a retailer is
    addressed when any target matches its grade, region, route or itself. The ORM's query of
    nested subqueries, written out: building it was half of the dashboard's CPU (issue 18)."""
    ops = connection.ops
    survey = ops.quote_name(Survey._meta.db_table)
    target = ops.quote_name(SurveyTarget._meta.db_table)
    response = ops.quote_name(SurveyResponse._meta.db_table)
    retailer = ops.quote_name(Retailer._meta.db_table)
    in_region = "r.region = %s AND " if filters.region else ""
    region = [filters.region] if filters.region else []
    response_region = (
        f" AND EXISTS (SELECT 1 FROM {retailer} rr"  # noqa: S608 (quoted names, placeholders)
        " WHERE rr.id = sr.retailer_id AND rr.region = %s)"
        if filters.region
        else ""
    )
    sql = (
        "SELECT s.title, s.opens_at,"  # noqa: S608 (quoted names and placeholders only)
        f" CASE WHEN s.audience = %s THEN (SELECT COUNT(*) FROM {retailer} r"
        f" WHERE {in_region}1 = 1)"
        f" ELSE (SELECT COUNT(*) FROM {retailer} r WHERE {in_region}EXISTS ("
        f"SELECT 1 FROM {target} t WHERE t.survey_id = s.id AND (t.grade = r.grade"
        " OR (t.region = r.region AND t.region > %s) OR t.route_id = r.route_id"
        " OR t.retailer_id = r.id))) END,"
        f" (SELECT COUNT(*) FROM {response} sr WHERE sr.survey_id = s.id AND sr.status = %s"
        f"{response_region})"
        f" FROM {survey} s WHERE s.is_published = %s AND s.opens_at < %s AND s.closes_at >= %s"
        " ORDER BY s.opens_at DESC, s.id DESC LIMIT 50"
    )
    params = [
        Survey.Audience.ALL.value,
        *region,
        *region,
        "",
        SurveyResponse.Status.SUBMITTED.value,
        *region,
        True,
        ops.adapt_datetimefield_value(filters.until),
        ops.adapt_datetimefield_value(filters.since),
    ]
    return sql, params


def _opens_at_converter():
    """The ORM's conversion of the database's value of Survey.opens_at (a string on SQLite)."""
    field = Survey._meta.get_field("opens_at")
    column = field.get_col("s")
    converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

    def converted(value):
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return converted


def surveys_dashboard(filters: Filters) -> Dashboard:
    """Response rates of the published surveys open at some time in the period: retailers
    addressed and submitted responses, one query (`_surveys_sql`)."""
    opens_at = _opens_at_converter()
    with connection.cursor() as cursor:
        cursor.execute(*_surveys_sql(filters))
        surveys = cursor.fetchall()
    rows = [
        [
            title,
            timezone.localtime(opens_at(opened)).date(),
            addressed,
            answered,
            round(100 * answered / addressed, 1) if addressed else None,
        ]
        for title, opened, addressed, answered in surveys
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
