"""What every Wagtail page of the portal shares: cheap view-restriction checks, and one-query
routing to a child for index pages with many children.

Wagtail checks each served page for view restrictions (privacy set in the admin) on the page
and its ancestors: two queries on every page view, though the portal's own access rules
(login, faces, audiences) make such restrictions rare. Whether any exists at all is kept in the
cache, so that a page view asks the database only while one does.
"""

from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from wagtail.models import PageViewRestriction

ANY_RESTRICTION_KEY = "portal:pages:any-view-restriction"
ANY_RESTRICTION_SECONDS = 300


def any_view_restriction() -> bool:
    """Whether any page of either site has a view restriction."""
    found = cache.get(ANY_RESTRICTION_KEY)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(ANY_RESTRICTION_KEY, found, ANY_RESTRICTION_SECONDS)
    return found


def forget_any_view_restriction():
    # Now, and again once the change is committed: a page view between the two must not
    # keep the old answer.
    cache.delete(ANY_RESTRICTION_KEY)
    transaction.on_commit(lambda: cache.delete(ANY_RESTRICTION_KEY))


class PortalPageMixin:
    """For every page model of the portal: view restrictions are only looked up while some
    page has one."""

    def get_view_restrictions(self):
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def route_to_child(parent, pages, request, path_components):
    """Wagtail routing from `parent` to its child among `pages` (a queryset of one specific page
    model) named by the first path component, in one query: Wagtail's default asks twice per
    level (the page, then its specific fields). The rest of the path is the child's to route."""
    child = pages.child_of(parent).filter(slug=path_components[0]).first()
    if child is None:
        raise Http404
    child._cached_parent_obj = parent
    return child.route(request, path_components[1:])
