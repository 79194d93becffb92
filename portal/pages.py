"""What every Wagtail page of the portal shares: cheap view-restriction checks, one-query
routing to a child for index pages with many children, and one-query routing to a page at a
known address (`route_page_at`, `serve_routed`).

Wagtail checks each served page for view restrictions (privacy set in the admin) on the page
and its ancestors: two queries on every page view, though the portal's own access rules
(login, faces, audiences) make such restrictions rare. Whether any exists at all is kept in the
cache, so that a page view asks the database only while one does.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from wagtail.models import Page, PageViewRestriction, Site

from portal.page_reading import page_at, page_with_pk, written_out

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
            # An empty queryset that is already evaluated: iterating `.none()` still builds its
            # SQL and catches EmptyResultSet (51 µs against 5 µs).
            none = PageViewRestriction.objects.none()
            none._result_cache = []
            none._prefetch_done = True
            return none
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


def route_page_at(request, path, pages):
    """Wagtail's route to the page of `pages` (a queryset of one specific page model) at `path`
    ("bulletins/<board>/", "articles/<slug>/") of the request's site, in one query, or None
    when there is no such page: the caller then lets Wagtail route the request its own way.

    Wagtail walks the tree from the site's root page, asking for each level's page and its
    specific fields (five queries to an article, six to a notice). A page's `url_path` is the
    slugs of that walk (Wagtail keeps it in step when a page is saved or moved), so the page
    whose url_path is the site root's followed by `path` is the one the walk ends on, for
    callers that know no page on the way routes differently (the index pages above these
    models route to their children by slug). As at the walk's end, a page that is not live is
    not found. The query is written out (`portal.page_reading`) when `pages` is one it can
    write out, and joins the site's root page for its url_path."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    slugs = [component for component in path.split("/") if component]
    if not slugs:
        return None
    names = written_out(pages)
    if names is not None:
        page = page_at(pages=pages, names=names, root_page_id=site.root_page_id, path=path)
    else:
        root_path = next(
            (root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk),
            None,
        )
        if root_path is None:
            return None
        page = pages.filter(slug=slugs[-1], url_path=root_path + path).first()
    if page is None:
        return None
    try:
        return page.route(request, [])
    except Http404:
        return None


def serve_routed(request, pages):
    """Serve the request's address by Wagtail, as at any other address of its pages (hooks,
    view restrictions, the page's own `serve`); only finding the page among `pages` is cheaper
    (`route_page_at`). If it is not there (or `pages` is None), Wagtail routes the request its
    own way."""
    from wagtail import views as wagtail_views  # its models are not loaded with this module's

    path = request.path_info[1:]
    route = route_page_at(request, path, pages) if pages is not None else None
    if route is not None:
        # Wagtail's serve takes the route found for the request from here (see
        # Page.route_for_request) instead of walking the page tree again.
        request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)


# The specific model of each site's root page, by the root page's id (a page keeps its model
# for life; a new root page is a new id).
_ROOT_MODELS: dict[int, type] = {}


def route_site_root(request):
    """Wagtail's route to the request's site's root page (the face's home), in one query once
    this process knows the root page's model, written out (`portal.page_reading`); None when it
    is not there or not live (the caller then lets Wagtail route the request its own way).
    Wagtail asks for the root page, then for its specific fields."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    model = _ROOT_MODELS.get(site.root_page_id)
    if model is None:
        content_type = (
            Page.objects.filter(pk=site.root_page_id)
            .values_list("content_type_id", flat=True)
            .first()
        )
        model = content_type and ContentType.objects.get_for_id(content_type).model_class()
        if model is None:
            return None
        _ROOT_MODELS[site.root_page_id] = model
    pages = model.objects.all()
    names = written_out(pages)
    if names is not None:
        page = page_with_pk(pages=pages, names=names, pk=site.root_page_id)
    else:
        page = pages.filter(pk=site.root_page_id).first()
    if page is None:
        return None
    try:
        return page.route(request, [])
    except Http404:
        return None


def serve_site_root(request):
    """The face's home page, served by Wagtail as at any other address (hooks, view
    restrictions, the page's own `serve`), only found in one query (`route_site_root`)."""
    from wagtail import views as wagtail_views  # its models are not loaded with this module's

    route = route_site_root(request)
    if route is not None:
        request._wagtail_route_for_request = route
    return wagtail_views.serve(request, "")
