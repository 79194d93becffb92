"""Who may see what the search finds, answered by the database when someone searches.

Each kind's index calls one of these selectors with the candidates the index returned; the
search shows only what comes back. The index itself is never trusted with permissions: it may be
behind, and a restriction added a second ago already applies.
"""

from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from wagtail.models import Page, PageViewRestriction

from portal.models import Employee
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


def _restrictions_keeping_out(user) -> QuerySet:
    """The page view restrictions `user` does not pass."""
    restrictions = PageViewRestriction.objects.all()
    if not user.is_authenticated:
        return restrictions.exclude(restriction_type=PageViewRestriction.NONE)
    keeps_out = Q(restriction_type=PageViewRestriction.PASSWORD)
    if not user.is_superuser:
        membership = PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction=OuterRef("pk"), group__user=user
        )
        keeps_out |= Q(restriction_type=PageViewRestriction.GROUPS) & ~Exists(membership)
    return restrictions.filter(keeps_out)


def pages_visible_to(*, user, queryset: QuerySet, face: str) -> QuerySet:
    """A page is shown when it is live, lies in the tree of the face's site, and every view
    restriction on it or on an ancestor lets the user in, as Wagtail decides when serving it:
    "login" needs a signed-in user, "groups" membership of one of its groups (a superuser
    passes). A shared-password restriction counts as not passed: the search cannot ask for it.
    """
    blocking = (
        _restrictions_keeping_out(user)
        .annotate(candidate_path=ExpressionWrapper(OuterRef("path"), output_field=CharField()))
        .filter(candidate_path__startswith=F("page__path"))
    )
    return pages_in_face(queryset.filter(live=True), face).exclude(Exists(blocking))
