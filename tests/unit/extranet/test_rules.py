from datetime import datetime
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


def test_window_is_open_until_the_evening_before_the_order_day():
    thursday = 3
    wednesday_evening = datetime(2026, 11, 25, 23, 59, 30, tzinfo=SHANGHAI)
    window = rules.order_window(thursday, wednesday_evening)
    assert window.is_open
    assert window.cycle.isoformat() == "2026-11-26"
    assert window.closes_at.hour == 23 and window.closes_at.minute == 59


def test_window_is_closed_on_the_order_day_until_the_next_cycle_opens():
    thursday = 3
    thursday_morning = datetime(2026, 11, 26, 8, 0, tzinfo=SHANGHAI)
    window = rules.order_window(thursday, thursday_morning)
    assert not window.is_open
    assert window.cycle.isoformat() == "2026-12-03"
    assert window.opens_at == datetime(2026, 11, 27, 0, 0, tzinfo=SHANGHAI)


def test_window_is_configurable(settings):
    settings.EXTRANET_WINDOW_OPENS_DAYS_BEFORE = 2
    thursday = 3
    monday = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)
    window = rules.order_window(thursday, monday)
    assert not window.is_open
    assert window.opens_at == datetime(2026, 11, 24, 0, 0, tzinfo=SHANGHAI)


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
