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
