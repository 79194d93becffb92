"""The acknowledgement report's list of people, a page at a time, in one written-out SQL
statement.

`report_people` (bulletins.acknowledgements) stays the one description of who is listed: the
notice's audience (`notice_audience_users`' active employees, addressed by their department or
its parent unless the notice is for all staff), of one department or all, everyone or those who
have (or have not yet) acknowledged the notice (read it, when it does not ask for
acknowledgement), ordered by department and name. The WHERE and ORDER BY here are that rule
written out, as `_report_counts_sql` writes out the counts (building the ORM's query was a fifth
of the report page's CPU); a page reads only the departments it falls in, known from those
counts. tests/integration/bulletins/test_report_people.py checks that both list the same people
in the same order, for every filter.
"""

from django.core.cache import cache
from django.db import connections

from bulletins.acknowledgements import REPORT_KEPT_SECONDS
from bulletins.models import Acknowledgement, Notice, NoticeRead
from bulletins.selectors import AudienceLink
from portal.models import Department, Employee, User


class ReportPeopleRows:
    """The people `report_people(notice=…, department_id=…, show=…)` lists, as a sequence for a
    `Paginator` whose length is known (`count`, from the report's department counts): a slice
    is a page of rows, dicts of name, department_id, read_at and acknowledged_at (None when
    not yet), read in one query.

    Given how many it lists of each department (`departments`: (id, how many), in the report's
    order, which is the list's), a page reads only the departments it falls in (a few hundred
    people) rather than ordering the whole audience (5,000 at the full scale) to skip to it.
    Given `kept_key` (`acknowledgements.report_key`'s, under which those counts were read), a
    page is kept in the cache under it."""

    def __init__(
        self,
        *,
        notice: Notice,
        count: int,
        department_id=None,
        show: str = "",
        departments: list[tuple[int, int]] | None = None,
        kept_key: str | None = None,
    ):
        self.connection = connections[Employee.objects.db]
        q = self.connection.ops.quote_name
        self.count = count
        self.kept = None
        if kept_key is not None:
            self.kept = f"{kept_key}:people:{department_id}:{show}"
        self.departments = departments
        if department_id is not None and departments is not None:
            self.departments = [(pk, listed) for pk, listed in departments if pk == department_id]
        read_at = (
            f"(SELECT r.read_at FROM {q(NoticeRead._meta.db_table)} r"  # noqa: S608
            " WHERE r.notice_id = %s AND r.user_id = e.user_id LIMIT 1)"
        )
        acknowledged_at = (
            f"(SELECT a.acknowledged_at FROM {q(Acknowledgement._meta.db_table)} a"  # noqa: S608
            " WHERE a.notice_id = %s AND a.user_id = e.user_id LIMIT 1)"
        )
        conditions = ["u.is_active = %s", "u.kind = %s"]
        params: list = [True, User.Kind.EMPLOYEE.value]
        if not notice.audience_all:
            addressed = (
                f"SELECT l.department_id FROM {q(AudienceLink._meta.db_table)} l"  # noqa: S608
                " WHERE l.notice_id = %s"
            )
            conditions.append(f"(e.department_id IN ({addressed}) OR d.parent_id IN ({addressed}))")
            params += [notice.pk, notice.pk]
        if department_id is not None:
            conditions.append("e.department_id = %s")
            params.append(department_id)
        if show in ("done", "pending"):
            done = acknowledged_at if notice.must_acknowledge else read_at
            conditions.append(f"{done} IS {'NOT NULL' if show == 'done' else 'NULL'}")
            params.append(notice.pk)
        self.select = (
            f"SELECT e.name, e.department_id, {read_at}, {acknowledged_at}"  # noqa: S608
            f" FROM {q(Employee._meta.db_table)} e"
            f" INNER JOIN {q(User._meta.db_table)} u ON u.id = e.user_id"
            f" INNER JOIN {q(Department._meta.db_table)} d ON d.id = e.department_id"
            f" WHERE {' AND '.join(conditions)}"
        )
        self.order = (
            " ORDER BY d.sort_order ASC, d.name ASC, d.id ASC, e.name_pinyin ASC, e.id ASC"
            " LIMIT %s OFFSET %s"
        )
        self.params = [notice.pk, notice.pk, *params]

    def _within(self, start: int, stop: int) -> tuple[list[int], int]:
        """The departments rows `start` to `stop` fall in, and how many rows come before the
        first of them."""
        spanned, before, seen = [], 0, 0
        for department_id, listed in self.departments:
            if seen + listed > start and seen < stop:
                if not spanned:
                    before = seen
                spanned.append(department_id)
            seen += listed
        return spanned, before

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.stop is None:
            raise TypeError("ReportPeopleRows is read by pages")
        start = index.start or 0
        if self.kept is None:
            return self._read(start, index.stop)
        key = f"{self.kept}:{start}:{index.stop}"
        rows = cache.get(key)
        if rows is None:
            rows = self._read(start, index.stop)
            cache.set(key, rows, REPORT_KEPT_SECONDS)
        return rows

    def _read(self, start: int, stop: int) -> list[dict]:
        sql, params, offset = self.select, self.params, start
        if self.departments is not None:
            spanned, before = self._within(start, stop)
            if not spanned:
                return []
            placeholders = ", ".join(["%s"] * len(spanned))
            sql = f"{sql} AND e.department_id IN ({placeholders})"
            params, offset = [*params, *spanned], start - before
        with self.connection.cursor() as cursor:
            cursor.execute(sql + self.order, [*params, stop - start, offset])
            fetched = cursor.fetchall()
        # SQLite gives times as stored (naive, UTC): read them as the ORM reads them.
        convert = getattr(self.connection.ops, "convert_datetimefield_value", None)
        rows = []
        for name, department_id, read_at, acknowledged_at in fetched:
            if convert is not None:
                read_at = convert(read_at, None, self.connection)
                acknowledged_at = convert(acknowledged_at, None, self.connection)
            rows.append(
                {
                    "name": name,
                    "department_id": department_id,
                    "read_at": read_at,
                    "acknowledged_at": acknowledged_at,
                }
            )
        return rows
