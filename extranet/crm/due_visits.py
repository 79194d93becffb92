"""The stores not visited this cycle, read with written-out SQL for the page that lists them
(issue 18): building the ORM's query of `selectors.retailers_not_visited` (an EXISTS per visit
cycle and three subqueries) twice, for the count and for the page, cost a third of the page's
CPU.

`NotVisitedRows` mirrors ``retailers_not_visited(user=..., today=..., manager=...)
.values(*tables.NOT_VISITED_FIELDS)``: the same stores by the same rules
(`selectors.due_a_visit_where`: who sees which stores, closed stores left out, a contact done
in the current cycle), the last contact done and the next visit planned from today, by licence
number."""

from datetime import UTC, date

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from extranet.crm.models import Retailer, Visit
from extranet.crm.selectors import due_a_visit_where, retailers_due_a_visit_count
from portal.models import Employee

ROWS = """
SELECT r.id, r.store_name, r.licence_number, r.visit_cycle, e.name,
  (SELECT v.done_at FROM {visit} v WHERE v.retailer_id = r.id AND v.done_at IS NOT NULL
   ORDER BY v.done_at DESC LIMIT 1),
  (SELECT v.id FROM {visit} v WHERE v.retailer_id = r.id AND v.done_at IS NULL
   AND v.planned_on >= %s ORDER BY v.planned_on, v.id LIMIT 1),
  (SELECT v.planned_on FROM {visit} v WHERE v.retailer_id = r.id AND v.done_at IS NULL
   AND v.planned_on >= %s ORDER BY v.planned_on, v.id LIMIT 1)
FROM {retailer} r LEFT JOIN {employee} e ON e.id = r.account_manager_id
WHERE {where}
ORDER BY r.licence_number
LIMIT %s OFFSET %s"""

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


def _datetime(value):
    """A subquery's datetime: SQLite gives its text or a naive datetime (UTC), PostgreSQL an
    aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _date(value):
    return parse_date(value) if isinstance(value, str) else value


class NotVisitedRows:
    """The stores due a visit as a Paginator's list: its count is
    `selectors.retailers_due_a_visit_count`, a slice one statement giving dictionaries of
    `FIELDS`."""

    def __init__(self, *, user, today: date, manager=None):
        self.user, self.today, self.manager = user, today, manager
        self.where = due_a_visit_where(user=user, today=today, manager=manager)

    def count(self) -> int:
        if self.where is None:
            return 0
        return retailers_due_a_visit_count(user=self.user, today=self.today, manager=self.manager)

    def __getitem__(self, index: slice) -> list[dict]:
        start, stop = index.start or 0, index.stop
        if self.where is None or stop <= start:
            return []
        conditions, params = self.where
        quote = connection.ops.quote_name
        sql = ROWS.format(  # quoted names and placeholders only
            visit=quote(Visit._meta.db_table),
            retailer=quote(Retailer._meta.db_table),
            employee=quote(Employee._meta.db_table),
            where=conditions,
        )
        with connection.cursor() as cursor:
            today = connection.ops.adapt_datefield_value(self.today)
            cursor.execute(sql, [today, today, *params, stop - start, start])
            rows = cursor.fetchall()
        return [
            dict(
                zip(
                    FIELDS,
                    (*row[:5], _datetime(row[5]), row[6], _date(row[7])),
                    strict=True,
                )
            )
            for row in rows
        ]


def retailers_not_visited_rows(*, user, today: date, manager=None) -> NotVisitedRows:
    """`selectors.retailers_not_visited(...).values(*FIELDS)` as `NotVisitedRows`."""
    return NotVisitedRows(user=user, today=today, manager=manager)
