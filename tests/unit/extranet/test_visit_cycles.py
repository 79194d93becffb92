"""The visit cycle's bounds (issue 16): the week, the fortnight and the month of a day."""

from datetime import date

from extranet.crm.models import VisitCycle, visit_cycle_bounds


def test_weekly_cycle_is_the_calendar_week_monday_to_sunday():
    # 2026-12-06 is a Sunday, 2026-12-07 a Monday.
    assert visit_cycle_bounds(VisitCycle.WEEKLY, date(2026, 12, 6)) == (
        date(2026, 11, 30),
        date(2026, 12, 6),
    )
    assert visit_cycle_bounds(VisitCycle.WEEKLY, date(2026, 12, 7))[0] == date(2026, 12, 7)


def test_fortnights_are_shared_two_week_blocks():
    first = visit_cycle_bounds(VisitCycle.FORTNIGHTLY, date(2024, 1, 1))
    assert first == (date(2024, 1, 1), date(2024, 1, 14))
    assert visit_cycle_bounds(VisitCycle.FORTNIGHTLY, date(2024, 1, 14)) == first
    assert visit_cycle_bounds(VisitCycle.FORTNIGHTLY, date(2024, 1, 15))[0] == date(2024, 1, 15)


def test_monthly_cycle_is_the_calendar_month():
    assert visit_cycle_bounds(VisitCycle.MONTHLY, date(2026, 2, 14)) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert visit_cycle_bounds(VisitCycle.MONTHLY, date(2026, 12, 31)) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
