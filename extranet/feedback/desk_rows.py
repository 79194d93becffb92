"""The feedback desk's list and figures read with written-out SQL (issue 18): building the ORM's
four queries (the paginator's count, the page, the overdue call-backs by account manager and the
on-time rates by month) cost half of the list page's CPU.

`FeedbackRows` mirrors ``selectors.feedback_filtered(user=..., status=..., kind=...,
overdue=..., now=...).values(*tables.FEEDBACK_ROW_FIELDS)``; `desk_figures` gives
`selectors.overdue_by_account_manager`, `selectors.callback_rates_by_month` and the length of
the list (`listed`) from one statement. The rules are the selectors': a sales administrator or
the head of the sales department sees all feedback, an account manager the items assigned to
them, anyone else none (`selectors.feedback_visible_to`); a call-back is overdue when it is not
made and due at or before now (`models.overdue_q`); an item is judged once called back or due
(`models.judged_q`) and on time when called back by its due time (`models.ON_TIME`).

The figures and the list's length change with time alone when a call-back not made falls due:
`DeskFigures.until` says when the next one does (extranet.feedback.desk_kept keeps them until
then). The overdue items are read through the index `extranet_feedback_open_due`, of the
call-backs not made only: a few thousand entries of 50,000 items, where the index on the due
time alone walked them all (27 ms at the full scale)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from extranet.crm.paged_rows import PagedRows
from extranet.feedback.models import Feedback
from extranet.models import Retailer
from extranet.permissions import (
    is_account_manager,
    is_sales_administrator,
    may_see_all_feedback,
    sales_department_head_known,
    sales_department_head_note,
)
from extranet.rules import sales_department_code
from portal.models import Department, Employee
from portal.selectors import employee_of

FIELDS = (
    "pk",
    "is_effective_complaint",
    "retailer__store_name",
    "kind",
    "status",
    "callback_due_at",
    "called_back_at",
    "assigned_to__name",
)

SOURCE = """
FROM {feedback} f JOIN {retailer} r ON r.id = f.retailer_id
LEFT JOIN {employee} e ON e.id = f.assigned_to_id
WHERE {where}"""

# The list's length is not read with its page: it comes with the figures (`desk_figures`),
# or kept with them. A window over the whole list made PostgreSQL join every overdue item
# before the LIMIT.
ROWS = """
SELECT f.id, f.is_effective_complaint, r.store_name, f.kind, f.status, f.callback_due_at,
  f.called_back_at, e.name
{source}
ORDER BY {order}
LIMIT %s OFFSET %s"""

# Part 0: overdue call-backs per account manager, most first; part 1: judged items per month
# of submission (local time), the latest first; part 3: the length of the list (from the items
# alone: every item has its store, and the account manager is an outer join) and, in the last
# column, when the next call-back not made falls due (whoever's: the figures hold until then;
# typed in the first part, as PostgreSQL matches a UNION's types part by part).
FIGURES = """
SELECT 0, f.assigned_to_id, e.name, NULL, COUNT(*), NULL,
  CAST(NULL AS TIMESTAMP WITH TIME ZONE)
FROM {feedback} f LEFT JOIN {employee} e ON e.id = f.assigned_to_id
WHERE {where} AND f.called_back_at IS NULL AND f.callback_due_at <= %s
GROUP BY f.assigned_to_id, e.name
UNION ALL
SELECT 1, NULL, NULL, {month}, COUNT(*),
  SUM(CASE WHEN f.called_back_at <= f.callback_due_at THEN 1 ELSE 0 END), NULL
FROM {feedback} f
WHERE {where} AND f.submitted_at >= %s
  AND (f.called_back_at IS NOT NULL OR f.callback_due_at <= %s)
GROUP BY 4{heads}
UNION ALL
SELECT 3, NULL, NULL, NULL, (SELECT COUNT(*) FROM {feedback} f WHERE {listed}), NULL,
  (SELECT MIN(f.callback_due_at) FROM {feedback} f
   WHERE f.called_back_at IS NULL AND f.callback_due_at > %s)
ORDER BY 1, 4 DESC, 5 DESC, 3"""

# Part 2, when the request does not know it yet: whether the user heads the sales department.
FIGURES_HEADS = """
UNION ALL
SELECT 2, NULL, NULL, NULL, CASE WHEN {heads} THEN 1 ELSE 0 END, NULL, NULL"""


def _datetime(value):
    """A datetime column: SQLite gives text or a naive datetime (UTC), PostgreSQL an aware
    datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


HEADS = "EXISTS (SELECT 1 FROM {department} d WHERE d.head_id = %s AND d.code = %s)"


def _heads_where(user) -> tuple[str, list] | None:
    """`permissions.is_sales_department_head` as a condition, when the request does not know
    it yet (None when it does): asked inside the desk's statements, not in a query of its
    own."""
    if is_sales_administrator(user) or sales_department_head_known(user) is not None:
        return None
    department = connection.ops.quote_name(Department._meta.db_table)
    return HEADS.format(department=department), [employee_of(user).pk, sales_department_code()]


def visible_where(user) -> tuple[str, list] | None:
    """`selectors.feedback_visible_to` as a condition on `f`; None for no item. Whether the
    user heads the sales department is part of the condition when not known yet."""
    heads = _heads_where(user)
    if heads is None:
        if may_see_all_feedback(user):
            return "1 = 1", []
        employee = employee_of(user)
        if is_account_manager(user) and employee is not None:
            return "f.assigned_to_id = %s", [employee.pk]
        return None
    if is_account_manager(user):
        return f"({heads[0]} OR f.assigned_to_id = %s)", [*heads[1], employee_of(user).pk]
    return heads


def _names() -> dict:
    quote = connection.ops.quote_name
    return {
        "feedback": quote(Feedback._meta.db_table),
        "retailer": quote(Retailer._meta.db_table),
        "employee": quote(Employee._meta.db_table),
    }


def listed_where(*, user, status="", kind="", overdue=False, now=None) -> tuple[str, list] | None:
    """The desk list's rule (`selectors.feedback_filtered`'s) as a condition on `f`, with its
    parameters; None for no item."""
    where = visible_where(user)
    if where is None:
        return None
    conditions, params = [where[0]], list(where[1])
    if status:
        conditions.append("f.status = %s")
        params.append(status)
    if kind:
        conditions.append("f.kind = %s")
        params.append(kind)
    if overdue:
        conditions.append("f.called_back_at IS NULL AND f.callback_due_at <= %s")
        params.append(connection.ops.adapt_datetimefield_value(now or timezone.now()))
    return " AND ".join(conditions), params


class FeedbackRows(PagedRows):
    """The desk's list as a Paginator's list: for a slice, one statement giving dictionaries of
    `FIELDS`; the most overdue first when `overdue`, else the newest first. Its length is asked
    apart, unless given as `total` (`desk_figures` reads it)."""

    fields = FIELDS
    rows_sql = ROWS
    counted = False

    def __init__(self, *, user, status="", kind="", overdue=False, now=None):
        self.overdue = overdue
        where = listed_where(user=user, status=status, kind=kind, overdue=overdue, now=now)
        if where is None:
            super().__init__(None)
            return
        # Quoted names and placeholders only.
        super().__init__(SOURCE.format(**_names(), where=where[0]), where[1])

    def statement(self) -> tuple[str, list]:
        order = "f.callback_due_at, f.id" if self.overdue else "f.submitted_at DESC, f.id DESC"
        return ROWS.format(source=self.source, order=order), self.params  # placeholders only

    def converted(self, row: tuple) -> tuple:
        return (*row[:5], _datetime(row[5]), _datetime(row[6]), row[7])


def _month(value):
    """A month's start as TruncMonth gives it: aware, in the current time zone."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value.replace(tzinfo=None))


def months_since(now, months: int) -> datetime:
    """The start (local time) of the first of the `months` months up to `now`'s."""
    return (timezone.localtime(now) - timedelta(days=31 * (months - 1))).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )


@dataclass(frozen=True)
class DeskFigures:
    overdue_by_manager: list[dict]  # `selectors.overdue_by_account_manager`
    rates: list[dict]  # `selectors.callback_rates_by_month`
    count: int  # the length of the list asked for (`listed`)
    read_at: datetime | None = None  # the moment they were read for
    # When the next call-back not made falls due after `read_at` (None: none is pending): the
    # figures hold until then, if nothing changes meanwhile.
    until: datetime | None = None
    heads: bool | None = None  # whether the user heads the sales department, when read here

    def hold_at(self, now) -> bool:
        """Whether the figures are those of `now` (nothing changed since they were read)."""
        return (
            self.read_at is not None
            and self.read_at <= now
            and (self.until is None or now < self.until)
        )


NO_FIGURES = DeskFigures([], [], 0)


def desk_figures(*, user, months=12, now=None, listed=None) -> DeskFigures:
    """`selectors.overdue_by_account_manager(user=user, now=now)`,
    `selectors.callback_rates_by_month(user=user, months=months, now=now)` and the length of
    the list whose rule is `listed` (`listed_where`; 0 when not given), in one statement;
    whether the user heads the sales department, when the request does not know it yet, is read
    in the same statement and kept for the request (`permissions.sales_department_head_note`)."""
    now = now or timezone.now()
    visible = visible_where(user)
    heads = _heads_where(user)
    if visible is None:
        return DeskFigures([], [], 0, read_at=now)
    since = months_since(now, months)
    ops = connection.ops
    month, month_params = ops.datetime_trunc_sql(
        "month", "f.submitted_at", (), timezone.get_current_timezone_name()
    )
    where, where_params = visible
    moment, since = ops.adapt_datetimefield_value(now), ops.adapt_datetimefield_value(since)
    heads_sql = FIGURES_HEADS.format(heads=heads[0]) if heads is not None else ""
    listed_sql, listed_params = listed if listed is not None else ("1 = 0", [])
    # Quoted names and placeholders only.
    sql = FIGURES.format(**_names(), where=where, month=month, heads=heads_sql, listed=listed_sql)
    params = [*where_params, moment, *month_params, *where_params, since, moment]
    if heads is not None:
        params += heads[1]
    params += [*listed_params, moment]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    overdue, rates = [], []
    count, until, head = 0, None, None
    for part, manager_id, name, month_start, total, on_time, next_due in rows:
        if part == 3:
            count, until = total, _datetime(next_due)
        elif part == 2:
            head = bool(total)
            sales_department_head_note(user, head)
        elif part == 0:
            overdue.append(
                {"assigned_to_id": manager_id, "assigned_to__name": name, "overdue": total}
            )
        else:
            on_time = int(on_time)
            rates.append(
                {
                    "month": _month(month_start),
                    "total": total,
                    "on_time": on_time,
                    "rate": round(100 * on_time / total, 1) if total else None,
                }
            )
    return DeskFigures(overdue, rates, count, read_at=now, until=until, heads=head)
