"""One base for the lists read with a written-out statement a page at a time (issue 18): one
statement giving a page's dictionaries of the list's fields and the list's length, the
paginator's count asked apart only when the page has no rows.

Each reader names the selector it mirrors in its own module and keeps its rule there (the
WHERE clause); this base only runs the statements."""

from datetime import UTC

from django.core.paginator import Page, Paginator
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
    a subclass gives `fields`, `rows_sql` (with `{source}`, the list's columns followed by
    `COUNT(*) OVER ()` and a final LIMIT %s OFFSET %s) and, where a column needs it,
    `converted` (SQLite gives text or naive values where PostgreSQL gives typed ones).

    `page(number, per_page)` is `Paginator(rows, per_page).get_page(number)` with the page's
    rows and the count read in one statement (the count a window over the whole list): the
    paginator's separate count is asked only when that page has no rows (an empty list, a
    page past the last), and then answers as it always did.

    A reader that knows the list's length from elsewhere (kept in the cache) sets
    `counted = False`, leaves the count out of `rows_sql` and gives the length as `total`
    before asking for a page; without `total`, `count()` asks it apart."""

    fields: tuple[str, ...] = ()
    rows_sql = ""
    counted = True  # whether `rows_sql`'s last column is the list's length

    def __init__(self, source: str | None, params: list | None = None):
        self.source, self.params = source, list(params or [])
        self.total: int | None = None
        self.read: tuple[int, list[dict]] | None = None  # (start, rows) read with the count

    def count(self) -> int:
        if self.source is None:
            return 0
        if self.total is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) {self.source}", self.params)  # noqa: S608
                self.total = cursor.fetchone()[0]
        return self.total

    def statement(self) -> tuple[str, list]:
        """The rows' statement and its parameters before its LIMIT and OFFSET values."""
        return self.rows_sql.format(source=self.source), self.params  # placeholders only

    def statement_for(self, start: int, stop: int) -> tuple[str, list]:
        """The rows' statement and all its parameters for the rows from `start` to `stop`."""
        sql, params = self.statement()
        return sql, [*params, stop - start, start]

    def converted(self, row: tuple) -> tuple:
        return row

    def _rows(self, start: int, stop: int) -> tuple[list[dict], int | None]:
        """The rows from `start` to `stop` and the length of the whole list (None when no row
        came, or when the statement does not count)."""
        sql, params = self.statement_for(start, stop)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        fields, converted = self.fields, self.converted
        if not self.counted:
            return [dict(zip(fields, converted(row), strict=True)) for row in rows], None
        return (
            [dict(zip(fields, converted(row[:-1]), strict=True)) for row in rows],
            rows[0][-1] if rows else None,
        )

    def page(self, number, per_page: int) -> Page:
        """`Paginator(self, per_page).get_page(number)`, one statement when the page has rows."""
        wanted = page_number(number)
        start = (wanted - 1) * per_page if wanted is not None else None
        # An offset past a bigint's range is left to the paginator (no such page).
        if start is not None and start + per_page < 2**63 and self.source is not None:
            rows, total = self._rows(start, start + per_page)
            if rows:
                self.read = (start, rows)
                if total is not None:
                    self.total = total
        return Paginator(self, per_page).get_page(number)

    def __getitem__(self, index: slice) -> list[dict]:
        start, stop = index.start or 0, index.stop
        if self.source is None or stop <= start:
            return []
        if self.read is not None and self.read[0] == start and stop - start <= len(self.read[1]):
            return self.read[1][: stop - start]
        return self._rows(start, stop)[0]


def page_number(number) -> int | None:
    """The page `Paginator.get_page(number)` gives when it exists: the number as the paginator
    reads it, page 1 for what is no integer; None below 1 (the last page, unknown before the
    count)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        wanted = int(number)
    except (TypeError, ValueError):
        return 1
    return wanted if wanted >= 1 else None
