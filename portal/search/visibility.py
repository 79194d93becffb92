"""Who may see what the search finds, answered by the database when someone searches.

Each kind's index calls one of these selectors with the candidates the index returned; the
search shows only what comes back. The index itself is never trusted with permissions: it may be
behind, and a restriction added a second ago already applies.
"""

from django.db import connection
from django.db.models import BooleanField, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from wagtail.models import Page, PageViewRestriction

from portal.models import Employee, User
from portal.sites import site_for_face


def employees_visible_to(*, user, queryset: QuerySet | None = None, face: str) -> QuerySet:
    """Colleagues are listed to every employee on the intranet; someone whose account is
    deactivated is listed to no one, and retailers see nobody."""
    if queryset is None:
        queryset = Employee.objects.all()
    if face != "intranet" or not (user.is_authenticated and user.is_employee):
        return queryset.none()
    return queryset.filter(user__is_active=True)


def pages_in_face(queryset: QuerySet, face: str) -> QuerySet:
    """The pages of `queryset` that lie in the page tree of `face`'s site (its root included)."""
    site = site_for_face(face)
    if site is None:
        return queryset.none()
    root_path = Page.objects.filter(pk=site.root_page_id).values("path")[:1]
    return queryset.filter(path__startswith=Subquery(root_path))


def _keeps_out_sql(user) -> tuple[str, list]:
    """SQL true for a page view restriction row `r` that `user` does not pass, and its params."""
    if not user.is_authenticated:
        return "r.restriction_type <> %s", [PageViewRestriction.NONE]
    if user.is_superuser:
        return "r.restriction_type = %s", [PageViewRestriction.PASSWORD]
    quote = connection.ops.quote_name
    allowed = PageViewRestriction.groups.through._meta
    membership = User.groups.through._meta
    restriction_column = allowed.get_field("pageviewrestriction").column
    member_column = membership.get_field("user").column
    sql = (
        "r.restriction_type = %s OR (r.restriction_type = %s AND NOT EXISTS ("  # noqa: S608 (only models' table and column names are formatted in)
        f"SELECT 1 FROM {quote(allowed.db_table)} a"
        f" INNER JOIN {quote(membership.db_table)} m"
        f" ON m.{quote(membership.get_field('group').column)}"
        f" = a.{quote(allowed.get_field('group').column)}"
        f" WHERE a.{quote(restriction_column)} = r.{quote('id')}"
        f" AND m.{quote(member_column)} = %s))"
    )
    return sql, [PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS, user.pk]


def _not_blocked(user) -> RawSQL:
    """True for a page (the query's `wagtailcore_page` row) on which, or on an ancestor of
    which, no view restriction keeps `user` out. Written as SQL: the ORM's Exists with an
    outer reference cost more to build and compile than the rest of a search's query."""
    quote = connection.ops.quote_name
    page_table = quote(Page._meta.db_table)
    keeps_out, params = _keeps_out_sql(user)
    sql = (
        f"NOT EXISTS (SELECT 1 FROM {quote(PageViewRestriction._meta.db_table)} r"  # noqa: S608 (only models' table and column names are formatted in)
        f" INNER JOIN {page_table} rp ON rp.{quote('id')} = r.{quote('page_id')}"
        f" WHERE {page_table}.{quote('path')} LIKE rp.{quote('path')} || '%%'"
        f" AND ({keeps_out}))"
    )
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (values are params)


def pages_visible_to(*, user, queryset: QuerySet, face: str) -> QuerySet:
    """A page is shown when it is live, lies in the tree of the face's site, and every view
    restriction on it or on an ancestor lets the user in, as Wagtail decides when serving it:
    "login" needs a signed-in user, "groups" membership of one of its groups (a superuser
    passes). A shared-password restriction counts as not passed: the search cannot ask for it.
    (Tree paths hold digits and capital letters only, so LIKE needs no escaping.)
    """
    return pages_in_face(queryset.filter(live=True), face).filter(_not_blocked(user))
