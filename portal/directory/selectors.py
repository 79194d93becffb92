"""Reads of the directory. Only active employees are listed, and only to employees on the
intranet (`portal.search.visibility.employees_visible_to` is the one rule)."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from portal.directory import search_sql
from portal.generations import Generation
from portal.models import Department, Employee, Position, User
from portal.permissions import get_visible_or_404
from portal.search.visibility import employees_visible_to

SEARCH_LIMIT = 50

_CJK = re.compile(r"[\u3400-\u9fff]")

# The rank `directory_search` gives people matched by something other than their name (its
# characters, pinyin or initials): department, position, extension, email, employee number.
BY_OTHER_DETAILS = 7


def directory_people(*, user, face: str = "intranet") -> QuerySet:
    """Active colleagues, with everything a directory row shows fetched in the same query."""
    return (
        employees_visible_to(user=user, face=face)
        .select_related("user", "department", "position")
        .only(
            *(field.name for field in Employee._meta.concrete_fields),
            "user__email",
            "user__is_active",
            "department__name",
            "department__name_en",
            "department__code",
            "department__parent",
            "position__name",
            "position__name_en",
        )
    )


def _prefix(field_name: str, value: str) -> Q:
    """`field` starts with `value`, as a condition an index answers. PostgreSQL uses the
    `varchar_pattern_ops` index Django adds to indexed text columns for LIKE 'x%'; SQLite never
    uses an index for Django's LIKE (it adds an ESCAPE clause), but does for a range, which in
    its binary collation (code point order) is exactly the prefix."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field_name}__startswith": value})
    return Q(**{f"{field_name}__gte": value, f"{field_name}__lt": value + "\U0010ffff"})


def directory_search(*, user, query: str, face: str = "intranet", limit: int | None = SEARCH_LIMIT):
    """Colleagues matching `query` as people look each other up in the factory: by name (张伟),
    full pinyin however it is spaced (`zhangwei`, `zhang wei`), initials (`zw`), the start of any
    of those, extension, email, employee number, position or department.

    Ranked: the exact name first, then names starting with the query, then pinyin, initials,
    names holding the query and the rest; alphabetically by pinyin within a rank. Every
    condition is one an index answers (departments and positions are matched in their own small
    tables first), so that the search stays fast at thousands of employees; only a Chinese
    query also looks inside names.
    """
    text = " ".join(query.split())
    if not text:
        return Employee.objects.none()
    lowered = text.lower()
    compact = lowered.replace(" ", "")
    rank = Case(
        When(name=text, then=Value(0)),
        When(name__startswith=text, then=Value(1)),
        When(name_pinyin_compact=compact, then=Value(2)),
        When(name_pinyin_compact__startswith=compact, then=Value(3)),
        When(name_initials=compact, then=Value(4)),
        When(name_initials__startswith=compact, then=Value(5)),
        When(name__contains=text, then=Value(6)),
        default=Value(BY_OTHER_DETAILS),
        output_field=IntegerField(),
    )
    matches = _prefix("name", text) | _prefix("extension", text)
    matches |= Q(employee_number__in={text, text.upper()})
    if _CJK.search(text):
        matches |= Q(name__contains=text)
    elif compact.isascii():
        matches |= _prefix("name_pinyin_compact", compact) | _prefix("name_initials", compact)
        emails = User.objects.filter(_prefix("email", lowered)).values("pk")
        matches |= Q(user_id__in=emails)
    # Departments and positions: a few dozen names, matched here from a cached copy, so that
    # the query carries their ids instead of two more subqueries to compile and run.
    departments, positions = _named(text)
    if departments:
        matches |= Q(department_id__in=departments)
    if positions:
        matches |= Q(position_id__in=positions)
    # The matching is a query of its own, on the employee table alone, so that the planner
    # answers it from the indexes (SQLite's multi-index OR) before joining what the page shows.
    candidates = Employee.objects.filter(matches).values("pk")
    people = (
        directory_people(user=user, face=face)
        .filter(pk__in=candidates)
        .annotate(rank=rank)
        .order_by("rank", "name_pinyin", "pk")
    )
    return people[:limit] if limit else people


DIRECTORY_NAMES_KEY = "directory:names"
# The copy is dropped whenever a department or position is saved or deleted (signals.py); the
# timeout only bounds how long a change made around the ORM (queryset.update) can go unseen.
DIRECTORY_NAMES_SECONDS = 300


def _directory_names() -> dict:
    names = cache.get(DIRECTORY_NAMES_KEY)
    if names is None:
        names = {
            "departments": list(Department.objects.values_list("pk", "name", "name_en")),
            "positions": list(Position.objects.values_list("pk", "name", "name_en")),
        }
        cache.set(DIRECTORY_NAMES_KEY, names, DIRECTORY_NAMES_SECONDS)
    return names


def forget_directory_names() -> None:
    cache.delete(DIRECTORY_NAMES_KEY)


def _named(text: str, names: dict | None = None) -> tuple[list[int], list[int]]:
    """The departments and positions whose Chinese or English name contains `text` (English
    case-insensitively), among `names` (`_directory_names()`, read when None)."""
    folded = text.casefold()
    if names is None:
        names = _directory_names()

    def matching(rows):
        return [pk for pk, name, name_en in rows if text in name or folded in name_en.casefold()]

    return matching(names["departments"]), matching(names["positions"])


# The departments with their head counts (`search_sql.department_rows`), the same for every
# reader, are kept in the cache under a generation that `directory_forget` renews whenever an
# employee, an account or a department is saved or deleted (signals.py). The timeout only
# bounds how long a change made around the ORM (queryset.update, bulk_create) can go unseen.
DIRECTORY_GENERATION = Generation("portal:directory:generation")
DEPARTMENT_ROWS_KEY = "portal:directory:departments"
DEPARTMENT_ROWS_SECONDS = 600


def directory_forget() -> None:
    """Forget the kept departments and head counts (now and when the transaction commits)."""
    DIRECTORY_GENERATION.bump()


def department_rows_kept() -> list[tuple]:
    """`search_sql.department_rows`, from the cache while no employee, account or department
    changed since; one round trip to the cache for the generation and the value together."""
    found = cache.get_many([DIRECTORY_GENERATION.key, DEPARTMENT_ROWS_KEY])
    generation = found.get(DIRECTORY_GENERATION.key)
    kept = found.get(DEPARTMENT_ROWS_KEY)
    if generation is not None and kept is not None and kept[0] == generation:
        return kept[1]
    if generation is None:
        generation = DIRECTORY_GENERATION.current()
    # The generation is read before the database: a change committed meanwhile renews it, and
    # what is stored here is then stale at once.
    rows = search_sql.department_rows()
    cache.set(DEPARTMENT_ROWS_KEY, (generation, rows), DEPARTMENT_ROWS_SECONDS)
    return rows


@dataclass
class DepartmentNode:
    department: Department
    head_count: int = 0
    members: list = field(default_factory=list)
    sections: list = field(default_factory=list)

    @property
    def total(self):
        return self.head_count + sum(section.total for section in self.sections)


def department_tree(*, user, with_members: bool | None = None, face: str = "intranet"):
    """The departments (sections nested under their department) with their head counts, and,
    while the directory is small enough to list on one page, their members (`DirectoryRow`s).
    The departments and counts are kept (`department_rows_kept`); one statement while members
    are listed."""
    visible = search_sql.employees_visible_to_sql(user=user, face=face) is not None
    departments = search_sql.departments_from_rows(department_rows_kept(), counted=visible)
    nodes = {d.pk: DepartmentNode(d, head_count=d.head_count) for d in departments}
    total = sum(d.head_count for d in departments)
    if with_members is None:
        with_members = total <= settings.DIRECTORY_INLINE_MEMBERS_LIMIT
    if with_members:
        for person in search_sql.directory_rows(user=user, face=face):
            nodes[person.department_id].members.append(person)
    roots = []
    for department in departments:
        node = nodes[department.pk]
        if department.parent_id and department.parent_id in nodes:
            nodes[department.parent_id].sections.append(node)
        else:
            roots.append(node)
    return roots, total, with_members


class OneStatementRows:
    """What a Paginator pages through when the page asked for and the number of all rows come
    from one statement: `fetch(offset=, limit=)` answers `(rows, total)`, the total None when no
    row came back to carry it. Only a page asked past the last (or not a number) costs another
    query (`count()` and the page the Paginator settles on)."""

    def __init__(self, fetch, count, *, number, per_page: int):
        self._fetch, self._count, self._per_page = fetch, count, per_page
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        self._offset = (number - 1) * per_page if number >= 1 else 0
        self._rows = None
        self._total = None

    def count(self) -> int:
        if self._total is None:
            rows, total = self._fetch(offset=self._offset, limit=self._per_page)
            if total is not None or self._offset == 0:
                self._rows, self._total = rows, total or 0
            else:
                self._total = self._count()
        return self._total

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice):
        start, stop = window.start or 0, window.stop
        if self._rows is not None and start == self._offset:
            return self._rows[: stop - start]
        return self._fetch(offset=start, limit=stop - start)[0]


def directory_search_page(*, user, query: str, number, per_page: int, face: str = "intranet"):
    """A page of `directory_search` (Django's Paginator page, its rows `DirectoryRow`s), read
    with one statement (`search_sql.directory_search_rows`)."""
    rows = OneStatementRows(
        lambda offset, limit: search_sql.directory_search_rows(
            user=user, query=query, face=face, offset=offset, limit=limit
        ),
        lambda: search_sql.directory_search_count(user=user, query=query, face=face),
        number=number,
        per_page=per_page,
    )
    return Paginator(rows, per_page).get_page(number)


def department_for_directory(*, code: str) -> Department:
    return get_visible_or_404(Department.objects.select_related("parent", "head"), code=code)


def department_page(*, user, department: Department, face: str = "intranet") -> dict:
    """A department's head, its sections (with head counts) and members (a queryset, for the
    page to show a page of)."""
    sections = list(
        Department.objects.filter(parent=department)
        .annotate(
            head_count=Count("members", filter=Q(members__user__is_active=True), distinct=True)
        )
        .order_by("sort_order", "name")
    )
    members = directory_people(user=user, face=face).filter(department=department)
    head = None
    if department.head_id:
        head = directory_people(user=user, face=face).filter(pk=department.head_id).first()
    return {"department": department, "head": head, "sections": sections, "members": members}


def department_page_rows(*, user, code: str, number, per_page: int, face: str = "intranet"):
    """`department_page` of the department of `code` (404 when there is none): the department
    with its parent, its sections and the number of its members (from `department_rows_kept`),
    then, in one statement, a page of its members (`DirectoryRow`s, as a Paginator page) and
    its head."""
    department = search_sql.department_with_sections(code=code, rows=department_rows_kept())
    if department is None:
        raise Http404
    visible = search_sql.employees_visible_to_sql(user=user, face=face) is not None
    total = department.head_count if visible else 0
    found = {"head": None}

    def fetch(offset, limit):
        found["head"], members = search_sql.department_members_rows(
            user=user,
            department_id=department.pk,
            head_id=department.head_id,
            offset=offset,
            limit=limit,
            face=face,
        )
        return members, total

    rows = OneStatementRows(fetch, lambda: total, number=number, per_page=per_page)
    members = Paginator(rows, per_page).get_page(number)
    return {
        "department": department,
        "head": found["head"],
        "sections": department.sections_listed,
        "members": members,
    }


def department_with_sections_people(*, user, department: Department, face: str = "intranet"):
    """Everyone of a department and its sections (for a department's vCard and export)."""
    return directory_people(user=user, face=face).filter(
        Q(department=department) | Q(department__parent=department)
    )


def person_for_directory(*, user, pk: int, face: str = "intranet") -> Employee:
    """A colleague's card; someone deactivated (or not visible) answers 404."""
    return get_visible_or_404(directory_people(user=user, face=face), pk=pk)
