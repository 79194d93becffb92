"""A board's list of notices: one page of the notices a reader may read, read with their total
(for the paginator) in one written-out SQL statement.

`notices_visible_to` (selectors) stays the one description of who reads which notice; the
WHERE here is the same rule written out (live; addressed to all staff or to the reader's
department or its parent; or on a board the reader publishes on; everything live for a
superuser), with `board_listing`'s filters (children of the board, listed unless the archive is
asked for, year, month, words of the title or body). Building the ORM's query, its count and its
page was most of the board page's CPU. tests/integration/bulletins/test_board_listing.py checks
that both give the same notices, in the same order, for every kind of reader.
"""

from datetime import datetime

from django.core.paginator import Paginator
from django.db import connections
from django.utils import timezone

from bulletins.models import Acknowledgement, Notice
from bulletins.permissions import managed_boards

# What each row of a page holds (the order of the SELECT below); `acknowledged` is whether the
# reader acknowledged the notice.
COLUMNS = (
    "pk",
    "slug",
    "title",
    "pinned",
    "must_acknowledge",
    "first_published_at",
    "acknowledged",
)


def visibility_sql(user, department_ids, q) -> tuple[str, list] | None:
    """The condition on `n` (notices) and `p` (their pages) of the notices `user` may read,
    with its parameters: `notices_visible_to`'s rule. None for a reader who reads none."""
    if not user.is_authenticated or not user.is_employee:
        return None
    if user.is_superuser:
        return "p.live = %s", [True]
    links = q(Notice.audience_departments.through._meta.db_table)
    allowed = ["n.audience_all = %s"]
    params: list = [True]
    if department_ids:
        placeholders = ", ".join(["%s"] * len(department_ids))
        allowed.append(
            f"EXISTS (SELECT 1 FROM {links} a WHERE a.notice_id = n.page_ptr_id"  # noqa: S608
            f" AND a.department_id IN ({placeholders}))"
        )
        params += list(department_ids)
    for path in managed_boards(user).values():
        allowed.append("p.path LIKE %s")
        params.append(f"{path}%")
    return f"p.live = %s AND ({' OR '.join(allowed)})", [True, *params]


def _month_start(year: int, month: int) -> datetime:
    return timezone.make_aware(datetime(year, month, 1))  # noqa: DTZ001 - made aware here


def filters_sql(*, year=None, month=None, q="", archive=False, connection) -> tuple[str, list]:
    """`board_listing`'s filters on `n` and `p`, written out. A year (and month) is the range
    of times that fall in it in the current time zone, as Django's `__year` and `__month`
    lookups decide."""
    # Times as the ORM passes them (SQLite compares naive UTC text).
    adapt = connection.ops.adapt_datetimefield_value
    conditions, params = [], []
    if not archive:
        conditions.append("(n.expires_at IS NULL OR n.expires_at > %s)")
        params.append(adapt(timezone.now()))
    if year:
        if month:
            start = _month_start(year, month)
            end = _month_start(year + month // 12, month % 12 + 1)
        else:
            start, end = _month_start(year, 1), _month_start(year + 1, 1)
        conditions.append("p.first_published_at >= %s AND p.first_published_at < %s")
        params += [adapt(start), adapt(end)]
    if q:
        # `icontains` as the ORM writes it on this database.
        pattern = f"%{connection.ops.prep_for_like_query(q)}%"
        contains = connection.operators["icontains"] % "%s"
        title = connection.ops.lookup_cast("icontains", "CharField") % "p.title"
        body = connection.ops.lookup_cast("icontains", "TextField") % "n.body"
        conditions.append(f"({title} {contains} OR {body} {contains})")
        params += [pattern, pattern]
    return " AND ".join(conditions), params


class BoardNoticeRows:
    """The notices of `board` that `user` may read under the filters, in the board's order
    (pinned first unless in the archive, newest next), as a sequence for a `Paginator`: its
    length is their number, a slice is a page of rows (dicts of `COLUMNS`). `fetch(offset)`
    reads the page at `offset` and the total in one query; a length or a slice it did not read
    costs one query more."""

    def __init__(
        self, *, board, user, department_ids, per_page, year=None, month=None, q="", archive=False
    ):
        self.connection = connections[Notice.objects.db]
        quote = self.connection.ops.quote_name
        self.per_page = per_page
        self.user_id = user.pk
        visibility = visibility_sql(user, department_ids, quote)
        self.none = visibility is None
        conditions = ["p.path LIKE %s", "p.depth = %s"]
        params = [f"{board.path}%", board.depth + 1]
        if visibility is not None:
            conditions.append(visibility[0])
            params += visibility[1]
        filters, filter_params = filters_sql(
            year=year, month=month, q=q, archive=archive, connection=self.connection
        )
        if filters:
            conditions.append(filters)
            params += filter_params
        self.where = " WHERE " + " AND ".join(conditions)
        self.params = params
        self.tables = (
            f" FROM {quote(Notice._meta.db_table)} n"
            f" INNER JOIN {quote(Notice._meta.pk.related_model._meta.db_table)} p"
            " ON p.id = n.page_ptr_id"
        )
        self.acknowledgements = quote(Acknowledgement._meta.db_table)
        self.order = (
            "p.first_published_at DESC, n.page_ptr_id DESC"
            if archive
            else "n.pinned DESC, p.first_published_at DESC, n.page_ptr_id DESC"
        )
        self.total = 0 if self.none else None
        self.offset = None
        self.rows = []

    def fetch(self, offset: int) -> None:
        """Read the page at `offset` with the total (unknown when the page is past the end)."""
        self.offset, self.rows = offset, []
        if self.none:
            return
        sql = (
            "SELECT n.page_ptr_id, p.slug, p.title, n.pinned, n.must_acknowledge,"  # noqa: S608
            " p.first_published_at,"  # names and placeholders only
            f" EXISTS (SELECT 1 FROM {self.acknowledgements} k"
            " WHERE k.notice_id = n.page_ptr_id AND k.user_id = %s),"
            f" COUNT(*) OVER (){self.tables}{self.where}"
            f" ORDER BY {self.order} LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self.user_id, *self.params, self.per_page, offset])
            fetched = cursor.fetchall()
        if not fetched:
            return
        self.total = fetched[0][-1]
        # SQLite gives the time as it is stored (naive, UTC): read it as the ORM reads it.
        convert = getattr(self.connection.ops, "convert_datetimefield_value", None)
        for pk, slug, title, pinned, must_acknowledge, published, acknowledged, _total in fetched:
            if convert is not None:
                published = convert(published, None, self.connection)
            self.rows.append(
                {
                    "pk": pk,
                    "slug": slug,
                    "title": title,
                    "pinned": bool(pinned),
                    "must_acknowledge": bool(must_acknowledge),
                    "first_published_at": published,
                    "acknowledged": bool(acknowledged),
                }
            )

    def page(self, number):
        """The paginator's page `number` (as `Paginator.get_page` reads it), the page asked for
        read with the total before the paginator asks for either."""
        number = str(number or 1)
        self.fetch(self.per_page * (int(number) - 1) if number.isdigit() and int(number) else 0)
        return Paginator(self, self.per_page).get_page(number)

    def __len__(self) -> int:
        if self.total is None:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*){self.tables}{self.where}", self.params)  # noqa: S608
                self.total = cursor.fetchone()[0]
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("BoardNoticeRows is read by pages")
        start = index.start or 0
        if start != self.offset:
            self.fetch(start)
        return self.rows[: (index.stop - start) if index.stop is not None else None]
