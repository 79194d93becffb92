"""Reads of the document register that depend on who asks."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language

from documents.permissions import is_document_manager
from documents.register.models import (
    Acknowledgement,
    Category,
    DepartmentGrant,
    DocumentFile,
    PolicyDocument,
    PolicyDocumentGroupObjectPermission,
    PolicyDocumentUserObjectPermission,
)
from portal.generations import Generation
from portal.models import Department, Employee
from portal.selectors import employee_of

VIEW_CODENAME = "view_policydocument"


def _granted_to(user, employee) -> Q:
    """Restricted documents `user` was granted: in person, through a group, or through their
    department (or the department its section belongs to, when the grant includes sections).

    Each source is an uncorrelated `pk IN (...)` subquery, which the database evaluates once; a
    correlated EXISTS per document costs a second to count a register of 20,000 rows."""
    in_person = PolicyDocumentUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=VIEW_CODENAME
    ).values("content_object_id")
    through_group = PolicyDocumentGroupObjectPermission.objects.filter(
        permission__codename=VIEW_CODENAME, group__user=user
    ).values("content_object_id")
    granted = Q(pk__in=in_person) | Q(pk__in=through_group)
    if employee is not None:
        department = employee.department
        match = Q(department_id=department.pk)
        if department.parent_id is not None:
            match |= Q(department_id=department.parent_id, include_sections=True)
        granted |= Q(pk__in=DepartmentGrant.objects.filter(match).values("document_id"))
    return granted


def documents_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """The documents `user` may read, as one query whatever their number.

    Document managers see the whole register, drafts included. Other employees see documents
    that are published (in force, superseded or repealed) and either open to all, or restricted
    and granted to them (see `_granted_to`); the head of the issuing department sees all of
    their department's, drafts included. Retailers and anonymous visitors see none.

    The register's list reads the same rule written out in SQL (`documents.register.listing`,
    `visibility_sql`): a change here must be made there too (its equivalence test compares).
    """
    if queryset is None:
        queryset = PolicyDocument.objects.all()
    if not (user.is_authenticated and user.is_employee and user.is_active):
        return queryset.none()
    if is_document_manager(user):
        return queryset
    employee = employee_of(user)
    published = ~Q(status=PolicyDocument.Status.DRAFT)
    readable = published & (Q(is_restricted=False) | _granted_to(user, employee))
    if employee is not None:
        # The competent leader reads every document of their department.
        readable |= Q(
            issuing_department_id__in=Department.objects.filter(head_id=employee.pk).values("pk")
        )
    return queryset.filter(readable)


def documents_shown_to(*, user) -> QuerySet:
    """The documents `user` may read, each with what its pages show beside it (department,
    category, official file, the documents it supersedes and is superseded by)."""
    return documents_visible_to(user=user).select_related(
        "issuing_department",
        "category",
        "official_file",
        "supersedes",
        "superseded_by",
    )


def document_files_visible_to(*, user) -> QuerySet:
    """The stored files of the documents `user` may read."""
    visible = documents_visible_to(user=user).filter(pk=OuterRef("document_id"))
    return DocumentFile.objects.filter(Exists(visible))


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


# The level comes first: the plan (source document 000) asks for documents "at all levels".
REGISTER_FILTERS = ("level", "year", "department", "category", "status")


def register_filtered(queryset: QuerySet, filters: dict, *, skip: str = "") -> QuerySet:
    """`queryset` narrowed by the register's filters, all but `skip` (the facet being
    counted)."""
    if filters.get("level") and skip != "level":
        queryset = queryset.filter(level=filters["level"])
    if filters.get("year") and skip != "year":
        queryset = queryset.filter(year=filters["year"])
    if filters.get("department") and skip != "department":
        queryset = queryset.filter(issuing_department_id=filters["department"])
    if filters.get("category") and skip != "category":
        queryset = queryset.filter(category_id=filters["category"])
    if filters.get("status") and skip != "status":
        queryset = queryset.filter(status=filters["status"])
    if filters.get("q"):
        query = filters["q"]
        queryset = queryset.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return queryset


@dataclass(frozen=True)
class RegisterCounts:
    """What the register counts for a reader under the filters: the facets, and `total`, the
    number of documents the list holds."""

    facets: dict[str, list[Facet]]
    total: int


def register_counts(*, user, filters: dict) -> RegisterCounts:
    """Counts of the documents `user` may read by level, year, department, category and
    status, each under the other filters chosen, and their total under all of them: five
    grouped queries whatever the size of the register.

    The total is the status facet's sum (or its chosen status's count): status is never null,
    so its groups part the documents the list holds, and it costs no query of its own."""
    visible = documents_visible_to(user=user)
    facets = {}
    rows = register_filtered(visible, filters, skip="level").values("level").annotate(n=Count("pk"))
    counts = {row["level"]: row["n"] for row in rows}
    facets["level"] = [
        Facet(value, str(label), counts[value])
        for value, label in PolicyDocument.Level.choices
        if value in counts
    ]
    rows = (
        register_filtered(visible, filters, skip="year")
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    facets["year"] = [Facet(str(row["year"]), str(row["year"]), row["n"]) for row in rows]

    rows = (
        register_filtered(visible, filters, skip="department")
        .values(
            "issuing_department",
            "issuing_department__name",
            "issuing_department__name_en",
            "issuing_department__sort_order",
        )
        .annotate(n=Count("pk"))
        .order_by("issuing_department__sort_order", "issuing_department__name")
    )
    facets["department"] = [
        Facet(
            str(row["issuing_department"]),
            Department(
                name=row["issuing_department__name"], name_en=row["issuing_department__name_en"]
            ).display_name,
            row["n"],
        )
        for row in rows
    ]

    rows = (
        register_filtered(visible, filters, skip="category")
        .filter(category__isnull=False)
        .values("category", "category__name", "category__name_en", "category__sort_order")
        .annotate(n=Count("pk"))
        .order_by("category__sort_order", "category__name")
    )
    facets["category"] = [
        Facet(
            str(row["category"]),
            Category(name=row["category__name"], name_en=row["category__name_en"]).display_name,
            row["n"],
        )
        for row in rows
    ]

    rows = (
        register_filtered(visible, filters, skip="status").values("status").annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    facets["status"] = [
        Facet(value, str(label), counts[value])
        for value, label in PolicyDocument.Status.choices
        if value in counts
    ]
    status = filters.get("status")
    total = counts.get(status, 0) if status else sum(counts.values())
    return RegisterCounts(facets=facets, total=total)


# The register's counts are cached per reader, language and filters, under a generation that
# moves on with every change that can move a reader in or out of a document's audience: a write
# to the register or its grants (by the services), and a change of someone's department, of a
# department's head or parent, or of someone's groups (`documents.signals`, since those are
# edited in Wagtail admin). Document managers, who read the whole register, share one entry;
# a reader who becomes one (or stops) moves to another key at once. Only counts are cached: the
# documents listed are always read from the database, and the list trusts the cached total only
# where the page it read agrees with it (`listing.RegisterRows`).
REGISTER_COUNTS_SECONDS = 300
REGISTER_GENERATION = Generation("documents:register-version")


def _reader_scope(user) -> str:
    """Who the counts are for, in a cache key: everyone who reads the whole register alike,
    everyone who reads none of it alike, anyone else by themselves."""
    if not (user.is_authenticated and user.is_employee and user.is_active):
        return "none"
    if is_document_manager(user):
        return "all"
    return f"u{user.pk}"


def register_counts_cached(*, user, filters: dict) -> RegisterCounts:
    """`register_counts`, cached per reader, language and filters until the register's
    generation moves on."""
    version = REGISTER_GENERATION.current()
    chosen = sorted((key, str(value)) for key, value in filters.items() if value and key != "page")
    digest = hashlib.sha256(repr(chosen).encode()).hexdigest()[:24]
    key = f"documents:counts:{version}:{_reader_scope(user)}:{get_language()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = register_counts(user=user, filters=filters)
        cache.set(key, counts, REGISTER_COUNTS_SECONDS)
    return counts


def register_page_queryset(*, user, filters: dict) -> QuerySet:
    """The documents `user` may read under the filters, with only what the register's
    list shows."""
    return (
        register_filtered(documents_visible_to(user=user), filters)
        .select_related("issuing_department", "category")
        .only(
            "pk",
            "number_prefix",
            "year",
            "sequence",
            "title",
            "level",
            "status",
            "is_restricted",
            "effective_date",
            "issuing_department__name",
            "issuing_department__name_en",
            "category__name",
            "category__name_en",
        )
    )


def next_sequences(*, year: int) -> dict[int, int]:
    """The next free sequence number of `year` for each department that already issued one."""
    rows = (
        PolicyDocument.objects.filter(year=year)
        .values("issuing_department")
        .annotate(last=Max("sequence"))
    )
    return {row["issuing_department"]: row["last"] + 1 for row in rows}


def document_audience(*, document: PolicyDocument) -> QuerySet:
    """The employees a document is meant for (its audience, for acknowledgement): everyone
    active for an open document; for a restricted one, those granted in person, through a group
    or through their department, and the head of the issuing department."""
    employees = Employee.objects.filter(user__is_active=True)
    if not document.is_restricted:
        return employees
    in_person = PolicyDocumentUserObjectPermission.objects.filter(
        content_object=document, user_id=OuterRef("user_id"), permission__codename=VIEW_CODENAME
    )
    through_group = PolicyDocumentGroupObjectPermission.objects.filter(
        content_object=document, permission__codename=VIEW_CODENAME, group__user=OuterRef("user_id")
    )
    through_department = DepartmentGrant.objects.filter(document=document).filter(
        Q(department_id=OuterRef("department_id"))
        | Q(department_id=OuterRef("department__parent_id"), include_sections=True)
    )
    is_head = (
        Q(pk=document.issuing_department.head_id)
        if document.issuing_department.head_id
        else Q(pk__in=[])
    )
    return employees.filter(
        Exists(in_person) | Exists(through_group) | Exists(through_department) | is_head
    )


def acknowledgement_rows(*, document: PolicyDocument) -> QuerySet:
    """The audience with when each acknowledged (None when not yet), by department."""
    acknowledged = Acknowledgement.objects.filter(document=document, user_id=OuterRef("user_id"))
    return (
        document_audience(document=document)
        .select_related("department")
        .annotate(acknowledged_at=Subquery(acknowledged.values("acknowledged_at")[:1]))
        .order_by("department__sort_order", "name_pinyin", "pk")
    )


def document_grants(*, document: PolicyDocument) -> tuple[list, list, list]:
    """Who was allowed to read a restricted document: people, groups and departments."""
    people = PolicyDocumentUserObjectPermission.objects.filter(
        content_object=document, permission__codename=VIEW_CODENAME
    ).select_related("user__employee__department")
    groups = PolicyDocumentGroupObjectPermission.objects.filter(
        content_object=document, permission__codename=VIEW_CODENAME
    ).select_related("group")
    departments = DepartmentGrant.objects.filter(document=document).select_related("department")
    return list(people), list(groups), list(departments)


def has_acknowledged(*, user, document) -> bool:
    """Whether `user` has acknowledged the document."""
    return Acknowledgement.objects.filter(document=document, user=user).exists()
