"""The directory's reads written out as SQL: one statement per page instead of the ORM's two or
three (a count, the rows, the head), each of which cost more to build and compile than to run.

Every statement here mirrors an ORM selector, which stays the reference (the exports use it, and
the tests check that both give the same rows for every role):

* `employees_visible_to_sql` is `portal.search.visibility.employees_visible_to`: colleagues are
  listed to employees on the intranet, never someone whose account is deactivated, and retailers
  (or anyone else) see nobody.
* `directory_search_rows` is `portal.directory.selectors.directory_search` (the same matching,
  rank and order), narrowed by that rule.
* `department_members_rows` is `department_page`'s members (`directory_people` of a department,
  in the Employee model's order) and its head; `department_rows` the departments with the
  number of their active members (`department_tree`'s and `department_page`'s head counts).

Rows come back as `DirectoryRow` tuples, which `templatetags.directory.person_rows` writes out.
Only models' table and column names are formatted into the SQL; every value is a parameter.

At 5,000 employees what costs is reading the accounts (for the active flag and the email): no
statement joins them. The active flag is "not among the deactivated accounts" (a partial
index), the email is read for the rows a page shows only, and the search, whose plan depends
on the query's pattern, is planned for its values each time (`planned_for_its_values`).
"""

from contextlib import contextmanager
from functools import lru_cache
from typing import NamedTuple

from django.db import connection

from portal.models import Department, Employee, Position, User
from portal.names import in_reader_language

# Above any code point: `x >= v AND x < v || TOP` is "x starts with v" in binary collation.
TOP = "\U0010ffff"


class DirectoryRow(NamedTuple):
    """What a directory row shows of a colleague, names of both languages included."""

    pk: int
    name: str
    name_pinyin: str
    department_name: str
    department_name_en: str
    position_name: str | None
    position_name_en: str | None
    email: str
    phone: str
    extension: str
    office: str
    department_id: int
    rank: int = 0

    @property
    def department_display(self) -> str:
        return in_reader_language(self.department_name, self.department_name_en)

    @property
    def position_display(self) -> str:
        return in_reader_language(self.position_name or "", self.position_name_en or "")


_COLUMN_COUNT = len(DirectoryRow._fields) - 1  # all but the rank


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@lru_cache(maxsize=4)
def _tables(vendor: str) -> dict:
    """Table names and the select lists and joins every statement shares."""
    del vendor  # the cache key: quoting is the vendor's
    q = _quote
    employee, user = Employee._meta, User._meta
    names = {
        "employee": q(employee.db_table),
        "user": q(user.db_table),
        "department": q(Department._meta.db_table),
        "position": q(Position._meta.db_table),
    }
    # A row's email is read by a subquery on the account's primary key, once for each row
    # shown: joining the accounts instead makes PostgreSQL hash all of them (thousands) for
    # the few dozen rows a page shows.
    email = f"(SELECT a.email FROM {names['user']} a WHERE a.id = {{0}}.user_id)"  # noqa: S608 (a table name)
    names["columns"] = (
        "e.id, e.name, e.name_pinyin, d.name, d.name_en, p.name, p.name_en,"
        f" {email.format('e')}, e.phone, e.extension, e.office, e.department_id"
    )
    # The same columns in two steps, for a statement that picks a page of rows first and
    # reads the emails of that page only: `inner_columns` (the account's id for the email,
    # named so that the outer query can tell the names apart), then `outer_columns` on `x`.
    names["inner_columns"] = (
        "e.id, e.name, e.name_pinyin, d.name AS department_name,"
        " d.name_en AS department_name_en, p.name AS position_name,"
        " p.name_en AS position_name_en, e.user_id, e.phone, e.extension, e.office,"
        " e.department_id"
    )
    names["outer_columns"] = (
        "x.id, x.name, x.name_pinyin, x.department_name, x.department_name_en,"
        f" x.position_name, x.position_name_en, {email.format('x')}, x.phone, x.extension,"
        " x.office, x.department_id"
    )
    # The search's page of rows, without the department and position: their names come from
    # the directory's cached copy (`selectors._directory_names`), which the search reads anyway.
    names["search_inner_columns"] = (
        "e.id, e.name, e.name_pinyin, e.department_id, e.position_id, e.user_id, e.phone,"
        " e.extension, e.office"
    )
    names["search_outer_columns"] = (
        "x.id, x.name, x.name_pinyin, x.department_id, x.position_id,"
        f" {email.format('x')}, x.phone, x.extension, x.office"
    )
    names["joins"] = (
        f"{names['employee']} e"
        f" INNER JOIN {names['department']} d ON d.id = e.department_id"
        f" LEFT OUTER JOIN {names['position']} p ON p.id = e.position_id"
    )
    return names


def employees_visible_to_sql(*, user, face: str, alias: str = "e") -> str | None:
    """`employees_visible_to` as a condition on the employee row `alias`, or None when `user`
    may see nobody on `face` (a retailer, a visitor, the extranet), so that the caller runs no
    query at all, as the ORM's `.none()` does.

    "The account is active" is written as "the account is not among the deactivated ones":
    every employee has an account (a NOT NULL foreign key), so the two are the same, and the
    deactivated accounts are a few rows of a partial index (`portal_user_inactive`), where
    joining the accounts to read their flag costs a pass over all of them."""
    if face != "intranet" or not (user.is_authenticated and user.is_employee):
        return None
    return _active(alias)


def _active(alias: str) -> str:
    """The employee row `alias` has an active account (see `employees_visible_to_sql`)."""
    users = _tables(connection.vendor)["user"]
    return f"{alias}.user_id NOT IN (SELECT i.id FROM {users} i WHERE NOT i.is_active)"  # noqa: S608 (a table name)


def _like(column: str, lookup: str, value: str) -> tuple[str, str]:
    """`column <lookup> value` as Django writes its `startswith`/`contains` lookups on this
    database (PostgreSQL's cast, SQLite's ESCAPE clause), and the escaped pattern."""
    escaped = connection.ops.prep_for_like_query(value)
    pattern = f"{escaped}%" if lookup == "startswith" else f"%{escaped}%"
    cast = connection.ops.lookup_cast(lookup, "CharField") % column
    return f"{cast} {connection.operators[lookup] % '%s'}", pattern


def _prefix(column: str, value: str) -> tuple[str, list]:
    """`selectors._prefix`: a prefix condition an index answers on this database."""
    if connection.vendor == "postgresql":
        sql, pattern = _like(column, "startswith", value)
        return sql, [pattern]
    return f"({column} >= %s AND {column} < %s)", [value, value + TOP]


def name_grams(text: str) -> list[str]:
    """The character pairs of `text` (its character, when it has only one), as
    `portal_name_grams` lists those of a name: a name holds `text` only if its grams hold
    these."""
    if len(text) < 2:
        return [text]
    return list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))


def _search_conditions(text: str, names: dict | None = None) -> tuple[str, list, str, list]:
    """The rank expression and the matching condition of `directory_search`, both on the
    employee row `e`, each with its params.

    Every part of the match is one an index answers, so that PostgreSQL ORs the indexes'
    answers (a BitmapOr) on the employee row itself; the accounts whose email starts with the
    query are read first, into an array, so that their ids are one more index lookup in that
    OR. SQLite matches in a query of its own on the employee table (its multi-index OR), which
    the row then joins by id. `names`: the directory's cached names (read when None)."""
    from portal.directory.selectors import _CJK, BY_OTHER_DETAILS, _named

    lowered = text.lower()
    compact = lowered.replace(" ", "")
    rank_parts, rank_params = [], []
    for position, (column, lookup, value) in enumerate(
        [
            ("e.name", "exact", text),
            ("e.name", "startswith", text),
            ("e.name_pinyin_compact", "exact", compact),
            ("e.name_pinyin_compact", "startswith", compact),
            ("e.name_initials", "exact", compact),
            ("e.name_initials", "startswith", compact),
            ("e.name", "contains", text),
        ]
    ):
        if lookup == "exact":
            condition, param = f"{column} = %s", value
        else:
            condition, param = _like(column, lookup, value)
        rank_parts.append(f"WHEN {condition} THEN {position}")
        rank_params.append(param)
    rank = f"CASE {' '.join(rank_parts)} ELSE {BY_OTHER_DETAILS} END"

    postgresql = connection.vendor == "postgresql"
    row = "e" if postgresql else "m"
    matches, params = [], []
    for column, value in ((f"{row}.name", text), (f"{row}.extension", text)):
        sql, values = _prefix(column, value)
        matches.append(sql)
        params += values
    matches.append(f"{row}.employee_number IN (%s, %s)")
    params += [text, text.upper()]
    tables = _tables(connection.vendor)
    if _CJK.search(text):
        sql, pattern = _like(f"{row}.name", "contains", text)
        if postgresql:
            # Only names holding every character pair of the text (every character, for one)
            # can hold it: the name grams' index (migration 0011) answers that, LIKE checks.
            matches.append(f"({sql} AND portal_name_grams({row}.name) @> %s::text[])")
            params += [pattern, name_grams(text)]
        else:
            matches.append(sql)
            params.append(pattern)
    elif compact.isascii():
        for column in (f"{row}.name_pinyin_compact", f"{row}.name_initials"):
            sql, values = _prefix(column, compact)
            matches.append(sql)
            params += values
        sql, values = _prefix("a.email", lowered)
        accounts = f"SELECT a.id FROM {tables['user']} a WHERE {sql}"  # noqa: S608 (a table name)
        if postgresql:
            matches.append(f"e.user_id = ANY(ARRAY({accounts}))")
        else:
            matches.append(f"m.user_id IN ({accounts})")
        params += values
    departments, positions = _named(text, names)
    for column, ids in ((f"{row}.department_id", departments), (f"{row}.position_id", positions)):
        if ids:
            matches.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
            params += ids
    match = " OR ".join(matches)
    if not postgresql:
        match = f"e.id IN (SELECT m.id FROM {tables['employee']} m WHERE {match})"  # noqa: S608 (a table name)
    return rank, rank_params, f"({match})", params


@contextmanager
def planned_for_its_values(cursor):
    """Run statements on `cursor` without making them prepared statements on the server.

    The settings have PostgreSQL prepare a statement run five times on a connection; after five
    more runs it may plan a prepared statement once for any value ("generic plan") and keep that
    plan. For the search, the plan depends on the values: `name LIKE 'zhang%'` is an index range
    only when the pattern is known, and the generic plan, which cannot know it, reads every
    employee and account (4-8 ms at 5,000 employees against under 1 ms). Unprepared, the
    statement is planned for its values each time (about half a millisecond)."""
    raw = getattr(cursor.db, "connection", None)
    if connection.vendor != "postgresql" or not hasattr(raw, "prepare_threshold"):
        yield cursor
        return
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield cursor
    finally:
        raw.prepare_threshold = threshold


def _rows(sql: str, params: list) -> list[DirectoryRow]:
    """The rows of a statement selecting the shared columns (`columns`), then one more."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [DirectoryRow(*row[:_COLUMN_COUNT]) for row in fetched]


def directory_search_rows(
    *, user, query: str, face: str = "intranet", offset: int = 0, limit: int
) -> tuple[list[DirectoryRow], int | None]:
    """`directory_search` in one statement: `limit` matching colleagues from `offset`, ranked
    (`DirectoryRow.rank`), and the number of all matches (None when no row came back to carry
    it: nobody matches, or `offset` is past the last). No query when nobody may be seen or the
    query is blank. Department and position names come from the directory's cached copy."""
    from portal.directory.selectors import _directory_names

    text = " ".join(query.split())
    visible = employees_visible_to_sql(user=user, face=face)
    if not text or visible is None:
        return [], 0
    tables = _tables(connection.vendor)
    names = _directory_names()
    rank, rank_params, matches, match_params = _search_conditions(text, names)
    # The page of rows first, then the emails of that page only.
    sql = (
        f"SELECT {tables['search_outer_columns']}, x.directory_rank, x.total FROM ("  # noqa: S608 (table and column names only)
        f"SELECT {tables['search_inner_columns']}, {rank} AS directory_rank,"
        f" COUNT(*) OVER () AS total FROM {tables['employee']} e WHERE {visible} AND {matches}"
        " ORDER BY directory_rank, e.name_pinyin, e.id LIMIT %s OFFSET %s) x"
        " ORDER BY x.directory_rank, x.name_pinyin, x.id"
    )
    with connection.cursor() as cursor, planned_for_its_values(cursor):
        cursor.execute(sql, [*rank_params, *match_params, limit, offset])
        fetched = cursor.fetchall()
    return _named_rows(fetched, names), (fetched[0][-1] if fetched else None)


def _named_rows(fetched: list[tuple], names: dict) -> list[DirectoryRow]:
    """`DirectoryRow`s of the search's rows (`search_outer_columns`, the rank, the total), the
    department and position names taken from `names`. A department or position the copy does
    not know yet (made around the ORM since it was cached) renews the copy."""
    from portal.directory.selectors import _directory_names, forget_directory_names

    def by_pk(names):
        return (
            {pk: (name, name_en) for pk, name, name_en in names["departments"]},
            {pk: (name, name_en) for pk, name, name_en in names["positions"]},
        )

    departments, positions = by_pk(names)
    if any(
        row[3] not in departments or (row[4] is not None and row[4] not in positions)
        for row in fetched
    ):
        forget_directory_names()
        departments, positions = by_pk(_directory_names())
    return [
        DirectoryRow(
            pk,
            name,
            name_pinyin,
            *departments[department_id],
            *(positions[position_id] if position_id is not None else (None, None)),
            email,
            phone,
            extension,
            office,
            department_id,
            rank,
        )
        for (
            pk,
            name,
            name_pinyin,
            department_id,
            position_id,
            email,
            phone,
            extension,
            office,
            rank,
            _total,
        ) in fetched
    ]


def directory_search_count(*, user, query: str, face: str = "intranet") -> int:
    """How many colleagues `directory_search_rows` finds (for a page asked past the last)."""
    text = " ".join(query.split())
    visible = employees_visible_to_sql(user=user, face=face)
    if not text or visible is None:
        return 0
    tables = _tables(connection.vendor)
    _rank, _rank_params, matches, params = _search_conditions(text)
    sql = (
        f"SELECT COUNT(*) FROM {tables['employee']} e"  # noqa: S608 (table and column names only)
        f" WHERE {visible} AND {matches}"
    )
    with connection.cursor() as cursor, planned_for_its_values(cursor):
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


# The Employee model's order (department, position rank, pinyin), the id last so that pages
# never share or skip a row.
_MEMBER_ORDER = "d.sort_order, p.rank, e.name_pinyin, e.id"


def department_members_rows(
    *, user, department_id: int, head_id: int | None, offset: int, limit: int, face="intranet"
) -> tuple[DirectoryRow | None, list[DirectoryRow]]:
    """A department's page of members (`directory_people` of the department, in the model's
    order) from `offset`, and its head when the reader may see them, in one statement. Their
    number is the department's head count (`department_rows`), which the caller has."""
    visible = employees_visible_to_sql(user=user, face=face)
    if visible is None:
        return None, []
    tables = _tables(connection.vendor)
    # The page of members (and the head) first, then the emails of those rows only.
    sql = (
        f"SELECT {tables['outer_columns']}, x.part FROM ("  # noqa: S608 (table and column names only)
        f"SELECT * FROM (SELECT {tables['inner_columns']}, 1 AS part, p.rank AS position_rank"
        f" FROM {tables['joins']} WHERE {visible} AND e.department_id = %s"
        f" ORDER BY {_MEMBER_ORDER} LIMIT %s OFFSET %s) members"
    )
    params = [department_id, limit, offset]
    if head_id is not None:
        sql += (
            f" UNION ALL SELECT {tables['inner_columns']}, 0, 0"  # noqa: S608 (table and column names only)
            f" FROM {tables['joins']} WHERE {visible} AND e.id = %s"
        )
        params.append(head_id)
    sql += ") x ORDER BY x.part, x.position_rank, x.name_pinyin, x.id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    head, members = None, []
    for row in fetched:
        if row[_COLUMN_COUNT] == 0:
            head = DirectoryRow(*row[:_COLUMN_COUNT])
        else:
            members.append(DirectoryRow(*row[:_COLUMN_COUNT]))
    return head, members


def directory_rows(*, user, face: str = "intranet") -> list[DirectoryRow]:
    """Everyone `directory_people` lists, in the Employee model's order (the directory page
    while it lists its departments' members)."""
    visible = employees_visible_to_sql(user=user, face=face)
    if visible is None:
        return []
    tables = _tables(connection.vendor)
    sql = (
        f"SELECT {tables['columns']}, 0 FROM {tables['joins']}"  # noqa: S608 (table and column names only)
        f" WHERE {visible} ORDER BY {_MEMBER_ORDER}"
    )
    return _rows(sql, [])


_DEPARTMENT_COLUMNS = ("id", "name", "name_en", "code", "parent_id", "head_id", "sort_order")


def department_rows() -> list[tuple]:
    """Every department's columns (`_DEPARTMENT_COLUMNS`) and, last, the number of its own
    members with an active account, in the Department model's order: what the directory's
    pages show of the departments, the same for every reader who may see colleagues (one
    statement; `selectors.department_rows_kept` keeps it in the cache)."""
    tables = _tables(connection.vendor)
    columns = ", ".join(f"d.{_quote(name)}" for name in _DEPARTMENT_COLUMNS)
    sql = (
        f"SELECT {columns}, COALESCE(c.n, 0) FROM {tables['department']} d"  # noqa: S608 (table and column names only)
        " LEFT OUTER JOIN (SELECT e.department_id, COUNT(*) AS n"
        f" FROM {tables['employee']} e"
        f" WHERE {_active('e')} GROUP BY e.department_id) c ON c.department_id = d.id"
        " ORDER BY d.sort_order, d.name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [])
        return [tuple(row) for row in cursor.fetchall()]


def departments_from_rows(rows: list[tuple], *, counted: bool = True) -> list[Department]:
    """`department_rows` as Department objects, each with `head_count` (0 for all when not
    `counted`: a reader who may see nobody)."""
    departments = []
    for row in rows:
        department = Department(**dict(zip(_DEPARTMENT_COLUMNS, row, strict=False)))
        department.head_count = row[-1] if counted else 0
        departments.append(department)
    return departments


def department_with_sections(*, code: str, rows: list[tuple] | None = None) -> Department | None:
    """The department of `code` with its parent (`department_for_directory`) and its sections,
    each with `head_count`, its active members, in the Department model's order
    (`department_page`'s sections), from `department_rows` (read when `rows` is None); None when
    there is no such department. The department's `sections_listed` holds the sections."""
    departments = departments_from_rows(department_rows() if rows is None else rows)
    found = next((department for department in departments if department.code == code), None)
    if found is None:
        return None
    by_pk = {department.pk: department for department in departments}
    found.parent = by_pk.get(found.parent_id) if found.parent_id else None
    found.sections_listed = [
        department for department in departments if department.parent_id == found.pk
    ]
    return found


def departments_with_counts(*, user, face: str = "intranet") -> list[Department]:
    """Every department in the Department model's order, each with `head_count`: the number of
    its own members `directory_people` lists to `user` (`department_tree`'s two reads, the
    departments and the counts of `directory_people` grouped by department, in one)."""
    visible = employees_visible_to_sql(user=user, face=face) is not None
    return departments_from_rows(department_rows(), counted=visible)
