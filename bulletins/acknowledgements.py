"""A notice's acknowledgement report: per department of its audience, how many have read and
acknowledged it (counted by the database in one statement), and who, a page at a time.

Counting a factory-wide notice's audience reads every employee (5,000 at the full scale) and
their reads: the counts, and the pages of people the report page shows, are kept in the cache
under the generations of all they are made of (`report_key`), so that they stay exact: the
notices' (`NOTICES_GENERATION`: who a notice is addressed to), the staff's (`STAFF_GENERATION`:
an employee, their user or a department saved or deleted) and the notice's responses'
(`responses_generation`: a read or an acknowledgement of it recorded)."""

from django.core.cache import cache
from django.db import connections
from django.db.models import OuterRef, Subquery

from bulletins.models import Acknowledgement, Notice, NoticeRead
from bulletins.selectors import (
    NOTICES_GENERATION,
    STAFF_GENERATION,
    AudienceLink,
    notice_audience_users,
    responses_generation,
)
from portal.generations import Generation
from portal.models import Department, Employee, User

# How long a notice's report values are kept at most (a new generation forgets them before).
REPORT_KEPT_SECONDS = 3600

# Up to this many people in a notice's audience, the report lists them all under their
# departments; beyond it, the report shows each department's counts and lists one department
# at a time (a factory-wide notice would otherwise render every employee on one page).
REPORT_INLINE_PEOPLE = 200


def _report_people(*, notice: Notice, department_id=None):
    """The audience's employees with `read_at` and `acknowledged_at` (None when not yet),
    ordered by department and name."""
    reads = NoticeRead.objects.filter(notice=notice, user_id=OuterRef("user_id"))
    acks = Acknowledgement.objects.filter(notice=notice, user_id=OuterRef("user_id"))
    employees = Employee.objects.filter(user__in=notice_audience_users(notice=notice))
    if department_id is not None:
        employees = employees.filter(department_id=department_id)
    return (
        employees.select_related("department", "position")
        .annotate(
            read_at=Subquery(reads.values("read_at")[:1]),
            acknowledged_at=Subquery(acks.values("acknowledged_at")[:1]),
        )
        .order_by(
            "department__sort_order", "department__name", "department_id", "name_pinyin", "pk"
        )
    )


# The report's list of people, a page at a time, and its filters: everyone, those who have
# acknowledged (or read, for a notice that does not ask for acknowledgement), those not yet.
REPORT_PAGE_SIZE = 50
REPORT_FILTERS = ("done", "pending")


def report_people(*, notice: Notice, department_id=None, show: str = ""):
    """The audience's employees for the report's list (see `_report_people`), of one department
    or all; `show="done"` keeps those who have acknowledged the notice (read it, when it does
    not ask for acknowledgement), `show="pending"` those who have not yet."""
    people = _report_people(notice=notice, department_id=department_id)
    field = "acknowledged_at" if notice.must_acknowledge else "read_at"
    if show == "done":
        people = people.filter(**{f"{field}__isnull": False})
    elif show == "pending":
        people = people.filter(**{f"{field}__isnull": True})
    return people


def _report_counts_sql(notice: Notice) -> tuple[str, list]:
    """SQL and parameters of the report's counts: per department of the notice's audience
    (`notice_audience_users`' employees), every field of the department, then how many people
    it has, how many have read and how many acknowledged the notice; in the departments' order.
    The ORM's query, written out (building it was a third of the report page's CPU)."""
    q = connections[Department.objects.db].ops.quote_name
    department = q(Department._meta.db_table)
    employee = q(Employee._meta.db_table)
    user = q(User._meta.db_table)
    link = q(AudienceLink._meta.db_table)
    reads = q(NoticeRead._meta.db_table)
    acks = q(Acknowledgement._meta.db_table)
    columns = ", ".join(f"d.{q(field.column)}" for field in Department._meta.concrete_fields)
    params = [notice.pk, notice.pk, True, User.Kind.EMPLOYEE.value]
    audience = ""
    if not notice.audience_all:
        addressed = f"SELECT l.department_id FROM {link} l WHERE l.notice_id = %s"  # noqa: S608
        audience = f" AND (e.department_id IN ({addressed}) OR d.parent_id IN ({addressed}))"
        params += [notice.pk, notice.pk]
    sql = (
        f"SELECT {columns}, COUNT(e.id),"  # noqa: S608 (only quoted names and placeholders)
        " SUM(CASE WHEN EXISTS("
        f"SELECT 1 FROM {reads} r WHERE r.notice_id = %s AND r.user_id = e.user_id)"
        " THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN EXISTS("
        f"SELECT 1 FROM {acks} a WHERE a.notice_id = %s AND a.user_id = e.user_id)"
        " THEN 1 ELSE 0 END)"
        f" FROM {employee} e INNER JOIN {user} u ON u.id = e.user_id"
        f" INNER JOIN {department} d ON d.id = e.department_id"
        f" WHERE u.is_active = %s AND u.kind = %s{audience}"
        f" GROUP BY {columns} ORDER BY d.sort_order ASC, d.name ASC, d.id ASC"
    )
    return sql, params


def report_key(*, notice: Notice) -> str:
    """The beginning of the keys of the notice's kept report values (its counts, pages of its
    people): the notice, how it is addressed and answered, and the generations, read now (before
    the database: a change committed meanwhile makes what is read next stale at once)."""
    generations = Generation.current_many(
        NOTICES_GENERATION, STAFF_GENERATION, responses_generation(notice.pk)
    )
    return "bulletins:report:{}:{}:{}:{}:{}:{}".format(
        notice.pk, int(notice.audience_all), int(notice.must_acknowledge), *generations
    )


def report_counts(*, notice: Notice, key: str | None = None) -> list[tuple]:
    """Rows of `_report_counts_sql`: every field of each department of the notice's audience,
    then how many people it has, how many have read and how many acknowledged the notice; kept
    in the cache (see the module) under `key` (`report_key`'s, read now if not given)."""
    key = f"{key or report_key(notice=notice)}:counts"
    rows = cache.get(key)
    if rows is None:
        with connections[Department.objects.db].cursor() as cursor:
            cursor.execute(*_report_counts_sql(notice))
            rows = [tuple(row) for row in cursor.fetchall()]
        cache.set(key, rows, REPORT_KEPT_SECONDS)
    return rows


def acknowledgement_report(
    *, notice: Notice, department_id=None, inline=None, key: str | None = None
) -> dict:
    """Per department: how many of the audience have read and acknowledged the notice (counted
    by the database, kept: `report_counts`), and who, for every department while the audience
    is small (`inline` forces it either way) or for the one department asked for. Four queries
    at most. `key`: `report_key`'s, when the caller has read it."""
    fields = [field.attname for field in Department._meta.concrete_fields]
    db = Department.objects.db
    departments = [
        {
            "department": Department.from_db(db, fields, row[:-3]),
            "people": [],
            "total": row[-3],
            "read": row[-2],
            "acknowledged": row[-1],
        }
        for row in report_counts(notice=notice, key=key)
    ]
    totals = {key: sum(row[key] for row in departments) for key in ("read", "acknowledged")}
    totals["audience"] = sum(row["total"] for row in departments)
    if inline is None:
        inline = totals["audience"] <= REPORT_INLINE_PEOPLE
    selected = None
    if department_id is not None:
        selected = next((r for r in departments if r["department"].pk == department_id), None)
    if inline or selected is not None:
        rows = {row["department"].pk: row for row in departments}
        people = _report_people(
            notice=notice, department_id=None if inline else selected["department"].pk
        )
        for employee in people:
            rows[employee.department_id]["people"].append(employee)
    return {"departments": departments, "totals": totals, "inline": inline, "selected": selected}
