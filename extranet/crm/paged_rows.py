"""One base for the lists read with a written-out statement a page at a time (issue 18): the
paginator's count and, for a slice, one statement giving dictionaries of the list's fields.

Each reader names the selector it mirrors in its own module and keeps its rule there (the
WHERE clause); this base only runs the statements."""

from datetime import UTC

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def datetime_column(value):
    """A datetime column of a written-out statement: SQLite gives its text (in a subquery) or a
    naive datetime (UTC), PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def date_column(value):
    """A date column of a written-out statement: SQLite may give its text."""
    return parse_date(value) if isinstance(value, str) else value


class PagedRows:
    """A written-out list as a Paginator's list. `source` is the statement's FROM … WHERE
    (quoted names and placeholders only) with `params`, or None for a reader who may see none;
    a subclass gives `fields`, `rows_sql` (with `{source}` and a final LIMIT %s OFFSET %s) and,
    where a column needs it, `converted` (SQLite gives text or naive values where PostgreSQL
    gives typed ones)."""

    fields: tuple[str, ...] = ()
    rows_sql = ""

    def __init__(self, source: str | None, params: list | None = None):
        self.source, self.params = source, list(params or [])

    def count(self) -> int:
        if self.source is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {self.source}", self.params)  # noqa: S608
            return cursor.fetchone()[0]

    def statement(self) -> tuple[str, list]:
        """The rows' statement before its LIMIT and OFFSET values, with the parameters that
        follow the WHERE clause's."""
        return self.rows_sql.format(source=self.source), []  # placeholders only

    def converted(self, row: tuple) -> tuple:
        return row

    def __getitem__(self, index: slice) -> list[dict]:
        start, stop = index.start or 0, index.stop
        if self.source is None or stop <= start:
            return []
        sql, more = self.statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, *more, stop - start, start])
            rows = cursor.fetchall()
        fields = self.fields
        return [dict(zip(fields, self.converted(row), strict=True)) for row in rows]
