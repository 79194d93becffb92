"""The visit pages' lists read with written-out SQL (issue 18): building the ORM's queries
twice, for the paginator's count and for the page, cost a third of these pages' CPU.

The stores not visited this cycle: `selectors.retailers_not_visited` (an EXISTS per visit
cycle and three subqueries).

`NotVisitedRows` mirrors ``retailers_not_visited(user=..., today=..., manager=...)
.values(*tables.NOT_VISITED_FIELDS)``: the same stores by the same rules
(`selectors.due_a_visit_where`: who sees which stores, closed stores left out, a contact done
in the current cycle), the last contact done and the next visit planned from today, by licence
number.

The week's visits: `WeekVisitRows` mirrors ``selectors.week_visits(user=..., monday=...,
manager=...).values(*tables.VISIT_WEEK_FIELDS)``: the contacts the user may see
(`selectors.visits_visible_to`: all for a sales administrator, an account manager's those of the
stores assigned to them now, anyone else's none) planned for or done in the week, of one
account manager when given, by day (the plan's, or the local day it was done), licence number
and id.

The contact log: `VisitLogRows` mirrors ``selectors.visits_filtered(user=..., retailer=...,
manager=..., way=..., state=..., start=..., end=...).values(*LOG_FIELDS)``: the contacts the
user may see (`selectors.visits_visible_to`), filtered by store, account manager, way, done or
planned and a date range (of the contact, or of the plan when not done), done contacts newest
first, then the plans by their day, newest first, then by id, newest first."""

from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from extranet.crm.models import Retailer, Visit
from extranet.crm.paged_rows import PagedRows
from extranet.crm.paged_rows import date_column as _date
from extranet.crm.paged_rows import datetime_column as _datetime
from extranet.crm.selectors import (
    due_a_visit_where,
    retailers_visible_where,
)
from portal.models import Employee

ROWS = """
SELECT r.id, r.store_name, r.licence_number, r.visit_cycle, e.name,
  (SELECT v.done_at FROM {visit} v WHERE v.retailer_id = r.id AND v.done_at IS NOT NULL
   ORDER BY v.done_at DESC LIMIT 1),
  (SELECT v.id FROM {visit} v WHERE v.retailer_id = r.id AND v.done_at IS NULL
   AND v.planned_on >= %s ORDER BY v.planned_on, v.id LIMIT 1),
  (SELECT v.planned_on FROM {visit} v WHERE v.retailer_id = r.id AND v.done_at IS NULL
   AND v.planned_on >= %s ORDER BY v.planned_on, v.id LIMIT 1),
  COUNT(*) OVER ()
{source}
ORDER BY r.licence_number
LIMIT %s OFFSET %s"""

NOT_VISITED_FROM = """
FROM {retailer} r LEFT JOIN {employee} e ON e.id = r.account_manager_id
WHERE {where}"""

FIELDS = (
    "pk",
    "store_name",
    "licence_number",
    "visit_cycle",
    "account_manager__name",
    "last_contact_at",
    "next_planned_id",
    "next_planned_on",
)


class NotVisitedRows(PagedRows):
    """The stores due a visit as a Paginator's list: for a slice, one statement giving
    dictionaries of `FIELDS` (and the count `selectors.retailers_due_a_visit_count` gives)."""

    fields = FIELDS
    rows_sql = ROWS

    def __init__(self, *, user, today: date, manager=None):
        self.today = today
        where = due_a_visit_where(user=user, today=today, manager=manager)
        super().__init__(*_visit_source(NOT_VISITED_FROM, where))

    def statement(self) -> tuple[str, list]:
        quote = connection.ops.quote_name
        sql = ROWS.format(  # quoted names and placeholders only
            visit=quote(Visit._meta.db_table), source=self.source
        )
        # The select list's placeholders come before the WHERE clause's.
        today = connection.ops.adapt_datefield_value(self.today)
        return sql, [today, today, *self.params]

    def converted(self, row: tuple) -> tuple:
        return (*row[:5], _datetime(row[5]), row[6], _date(row[7]))


def retailers_not_visited_rows(*, user, today: date, manager=None) -> NotVisitedRows:
    """`selectors.retailers_not_visited(...).values(*FIELDS)` as `NotVisitedRows`."""
    return NotVisitedRows(user=user, today=today, manager=manager)


WEEK_FROM = """
FROM {visit} v JOIN {retailer} r ON r.id = v.retailer_id
LEFT JOIN {employee} e ON e.id = v.account_manager_id
WHERE {where}"""

WEEK_ROWS = """
SELECT v.id, v.retailer_id, r.store_name, r.address, e.name, v.planned_on, v.done_at, v.way,
  v.outcome, v.next_step, COUNT(*) OVER ()
{source}
ORDER BY COALESCE(v.planned_on, {done_on}), r.licence_number, v.id
LIMIT %s OFFSET %s"""

WEEK_FIELDS = (
    "pk",
    "retailer_id",
    "retailer__store_name",
    "retailer__address",
    "account_manager__name",
    "planned_on",
    "done_at",
    "way",
    "outcome",
    "next_step",
)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _week_where(*, user, monday: date, manager) -> tuple[str, list] | None:
    ops = connection.ops
    conditions, params = [], []
    visible = retailers_visible_where(user)
    if visible is None:
        return None
    conditions += visible[0]
    params += visible[1]
    sunday = monday + timedelta(days=6)
    conditions.append(
        "((v.planned_on >= %s AND v.planned_on <= %s) OR (v.done_at >= %s AND v.done_at < %s))"
    )
    params += [
        ops.adapt_datefield_value(monday),
        ops.adapt_datefield_value(sunday),
        ops.adapt_datetimefield_value(_day_start(monday)),
        ops.adapt_datetimefield_value(_day_start(sunday + timedelta(days=1))),
    ]
    if manager is not None:
        conditions.append("v.account_manager_id = %s")
        params.append(manager.pk)
    return " AND ".join(conditions), params


def _visit_source(template: str, where: tuple[str, list] | None) -> tuple[str | None, list]:
    """`template` (a visits statement's FROM … WHERE) with the quoted tables and the condition,
    and its parameters; no source when `where` is None (a reader who may see none)."""
    if where is None:
        return None, []
    quote = connection.ops.quote_name
    source = template.format(  # quoted names and placeholders only
        visit=quote(Visit._meta.db_table),
        retailer=quote(Retailer._meta.db_table),
        employee=quote(Employee._meta.db_table),
        where=where[0],
    )
    return source, where[1]


class WeekVisitRows(PagedRows):
    """The week's visits as a Paginator's list: a count and, for a slice, one statement giving
    dictionaries of `WEEK_FIELDS`."""

    fields = WEEK_FIELDS
    rows_sql = WEEK_ROWS

    def __init__(self, *, user, monday: date, manager=None):
        super().__init__(
            *_visit_source(WEEK_FROM, _week_where(user=user, monday=monday, manager=manager))
        )

    def statement(self) -> tuple[str, list]:
        done_on, done_on_params = connection.ops.datetime_cast_date_sql(
            "v.done_at", (), timezone.get_current_timezone_name()
        )
        # The WHERE clause's placeholders come before the ORDER BY's.
        sql = WEEK_ROWS.format(source=self.source, done_on=done_on)  # placeholders only
        return sql, [*self.params, *done_on_params]

    def converted(self, row: tuple) -> tuple:
        return (*row[:5], _date(row[5]), _datetime(row[6]), *row[7:])


LOG_FROM = WEEK_FROM

LOG_ROWS = """
SELECT v.id, v.retailer_id, r.store_name, e.name, v.planned_on, v.done_at, v.way, v.place,
  v.content, v.outcome, v.next_step, v.next_on, COUNT(*) OVER ()
{source}
ORDER BY CASE WHEN v.done_at IS NULL THEN 1 ELSE 0 END, v.done_at DESC, v.planned_on DESC,
  v.id DESC
LIMIT %s OFFSET %s"""

LOG_FIELDS = (
    "pk",
    "retailer_id",
    "retailer__store_name",
    "account_manager__name",
    "planned_on",
    "done_at",
    "way",
    "place",
    "content",
    "outcome",
    "next_step",
    "next_on",
)


def _log_where(*, user, retailer, manager, way, state, start, end) -> tuple[str, list] | None:
    ops = connection.ops
    conditions, params = ["1 = 1"], []
    visible = retailers_visible_where(user)
    if visible is None:
        return None
    conditions += visible[0]
    params += visible[1]
    if retailer is not None:
        conditions.append("v.retailer_id = %s")
        params.append(retailer.pk)
    if manager is not None:
        conditions.append("v.account_manager_id = %s")
        params.append(manager.pk)
    if way:
        conditions.append("v.way = %s")
        params.append(way)
    if state == "done":
        conditions.append("v.done_at IS NOT NULL")
    elif state == "planned":
        conditions.append("v.done_at IS NULL")
    if start is not None:
        conditions.append("(v.done_at >= %s OR (v.done_at IS NULL AND v.planned_on >= %s))")
        params += [
            ops.adapt_datetimefield_value(_day_start(start)),
            ops.adapt_datefield_value(start),
        ]
    if end is not None:
        conditions.append("(v.done_at < %s OR (v.done_at IS NULL AND v.planned_on <= %s))")
        params += [
            ops.adapt_datetimefield_value(_day_start(end + timedelta(days=1))),
            ops.adapt_datefield_value(end),
        ]
    return " AND ".join(conditions), params


class VisitLogRows(PagedRows):
    """The contact log as a Paginator's list: a count and, for a slice, one statement giving
    dictionaries of `LOG_FIELDS`; no rows at all with `none`."""

    fields = LOG_FIELDS
    rows_sql = LOG_ROWS

    def __init__(
        self,
        *,
        user,
        retailer=None,
        manager=None,
        way="",
        state="",
        start=None,
        end=None,
        none=False,
    ):
        where = None
        if not none:
            where = _log_where(
                user=user,
                retailer=retailer,
                manager=manager,
                way=way,
                state=state,
                start=start,
                end=end,
            )
        super().__init__(*_visit_source(LOG_FROM, where))

    def converted(self, row: tuple) -> tuple:
        return (*row[:4], _date(row[4]), _datetime(row[5]), *row[6:11], _date(row[11]))
