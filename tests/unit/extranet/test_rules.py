from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from extranet import rules

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("cases", "grade"),
    [
        ("20.004", 1),
        ("20.0", 2),
        ("20", 2),
        ("14.0001", 2),
        ("14", 3),
        ("10", 4),
        ("7", 5),
        ("4", 6),
        ("2", 7),
        ("1.0001", 7),
        ("1", 8),
        ("0", 8),
    ],
)
def test_grade_band_upper_bounds_are_inclusive(cases, grade):
    assert rules.grade_for_cases(Decimal(cases)) == grade


def test_monthly_cases_use_cartons_per_case_and_window(settings):
    # 15,003 cartons over 3 months at 250 per case: exactly 20.004 cases a month.
    assert rules.monthly_cases(15003) == Decimal("20.004")
    assert rules.grade_for_cases(rules.monthly_cases(15003)) == 1
    assert rules.grade_for_cases(rules.monthly_cases(15000)) == 2
    settings.EXTRANET_CARTONS_PER_CASE = 50
    assert rules.monthly_cases(300, months=2) == Decimal("3")


# The store orders ON its order day (订货日), 00:00 to 23:59 in the factory's time zone; the
# delivery day (送货日) follows. Thursday 26 November 2026 is the order day below.
THURSDAY = 3


def test_window_opens_at_midnight_of_the_order_day():
    window = rules.order_window(THURSDAY, datetime(2026, 11, 26, 0, 0, tzinfo=SHANGHAI))
    assert window.is_open
    assert window.cycle.isoformat() == "2026-11-26"
    assert window.opens_at == datetime(2026, 11, 26, 0, 0, tzinfo=SHANGHAI)
    assert window.delivery_on.isoformat() == "2026-11-27"


def test_window_is_open_until_2359_of_the_order_day():
    window = rules.order_window(THURSDAY, datetime(2026, 11, 26, 23, 59, 59, tzinfo=SHANGHAI))
    assert window.is_open
    assert window.cycle.isoformat() == "2026-11-26"
    assert (window.closes_at.hour, window.closes_at.minute) == (23, 59)


def test_window_is_closed_the_day_before_the_order_day():
    window = rules.order_window(THURSDAY, datetime(2026, 11, 25, 23, 59, 59, tzinfo=SHANGHAI))
    assert not window.is_open
    assert window.cycle.isoformat() == "2026-11-26"
    assert window.opens_at == datetime(2026, 11, 26, 0, 0, tzinfo=SHANGHAI)


def test_window_is_closed_the_day_after_until_the_next_order_day():
    window = rules.order_window(THURSDAY, datetime(2026, 11, 27, 0, 0, tzinfo=SHANGHAI))
    assert not window.is_open
    assert window.cycle.isoformat() == "2026-12-03"
    assert window.opens_at == datetime(2026, 12, 3, 0, 0, tzinfo=SHANGHAI)


def test_window_is_in_the_factorys_time_zone():
    # 16:30 UTC on Wednesday is 00:30 on Thursday in Shanghai: the order day has begun.
    utc = ZoneInfo("UTC")
    assert rules.order_window(THURSDAY, datetime(2026, 11, 25, 16, 30, tzinfo=utc)).is_open
    assert not rules.order_window(THURSDAY, datetime(2026, 11, 26, 16, 0, tzinfo=utc)).is_open


def test_delivery_day_follows_the_order_day(settings):
    assert rules.delivery_weekday(THURSDAY) == 4
    assert rules.delivery_weekday(6) == 0  # Sunday's orders are delivered on Monday
    assert rules.delivery_weekday(None) is None
    settings.EXTRANET_DELIVERY_DAYS_AFTER = 2
    assert rules.delivery_date(date(2026, 11, 26)) == date(2026, 11, 28)


def test_window_is_configurable(settings):
    settings.EXTRANET_WINDOW_OPENS_DAYS_BEFORE = 2
    monday = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)
    window = rules.order_window(THURSDAY, monday)
    assert not window.is_open
    assert window.opens_at == datetime(2026, 11, 24, 0, 0, tzinfo=SHANGHAI)


# Who may buy: open for business, licence valid through its last day.
LAST_VALID_DAY = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 11, 30), "valid"),  # 31 days before its last day
        (date(2026, 12, 1), "expiring"),  # 30 days before: the warning starts
        (LAST_VALID_DAY, "expiring"),  # still valid on its last day
        (date(2027, 1, 1), "expired"),  # the day after
    ],
)
def test_licence_is_valid_through_its_last_day(today, state):
    assert rules.licence_state(LAST_VALID_DAY, today) == state


def test_licence_warning_days_are_a_setting(settings):
    settings.EXTRANET_LICENCE_WARNING_DAYS = 7
    assert rules.licence_state(LAST_VALID_DAY, date(2026, 12, 23)) == "valid"
    assert rules.licence_state(LAST_VALID_DAY, date(2026, 12, 24)) == "expiring"


@pytest.mark.parametrize(
    ("status", "expires_on", "refusal"),
    [
        ("open", LAST_VALID_DAY, None),
        ("open", None, None),
        ("open", date(2026, 12, 30), "licence"),
        ("suspended", LAST_VALID_DAY, "status"),
        ("closed", None, "status"),
    ],
)
def test_only_an_open_store_with_a_valid_licence_may_buy(status, expires_on, refusal):
    assert rules.buying_refusal(status, expires_on, LAST_VALID_DAY) == refusal


def test_no_order_day_means_closed():
    assert not rules.order_window(None, datetime(2026, 11, 23, tzinfo=SHANGHAI)).is_open


def test_stock_levels(settings):
    settings.EXTRANET_STOCK_LIMITED_BELOW = 100
    assert rules.stock_level(0) == "out"
    assert rules.stock_level(99) == "limited"
    assert rules.stock_level(100) == "available"


def test_value_class_thresholds():
    assert rules.value_class_for(Decimal("0.6")) == "core"
    assert rules.value_class_for(Decimal("0.59")) == "general"
    assert rules.value_class_for(Decimal("0.29")) == "problem"
