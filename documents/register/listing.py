"""The register's list of documents: one page of the documents a reader may see under the
filters, read in one written-out SQL statement, and its `<li>` rows written in one Python
pass.

`documents_visible_to` (selectors) stays the one description of who reads what; the predicate
here is the same rule written out as the ORM writes it (building the ORM's query, its count and
its page was half the register's CPU). tests/integration/documents/test_register_listing.py
checks both give the same documents for every kind of reader.
"""

from django.db import connections
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext

from documents.permissions import is_document_manager
from documents.register.models import (
    Category,
    DepartmentGrant,
    PolicyDocument,
    PolicyDocumentGroupObjectPermission,
    PolicyDocumentUserObjectPermission,
)
from documents.register.selectors import VIEW_CODENAME
from portal.escaping import escaped_once, text, url_around_pk
from portal.models import Department, User
from portal.paging import total_told_by_page
from portal.selectors import employee_of

# What each row of the page holds (the order of the SELECT below).
COLUMNS = (
    "id",
    "number_prefix",
    "year",
    "sequence",
    "title",
    "level",
    "status",
    "is_restricted",
    "effective_date",
    "department_name",
    "department_name_en",
    "category_name",
    "category_name_en",
)


def visibility_sql(user, q) -> tuple[str, list] | None:
    """The WHERE condition on `d` (the documents' table) of the documents `user` may read, with
    its parameters: `documents_visible_to`'s rule. "" for a reader who sees every document;
    None for one who sees none."""
    if not (user.is_authenticated and user.is_employee and user.is_active):
        return None
    if is_document_manager(user):
        return "", []
    from django.contrib.auth.models import Permission

    in_person = q(PolicyDocumentUserObjectPermission._meta.db_table)
    through_group = q(PolicyDocumentGroupObjectPermission._meta.db_table)
    user_groups = q(User.groups.through._meta.db_table)
    permission = q(Permission._meta.db_table)
    grants = q(DepartmentGrant._meta.db_table)
    departments = q(Department._meta.db_table)
    granted = (
        f"d.id IN (SELECT u.content_object_id FROM {in_person} u"  # noqa: S608 - names only
        f" INNER JOIN {permission} p ON u.permission_id = p.id"
        " WHERE p.codename = %s AND u.user_id = %s)"
        f" OR d.id IN (SELECT g.content_object_id FROM {through_group} g"
        f" INNER JOIN {user_groups} ug ON g.group_id = ug.group_id"
        f" INNER JOIN {permission} p ON g.permission_id = p.id"
        " WHERE ug.user_id = %s AND p.codename = %s)"
    )
    params = [VIEW_CODENAME, user.pk, user.pk, VIEW_CODENAME]
    employee = employee_of(user)
    if employee is not None:
        department = employee.department
        match = "dg.department_id = %s"
        params.append(department.pk)
        if department.parent_id is not None:
            match = f"({match} OR (dg.department_id = %s AND dg.include_sections = %s))"
            params += [department.parent_id, True]
        granted += f" OR d.id IN (SELECT dg.document_id FROM {grants} dg WHERE {match})"  # noqa: S608
    condition = f"(d.status <> %s AND (d.is_restricted = %s OR {granted}))"
    params = [PolicyDocument.Status.DRAFT.value, False, *params]
    if employee is not None:
        # The competent leader reads every document of their department.
        condition = (
            f"({condition} OR d.issuing_department_id IN"  # noqa: S608
            f" (SELECT hd.id FROM {departments} hd WHERE hd.head_id = %s))"
        )
        params.append(employee.pk)
    return condition, params


def _filters_sql(filters: dict, connection) -> tuple[list[str], list]:
    """`register_filtered`'s conditions on `d`, written out."""
    conditions, params = [], []
    for key, column in (
        ("level", "level"),
        ("year", "year"),
        ("department", "issuing_department_id"),
        ("category", "category_id"),
        ("status", "status"),
    ):
        if filters.get(key):
            conditions.append(f"d.{column} = %s")
            params.append(filters[key])
    if filters.get("q"):
        # `icontains` as the ORM writes it on this database.
        pattern = f"%{connection.ops.prep_for_like_query(filters['q'])}%"
        contains = connection.operators["icontains"] % "%s"
        title = connection.ops.lookup_cast("icontains", "CharField") % "d.title"
        summary = connection.ops.lookup_cast("icontains", "TextField") % "d.summary"
        conditions.append(f"({title} {contains} OR {summary} {contains})")
        params += [pattern, pattern]
    return conditions, params


class RegisterRows:
    """The documents `user` may read under `filters`, in the register's order, as a sequence
    for a `Paginator`: its length is their number, a slice is a page of row tuples (`COLUMNS`).

    `fetch(offset)` reads the page at `offset` and one row more, which tells whether another
    page follows. Their number is then known without counting where the page allows it: on
    the last page it is the rows before and on it; on a page with more after it, it is
    `total` (the count kept with the register's facets) if that goes beyond the page. Otherwise
    (no `total`, one the page contradicts, a page past the end) the documents are counted, one
    query more, as is a slice `fetch` did not read. So a kept count that missed a change can
    misstate the number on a page before the last, but never hides a page or a document."""

    def __init__(self, *, user, filters: dict, per_page: int, total: int | None = None):
        self.connection = connections[PolicyDocument.objects.db]
        q = self.connection.ops.quote_name
        self.per_page = per_page
        visibility = visibility_sql(user, q)
        self.none = visibility is None
        conditions, params = _filters_sql(filters, self.connection)
        if visibility and visibility[0]:
            conditions.insert(0, visibility[0])
            params = visibility[1] + params
        self.where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        self.params = params
        self.documents = f" FROM {q(PolicyDocument._meta.db_table)} d"
        self.tables = (
            f"{self.documents}"
            f" INNER JOIN {q(Department._meta.db_table)} dep ON dep.id = d.issuing_department_id"
            f" LEFT OUTER JOIN {q(Category._meta.db_table)} cat ON cat.id = d.category_id"
        )
        self.kept_total = total
        self.total = 0 if self.none else None
        self.offset = None
        self.rows = []

    def fetch(self, offset: int) -> None:
        """Read the page at `offset`, and its total where the page tells it (see above)."""
        self.offset, self.rows = offset, []
        if self.none:
            return
        sql = (
            "SELECT d.id, d.number_prefix, d.year, d.sequence, d.title, d.level, d.status,"
            " d.is_restricted, d.effective_date, dep.name, dep.name_en, cat.name, cat.name_en"
            f"{self.tables}{self.where}"  # noqa: S608 - names and placeholders
            " ORDER BY d.year DESC, d.sequence DESC, d.id DESC LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, self.per_page + 1, offset])
            fetched = cursor.fetchall()
        self.rows = fetched[: self.per_page]
        self.total = total_told_by_page(
            offset=offset,
            per_page=self.per_page,
            fetched=len(fetched),
            kept=lambda: self.kept_total,
        )

    def __len__(self) -> int:
        if self.total is None:
            # The documents' table alone: every document has its department (a foreign key
            # that is never null) and the category is an outer join, so neither join can
            # change the number.
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*){self.documents}{self.where}", self.params)  # noqa: S608
                self.total = cursor.fetchone()[0]
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("RegisterRows is read by pages")
        start = index.start or 0
        if start != self.offset:
            self.fetch(start)
        return self.rows[: (index.stop - start) if index.stop is not None else None]


def document_rows_html(rows) -> SafeString:
    """The `<li>` of each document of the register's page (row tuples of `RegisterRows`), as
    `documents/register.html` laid them out with a template loop. A page repeats a few
    departments, categories, prefixes and statuses: each is escaped once (`escaped`)."""
    before, after = url_around_pk("documents:detail")
    levels = {value: text(label) for value, label in PolicyDocument.Level.choices}
    statuses = {value: text(label) for value, label in PolicyDocument.Status.choices}
    # Translated outside the f-string (xgettext does not read inside them).
    restricted = text(pgettext("policy document", "Restricted"))
    restricted = f'<span class="badge">{restricted}</span>'
    effective = text(pgettext("in force from", "Effective"))
    english = (get_language() or "").startswith("en")
    escaped = escaped_once()

    out = []
    for (
        pk,
        prefix,
        year,
        sequence,
        title,
        level,
        status,
        is_restricted,
        effective_date,
        department_name,
        department_name_en,
        category_name,
        category_name_en,
    ) in rows:
        # `in_reader_language`, with the reader's language asked once for the page.
        department = department_name_en if english and department_name_en else department_name
        category = ""
        if category_name is not None:
            name = category_name_en if english and category_name_en else category_name
            category = f"<span>{escaped(name)}</span>"
        in_force = ""
        if effective_date:
            in_force = f"<span>{effective} {dateformat.format(effective_date, 'Y-m-d')}</span>"
        status_class = escaped(status)
        # The number as `PolicyDocument.number` writes it; year and sequence are integers.
        out.append(
            '\n      <li class="doc-row">\n'
            f'        <a href="{before}{int(pk)}{after}"><span class="doc-number">'
            f"{escaped(prefix)}〔{int(year)}〕{int(sequence)}号"
            f"</span> {text(title)}</a>\n"
            '        <div class="doc-meta">\n'
            f'          <span class="doc-level">{levels.get(level) or escaped(level)}</span>\n'
            f"          <span>{escaped(department)}</span>\n"
            f"          {category}\n"
            f'          <span class="status status-{status_class}">'
            f"{statuses.get(status) or status_class}</span>\n"
            f"          {restricted if is_restricted else ''}\n"
            f"          {in_force}\n"
            "        </div>\n"
            "      </li>\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
