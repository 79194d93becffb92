"""A board's list of notices: one page of the notices a reader may read, with their total (for
the paginator), in written-out SQL statements.

`notices_visible_to` (selectors) stays the one description of who reads which notice; the
WHERE here is the same rule written out (live; addressed to all staff or to the reader's
department or its parent; or on a board the reader publishes on; everything live for a
superuser), with `board_listing`'s filters (children of the board, listed unless the archive is
asked for, year, month, words of the title or body). Building the ORM's query, its count and its
page was most of the board page's CPU. tests/integration/bulletins/test_board_listing.py checks
that both give the same notices, in the same order, for every kind of reader.

Counting and ordering a board's thousands of notices (a channel's, at the full scale) for every
page was most of the board page's database time: the whole list's order (ids) is kept in the
cache for each audience (readers who read the same notices of the board: `audience_of`) under
the notices' and the boards' generations, and only until the first of its notices' expiry
time; a page is then one query for its twenty rows, which still meet the list's conditions
(or the kept order is forgotten and the page read as before). A list filtered by year or
words is read with its count in one statement.
"""

from datetime import datetime

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.utils import timezone

from bulletins.models import Acknowledgement, Notice
from bulletins.permissions import managed_boards

# A board's list in its order (ids) for one audience, kept under the notices' and the boards'
# generations (`NOTICES_GENERATION`, `BOARDS_GENERATION`): counting and ordering a board's
# thousands of notices for every page was most of the board page's database time.
KEPT_KEY = "bulletins:board-order:{}:{}:{}:{}:{}:{}"
KEPT_SECONDS = 3600

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


def audience_of(*, board, user, department_ids) -> str | None:
    """Which notices of `board` `user` may read, as a name shared by every reader who reads the
    same ones: "all" (a superuser, or an editor of the board: every live notice), or the
    departments a notice may address to reach them ("d" and their ids; "d" alone for all-staff
    notices only). None for a reader who reads none. `notices_visible_to`'s rule: the boards
    an editor publishes on count only when the board is one of them or below one."""
    if not user.is_authenticated or not user.is_employee:
        return None
    if user.is_superuser or board.path.startswith(tuple(managed_boards(user).values())):
        return "all"
    return "d" + "-".join(str(department_id) for department_id in department_ids)


def audience_sql(audience: str, q) -> tuple[str, list]:
    """The condition on `n` (notices) and `p` (their pages) of the notices readers of
    `audience` (`audience_of`) may read, with its parameters."""
    if audience == "all":
        return "p.live = %s", [True]
    department_ids = [int(part) for part in audience[1:].split("-") if part]
    links = q(Notice.audience_departments.through._meta.db_table)
    allowed = ["n.audience_all = %s"]
    params: list = [True]
    if department_ids:
        placeholders = ", ".join(["%s"] * len(department_ids))
        allowed.append(
            f"EXISTS (SELECT 1 FROM {links} a WHERE a.notice_id = n.page_ptr_id"  # noqa: S608
            f" AND a.department_id IN ({placeholders}))"
        )
        params += department_ids
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
    length is their number, a slice is a page of rows (dicts of `COLUMNS`).

    Given the `generations` (`NOTICES_GENERATION`'s and `BOARDS_GENERATION`'s values, read
    before the database), a list not filtered by year or words is read in the order kept for
    the reader's audience (`kept_ids`): its length is the kept order's, a page is one query for
    its rows. Otherwise `fetch(offset)` reads the page at `offset` and the total in one query;
    a length or a slice it did not read costs one query more."""

    def __init__(
        self,
        *,
        board,
        user,
        department_ids,
        per_page,
        year=None,
        month=None,
        q="",
        archive=False,
        generations=None,
    ):
        self.connection = connections[Notice.objects.db]
        quote = self.connection.ops.quote_name
        self.per_page = per_page
        self.user_id = user.pk
        audience = audience_of(board=board, user=user, department_ids=department_ids)
        self.none = audience is None
        conditions = ["p.path LIKE %s", "p.depth = %s"]
        params = [f"{board.path}%", board.depth + 1]
        if audience is not None:
            visibility, visibility_params = audience_sql(audience, quote)
            conditions.append(visibility)
            params += visibility_params
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
        self.archive = archive
        self.order = (
            "p.first_published_at DESC, n.page_ptr_id DESC"
            if archive
            else "n.pinned DESC, p.first_published_at DESC, n.page_ptr_id DESC"
        )
        self.kept_key = None
        if generations is not None and audience is not None and not year and not q:
            listed = "archive" if archive else "listed"
            self.kept_key = KEPT_KEY.format(*generations, board.pk, board.path, audience, listed)
        self.ids = None
        self.total = 0 if self.none else None
        self.offset = None
        self.rows = []

    def kept_ids(self) -> list[int]:
        """The ids of the whole list in its order, kept in the cache under `kept_key` (which
        holds the generations, the board and the audience) until the first of its notices
        leaves the list at its expiry time; read in one query when not kept."""
        found = cache.get(self.kept_key)
        if found is not None:
            ids, until = found
            if until is None or timezone.now() < until:
                return ids
        sql = f"SELECT n.page_ptr_id, n.expires_at{self.tables}{self.where} ORDER BY {self.order}"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            fetched = cursor.fetchall()
        ids = [pk for pk, _expires_at in fetched]
        until = None
        if not self.archive:  # the archive keeps expired notices: nothing leaves it by time
            expiries = [self._time(expires) for _pk, expires in fetched if expires is not None]
            until = min(expiries, default=None)
        cache.set(self.kept_key, (ids, until), KEPT_SECONDS)
        return ids

    def _time(self, value):
        # SQLite gives the time as it is stored (naive, UTC): read it as the ORM reads it.
        convert = getattr(self.connection.ops, "convert_datetimefield_value", None)
        return convert(value, None, self.connection) if convert is not None else value

    def _row(self, pk, slug, title, pinned, must_acknowledge, published, acknowledged) -> dict:
        return {
            "pk": pk,
            "slug": slug,
            "title": title,
            "pinned": bool(pinned),
            "must_acknowledge": bool(must_acknowledge),
            "first_published_at": self._time(published),
            "acknowledged": bool(acknowledged),
        }

    def _select(self) -> str:
        return (
            "SELECT n.page_ptr_id, p.slug, p.title, n.pinned, n.must_acknowledge,"  # noqa: S608
            " p.first_published_at,"  # names and placeholders only
            f" EXISTS (SELECT 1 FROM {self.acknowledgements} k"
            " WHERE k.notice_id = n.page_ptr_id AND k.user_id = %s)"
        )

    def _kept_rows(self, ids: list[int]) -> list[dict] | None:
        """The rows of `ids` (a page of the kept order) in that order, read under the list's
        conditions; None if one of them no longer meets them."""
        placeholders = ", ".join(["%s"] * len(ids))
        sql = f"{self._select()}{self.tables}{self.where} AND n.page_ptr_id IN ({placeholders})"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self.user_id, *self.params, *ids])
            fetched = {row[0]: row for row in cursor.fetchall()}
        if len(fetched) != len(ids):
            return None
        return [self._row(*fetched[pk]) for pk in ids]

    def fetch(self, offset: int) -> None:
        """Read the page at `offset`: from the kept order when it is read, else with the total
        (unknown when the page is past the end)."""
        self.offset, self.rows = offset, []
        if self.none:
            return
        if self.ids is not None:
            wanted = self.ids[offset : offset + self.per_page]
            rows = self._kept_rows(wanted) if wanted else []
            if rows is not None:
                self.rows = rows
                return
            # A notice of the page is gone from the list (or no longer the reader's) and its
            # generation not yet new: the kept order is forgotten, the page read with its count.
            cache.delete(self.kept_key)
            self.ids, self.total = None, None
        sql = (
            f"{self._select()}, COUNT(*) OVER (){self.tables}{self.where}"  # noqa: S608
            f" ORDER BY {self.order} LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self.user_id, *self.params, self.per_page, offset])
            fetched = cursor.fetchall()
        if not fetched:
            return
        self.total = fetched[0][-1]
        self.rows = [self._row(*row[:-1]) for row in fetched]

    def page(self, number):
        """The paginator's page `number` (as `Paginator.get_page` reads it), the page asked for
        read with the total (or the kept order) before the paginator asks for either."""
        number = str(number or 1)
        if self.kept_key is not None:
            self.ids = self.kept_ids()
            self.total = len(self.ids)
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
