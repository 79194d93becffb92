"""The staff tables written in Python give what the template filters they replace gave."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.utils import timezone, translation

from extranet.desk.tables import _truncated, date_formatter

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
