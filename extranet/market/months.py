"""Local calendar months, the unit in which the sales summary counts orders."""

from datetime import date, datetime, time

from django.utils import timezone


def month_of(moment: datetime) -> date:
    """The first day of `moment`'s local month."""
    return timezone.localtime(moment).date().replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The local month as [since, until) aware datetimes."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    return start, timezone.make_aware(datetime.combine(next_month(month), time.min))
