"""The extranet's domain rules (DESIGN.md, extranet section), each configurable in settings.

Settings (all optional):
  EXTRANET_CARTONS_PER_CASE        250
  EXTRANET_GRADE_WINDOW_MONTHS     3     trailing window of the grade, in months
  EXTRANET_WINDOW_OPENS_DAYS_BEFORE  6   ordering opens at 00:00 this many days before the order day
  EXTRANET_WINDOW_CLOSES_DAYS_BEFORE 1   ... and closes this many days before it
  EXTRANET_WINDOW_CLOSES_AT        "23:59" ... at the end of this minute
  EXTRANET_STOCK_LIMITED_BELOW     200   fewer cartons than this show as "limited"
  EXTRANET_MAX_LINE_CARTONS        500   the most cartons one line may ask for
  EXTRANET_VALUE_WEIGHTS           {"contribution": .35, "support": .15, "credit": .2,
                                    "relationship": .15, "influence": .15}
  EXTRANET_VALUE_CORE_FROM         0.6   value score from which a retailer is "core"
  EXTRANET_VALUE_GENERAL_FROM      0.3   ... "general"; below it "problem"
  EXTRANET_TOP_SHARE               0.2   the share of retailers on the top list
  EXTRANET_SALES_DEPARTMENT_CODE   "sales" the department whose head oversees all feedback
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Grade bands in cases per month: (grade, lower bound exclusive). Each band's upper bound is
# inclusive, so exactly 20 cases is grade 2 and anything above 20 is grade 1.
GRADE_BANDS = [
    (1, Decimal("20")),
    (2, Decimal("14")),
    (3, Decimal("10")),
    (4, Decimal("7")),
    (5, Decimal("4")),
    (6, Decimal("2")),
    (7, Decimal("1")),
]
LOWEST_GRADE = 8
GRADES = range(1, LOWEST_GRADE + 1)  # 1 (the largest purchases) to LOWEST_GRADE

DEFAULT_VALUE_WEIGHTS = {
    "contribution": Decimal("0.35"),
    "support": Decimal("0.15"),
    "credit": Decimal("0.20"),
    "relationship": Decimal("0.15"),
    "influence": Decimal("0.15"),
}


def setting(name, default):
    return getattr(settings, f"EXTRANET_{name}", default)


def cartons_per_case() -> int:
    return int(setting("CARTONS_PER_CASE", 250))


def grade_window_months() -> int:
    return int(setting("GRADE_WINDOW_MONTHS", 3))


def max_line_cartons() -> int:
    return int(setting("MAX_LINE_CARTONS", 500))


def grade_for_cases(monthly_cases: Decimal) -> int:
    """The grade of an average monthly purchase in cases (exact Decimal comparison)."""
    for grade, above in GRADE_BANDS:
        if monthly_cases > above:
            return grade
    return LOWEST_GRADE


def monthly_cases(total_cartons: int, *, months: int | None = None) -> Decimal:
    months = months or grade_window_months()
    return Decimal(total_cartons) / (Decimal(months) * Decimal(cartons_per_case()))


def window_start(now: datetime, *, months: int | None = None) -> datetime:
    """The start of the trailing window: the same local day `months` calendar months ago."""
    months = months or grade_window_months()
    local = timezone.localtime(now)
    year, month = local.year, local.month - months
    while month < 1:
        month += 12
        year -= 1
    day = min(local.day, 28)
    return local.replace(year=year, month=month, day=day, hour=0, minute=0, second=0, microsecond=0)


# Stock as a retailer sees it ------------------------------------------------------------------

STOCK_AVAILABLE, STOCK_LIMITED, STOCK_OUT = "available", "limited", "out"
STOCK_LABELS = {
    STOCK_AVAILABLE: _("Available"),
    STOCK_LIMITED: _("Limited"),
    STOCK_OUT: _("Out of stock"),
}


def stock_level(available: int | None) -> str:
    if not available:
        return STOCK_OUT
    if available < int(setting("STOCK_LIMITED_BELOW", 200)):
        return STOCK_LIMITED
    return STOCK_AVAILABLE


# Order window ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderWindow:
    cycle: date | None  # the order day the window belongs to
    opens_at: datetime | None
    closes_at: datetime | None
    is_open: bool


def order_window(order_day: int | None, now: datetime) -> OrderWindow:
    """The ordering window for a retailer with `order_day` (0 = Monday) at `now`.

    By default a window opens at 00:00 six days before the order day and closes at 23:59 the day
    before it, so the order day itself is closed; both ends are settings. No order day: closed.
    """
    if order_day is None:
        return OrderWindow(None, None, None, False)
    opens_before = int(setting("WINDOW_OPENS_DAYS_BEFORE", 6))
    closes_before = int(setting("WINDOW_CLOSES_DAYS_BEFORE", 1))
    hour, minute = (int(part) for part in str(setting("WINDOW_CLOSES_AT", "23:59")).split(":"))
    zone = timezone.get_current_timezone()
    local = timezone.localtime(now, zone)
    cycle = local.date() + timedelta(days=(order_day - local.weekday()) % 7)

    def bounds(day):
        opens = datetime.combine(day - timedelta(days=opens_before), time.min, zone)
        closes = datetime.combine(
            day - timedelta(days=closes_before), time(hour, minute, 59, 999999), zone
        )
        return opens, closes

    opens_at, closes_at = bounds(cycle)
    if local > closes_at:
        cycle += timedelta(days=7)
        opens_at, closes_at = bounds(cycle)
    return OrderWindow(cycle, opens_at, closes_at, opens_at <= local <= closes_at)


# Customer value -------------------------------------------------------------------------------


def value_weights() -> dict[str, Decimal]:
    weights = setting("VALUE_WEIGHTS", None) or DEFAULT_VALUE_WEIGHTS
    return {key: Decimal(str(value)) for key, value in weights.items()}


def value_class_for(score: Decimal) -> str:
    if score >= Decimal(str(setting("VALUE_CORE_FROM", "0.6"))):
        return "core"
    if score >= Decimal(str(setting("VALUE_GENERAL_FROM", "0.3"))):
        return "general"
    return "problem"


def top_share() -> Decimal:
    return Decimal(str(setting("TOP_SHARE", "0.2")))


def sales_department_code() -> str:
    return str(setting("SALES_DEPARTMENT_CODE", "sales"))
