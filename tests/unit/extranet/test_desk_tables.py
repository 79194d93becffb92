"""The staff tables written in Python give what the template filters they replace gave."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.utils import timezone, translation

from extranet.desk.tables import _truncated, date_formatter, visit_log_rows, visit_week_rows

MOMENTS = [
    datetime(2026, 12, 6, 4, 40, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 1, 1, 0, 0, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 6, 30, 15, 5, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 3, 9, 12, 0, tzinfo=ZoneInfo("UTC")),
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "date_format", ["SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "D m-d H:i", r"\Y j N P"]
)
def test_date_formatter_writes_datetimes_as_the_date_filter(language, date_format):
    with translation.override(language):
        formatted = date_formatter(date_format)
        for moment in MOMENTS:
            expected = date_filter(timezone.template_localtime(moment), date_format)
            assert formatted(moment) == expected


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("date_format", ["SHORT_DATE_FORMAT", "DATE_FORMAT", "D m-d"])
def test_date_formatter_writes_dates_as_the_date_filter(language, date_format):
    with translation.override(language):
        formatted = date_formatter(date_format)
        for day in (date(2026, 12, 6), date(2026, 1, 31), date(999, 2, 3)):
            assert formatted(day) == date_filter(day, date_format)
        assert formatted(None) == ""


@pytest.mark.parametrize("length", [1, 5, 6, 80])
def test_truncated_cuts_as_truncatechars(length):
    for text in ("补货到位", "A café", "Cafe\u0301 au lait", "x" * 81, "—", "短" * 120):
        assert _truncated(text, length) == truncatechars(text, length)


def _visit(**values):
    row = {
        "pk": 7,
        "retailer_id": 3,
        "retailer__store_name": "<b>A&B</b>",
        "retailer__address": 'Road "1"',
        "account_manager__name": None,
        "planned_on": date(2026, 12, 7),
        "done_at": None,
        "way": "visit",
        "place": "",
        "content": "line one\r\nline <two>",
        "outcome": "x" * 130,
        "next_step": "",
        "next_on": None,
    }
    row.update(values)
    return row


def test_visit_log_rows_escape_the_text_and_break_its_lines():
    with translation.override("en"):
        html = visit_log_rows([_visit()])
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in html and "<b>" not in html
    assert "<td>line one<br>line &lt;two&gt;</td>" in html
    assert '<a href="/sales/visits/7/">Planned for 12/07/2026</a>' in html
    assert "<td>—</td>" in html  # no manager, no way, no place


def test_visit_week_rows_cut_long_outcomes_and_link_the_actions():
    moment = datetime(2026, 12, 7, 2, 5, tzinfo=ZoneInfo("UTC"))
    with translation.override("en"):
        planned = visit_week_rows([_visit()])
        done = visit_week_rows([_visit(done_at=moment, way="phone", account_manager__name="Li")])
        assert truncatechars("x" * 130, 120) in planned
        assert date_filter(timezone.template_localtime(moment), "D m-d H:i") in done
    assert "Road &quot;1&quot;" in planned
    assert '<a href="/sales/visits/7/cancel/">' in planned
    assert "Phone call" in done and "<td>Li</td>" in done


def _order_rows_as_before(orders, *, selectable):
    """order_rows as it was written with format_html_join, the reference of the f-strings."""
    from django.urls import reverse
    from django.utils import dateformat, formats
    from django.utils.html import format_html_join
    from django.utils.translation import gettext as _

    from extranet import rules
    from extranet.ordering.models import Order
    from portal.figures import money_text

    date_format = formats.get_format("DATE_FORMAT")
    labels = {value: str(label) for value, label in Order.Status.choices}
    rows = []
    for order in orders:
        number = Order.number_of(order["pk"])
        cycle = order["cycle"]
        rows.append(
            (
                _("Select %(number)s") % {"number": number} if selectable else None,
                order["pk"],
                reverse("sales:order", args=[order["pk"]]),
                number,
                order["retailer__store_name"],
                order["retailer__route__code"] or "—",
                dateformat.format(cycle, date_format) if cycle else "",
                dateformat.format(rules.delivery_date(cycle), date_format) if cycle else "",
                order["status"],
                labels.get(order["status"], order["status"]),
                order["total_cartons"],
                money_text(order["total_amount"]),
            )
        )
    select = '<td><input type="checkbox" name="order" value="{1}" aria-label="{0}"></td>'
    cells = (
        '<td><a href="{2}">{3}</a></td><td>{4}</td><td>{5}</td><td>{6}</td><td>{7}</td>'
        '<td><span class="status status-{8}">{9}</span></td><td>{10}</td><td>{11}</td>'
    )
    row = "<tr>" + (select if selectable else "") + cells + "</tr>"
    return format_html_join("\n", row, rows) if rows else ""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("selectable", [False, True])
def test_order_rows_write_what_the_format_html_rows_wrote(language, selectable):
    from decimal import Decimal

    from extranet.desk.tables import order_rows

    orders = [
        {
            "pk": 42,
            "cycle": date(2026, 12, 7),
            "status": "submitted",
            "total_cartons": 1234,
            "total_amount": Decimal("147260.01"),
            "retailer__store_name": '<b>A&B "store"</b>',
            "retailer__route__code": None,
        },
        {
            "pk": 9,
            "cycle": date(2026, 12, 7),
            "status": "odd<status>",
            "total_cartons": 0,
            "total_amount": Decimal("-12"),
            "retailer__store_name": "利群店",
            "retailer__route__code": "R&1",
        },
    ]
    with translation.override(language):
        html = order_rows(orders, selectable=selectable)
        assert html == _order_rows_as_before(orders, selectable=selectable)
        assert order_rows([], selectable=selectable) == ""
    assert "&lt;b&gt;A&amp;B &quot;store&quot;&lt;/b&gt;" in html and "<b>" not in html


# The feedback desk's figure loops as feedback_list.html wrote them before
# `feedback_figure_rows`.
FIGURE_LOOPS = (
    "{% load i18n %}"
    "{% for row in overdue_by_manager %}<tr><td>"
    '{{ row.assigned_to__name|default:_("Unassigned") }}</td><td>{{ row.overdue }}</td></tr>'
    "{% endfor %}|"
    '{% for row in rates %}<tr><td>{{ row.month|date:"YEAR_MONTH_FORMAT" }}</td>'
    "<td>{{ row.total }}</td><td>{{ row.on_time }}</td><td>{{ row.rate }} %</td></tr>"
    "{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_feedback_figure_rows_write_what_the_template_loops_wrote(language, settings):
    from django.template import Context, Template

    from extranet.desk.tables import feedback_figure_rows

    settings.TIME_ZONE = "Asia/Shanghai"
    overdue = [
        {"assigned_to_id": 1, "assigned_to__name": "孙丽华", "overdue": 11},
        {"assigned_to_id": 2, "assigned_to__name": "<Li & 'Wu'>", "overdue": 12345},
        {"assigned_to_id": None, "assigned_to__name": None, "overdue": 3},
        {"assigned_to_id": 3, "assigned_to__name": "", "overdue": 0},
    ]
    zone = ZoneInfo("Asia/Shanghai")
    rates = [
        {"month": datetime(2026, 12, 1, tzinfo=zone), "total": 7, "on_time": 5, "rate": 71.4},
        {"month": datetime(2026, 1, 1, tzinfo=zone), "total": 1200, "on_time": 1200, "rate": 100.0},
        {"month": datetime(2025, 9, 1, tzinfo=zone), "total": 0, "on_time": 0, "rate": None},
    ]
    with timezone.override(zone), translation.override(language):
        expected = Template(FIGURE_LOOPS).render(
            Context({"overdue_by_manager": overdue, "rates": rates})
        )
        written = feedback_figure_rows(overdue, rates)
    assert "|".join(written) == expected
    assert "&lt;Li &amp; &#x27;Wu&#x27;&gt;" in written[0]
