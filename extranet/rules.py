"""The extranet's domain rules (DESIGN.md, extranet section), each configurable in settings.

Settings (all optional):
  EXTRANET_CARTONS_PER_CASE        250
  EXTRANET_GRADE_WINDOW_MONTHS     3     whole calendar months the grade averages (see grade_window)
  EXTRANET_WINDOW_OPENS_DAYS_BEFORE  0   ordering opens at 00:00 this many days before the order day
  EXTRANET_WINDOW_CLOSES_DAYS_BEFORE 0   ... and closes this many days before it
  EXTRANET_WINDOW_CLOSES_AT        "23:59" ... at the end of this minute
  EXTRANET_DELIVERY_DAYS_AFTER     1     the delivery day (送货日) follows the order day by this
  EXTRANET_LICENCE_WARNING_DAYS    30    warn the store and its account manager this many days
                                         before its licence expires
  EXTRANET_STOCK_LIMITED_BELOW     200   fewer cartons than this show as "limited"
  EXTRANET_MAX_LINE_CARTONS        500   the most cartons one line may ask for
  EXTRANET_VALUE_WEIGHTS           {"contribution": .35, "support": .15, "credit": .2,
                                    "relationship": .15, "influence": .15}
  EXTRANET_VALUE_CORE_FROM         0.6   value score from which a retailer with purchases is "core"
  EXTRANET_VALUE_GENERAL_FROM      0.3   ... "general"; below it "problem"
  EXTRANET_TOP_SHARE               0.2   the share of retailers on the top list
  EXTRANET_SALES_DEPARTMENT_CODE   "sales" the department whose head oversees all feedback
"""

from bisect import bisect_right
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


def monthly_cases(total_cartons: int, *, months: int | Decimal | None = None) -> Decimal:
    months = months or grade_window_months()
    return Decimal(total_cartons) / (Decimal(months) * Decimal(cartons_per_case()))


# The grade's window. Source 002 (customer classification): "Classification according to the
# quantity and value of cigarettes ordered by the customer in a certain period of time (customer
# grading)", by "the total average monthly sales volume" in eight bands. The project reads it as:
#
# * Only sales count: orders that the factory confirmed, and later states (picking, out for
#   delivery, delivered). A merely submitted order may still be refused or cancelled, so it
#   cannot raise a grade (and with it a store's scarce allocation).
# * The window is whole calendar months: the GRADE_WINDOW_MONTHS months before the current one
#   (recomputed on 4 December: September, October and November). The month under way never
#   counts, so every figure is a true monthly average and month ends do not move it.
# * The average is over the months of the window in which the store traded: a store that became
#   a customer (or placed its first order) within the window is averaged over the months from
#   that month on, its first month counted whole. A store that traded all along: all months.
GRADE_COUNTED_STATUSES = ("confirmed", "picking", "out_for_delivery", "delivered")


@dataclass(frozen=True)
class GradeWindow:
    start: datetime  # 00:00 local on the first day of the first month (inclusive)
    end: datetime  # 00:00 local on the first day of the current month (exclusive)
    month_starts: tuple[date, ...]  # the first day of each month of the window


def _add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def grade_window(now: datetime, *, months: int | None = None) -> GradeWindow:
    """The whole calendar months before the current local month that the grade averages."""
    months = months or grade_window_months()
    zone = timezone.get_current_timezone()
    this_month = timezone.localtime(now, zone).date().replace(day=1)
    starts = tuple(_add_months(this_month, -back) for back in range(months, 0, -1))
    return GradeWindow(
        start=datetime.combine(starts[0], time.min, zone),
        end=datetime.combine(this_month, time.min, zone),
        month_starts=starts,
    )


def months_traded(window: GradeWindow, started_on: date | None) -> int:
    """How many months of `window` the average of a store that started trading on
    `started_on` is taken over (all of them when unknown or before the window; at least 1)."""
    if started_on is None:
        return len(window.month_starts)
    first = started_on.replace(day=1)
    return max(1, sum(1 for start in window.month_starts if start >= first))


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
    cycle: date | None  # the order day (订货日) the window belongs to
    opens_at: datetime | None
    closes_at: datetime | None
    is_open: bool

    @property
    def delivery_on(self) -> date | None:
        """The delivery day (送货日) of the orders placed in this window."""
        return delivery_date(self.cycle)


def delivery_days_after() -> int:
    return int(setting("DELIVERY_DAYS_AFTER", 1))


def delivery_date(order_date: date | None) -> date | None:
    """The delivery day (送货日) of the orders of an order day (订货日): it follows the order day
    (source 002: "order (delivery) cycle", the two days of one cycle; GLOSSARY: "order day —
    the day the retailer orders; the delivery day is 送货日 — never mix them")."""
    if order_date is None:
        return None
    return order_date + timedelta(days=delivery_days_after())


def delivery_weekday(order_day: int | None) -> int | None:
    """The weekday (0 = Monday) of the delivery day of a store ordering on `order_day`."""
    if order_day is None:
        return None
    return (order_day + delivery_days_after()) % 7


def order_window(order_day: int | None, now: datetime) -> OrderWindow:
    """The ordering window for a retailer with `order_day` (0 = Monday) at `now`.

    The store orders ON its order day (订货日): by default the window opens at 00:00 and closes
    at 23:59 of the order day itself, in the factory's time zone, and is closed the day before
    and the day after; the goods are delivered on the delivery day (送货日) that follows
    (`delivery_date`). Sources: 002 names the "order (delivery) cycle", the order batch and the
    telephone-ordering staff who take each store's order on its day; GLOSSARY "order day".
    Both ends are settings. No order day: closed.
    """
    if order_day is None:
        return OrderWindow(None, None, None, False)
    opens_before = int(setting("WINDOW_OPENS_DAYS_BEFORE", 0))
    closes_before = int(setting("WINDOW_CLOSES_DAYS_BEFORE", 0))
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


# Who may buy ----------------------------------------------------------------------------------

# A store may order only while it is open for business and holds a valid tobacco monopoly
# retail licence: the rule above all others in a tobacco monopoly (DESIGN.md, "Online ordering";
# source 002 keeps the customer status and the licence's issue, effective and annual review dates
# in the profile; source 003 reminds users of customers about to expire and stops supplying the
# expired ones). The licence is valid through its last day, `licence_expires_on` inclusive, in
# the factory's time zone, and refused from the day after. A store without an expiry date on
# file is not refused on that ground (the staff list shows the date or "—").

LICENCE_VALID, LICENCE_EXPIRING, LICENCE_EXPIRED = "valid", "expiring", "expired"
BUSINESS_OPEN = "open"


def licence_warning_days() -> int:
    return int(setting("LICENCE_WARNING_DAYS", 30))


def licence_state(expires_on: date | None, today: date) -> str:
    """`valid`, `expiring` (it expires within the warning days: today is at most that many days
    before its last valid day) or `expired` (today is after its last valid day)."""
    if expires_on is None:
        return LICENCE_VALID
    if today > expires_on:
        return LICENCE_EXPIRED
    if (expires_on - today).days <= licence_warning_days():
        return LICENCE_EXPIRING
    return LICENCE_VALID


def buying_refusal(business_status: str, expires_on: date | None, today: date) -> str | None:
    """Why a store may not buy today — `"status"` (not open for business) or `"licence"`
    (expired) — or None when it may. `today` is the local date in the factory's time zone."""
    if business_status != BUSINESS_OPEN:
        return "status"
    if licence_state(expires_on, today) == LICENCE_EXPIRED:
        return "licence"
    return None


# Customer value -------------------------------------------------------------------------------


def value_weights() -> dict[str, Decimal]:
    weights = setting("VALUE_WEIGHTS", None) or DEFAULT_VALUE_WEIGHTS
    return {key: Decimal(str(value)) for key, value in weights.items()}


def value_class_for(score: Decimal, *, has_purchases: bool = True) -> str:
    """Core, general or problem from the value score. No purchases in the window, no core:
    source 002 bases customer value first on "the customer's contribution to the enterprise"."""
    if has_purchases and score >= Decimal(str(setting("VALUE_CORE_FROM", "0.6"))):
        return "core"
    if score >= Decimal(str(setting("VALUE_GENERAL_FROM", "0.3"))):
        return "general"
    return "problem"


def contribution_rank(amount: Decimal, sorted_amounts: list[Decimal]) -> Decimal:
    """The contribution part of the value score: the share of active purchasing stores whose
    monthly purchase amount is at most `amount` (a percentile rank, 0 to 1). A rank, not a
    ratio to the biggest buyer, so that one outlier does not push everyone else down.
    `sorted_amounts` are the active stores' positive monthly amounts, ascending."""
    if amount <= 0 or not sorted_amounts:
        return Decimal("0")
    at_most = bisect_right(sorted_amounts, amount)
    return Decimal(at_most) / Decimal(len(sorted_amounts))


def top_share() -> Decimal:
    return Decimal(str(setting("TOP_SHARE", "0.2")))


def sales_department_code() -> str:
    return str(setting("SALES_DEPARTMENT_CODE", "sales"))
