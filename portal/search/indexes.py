"""Base classes for the portal's search indexes beyond `PortalSearchIndex` itself."""

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import strip_tags
from wagtail.models import Page

from portal.search.registry import PortalSearchIndex, ResultText
from portal.search.visibility import pages_in_face, pages_visible_to
from portal.sites import site_for_face

# Block ends become spaces, so that the last word of a paragraph does not run into the next.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|ul|ol|div|blockquote|tr|td|th|pre)>|<br\s*/?>", re.I)


@lru_cache(maxsize=8192)
def _served_path(path_in_site: str, urlconf: str, prefix: str) -> str:
    """The address Wagtail serves a page at, from its path below its site's root (what
    `Page.get_url_parts` reverses for every page)."""
    served = reverse("wagtail_serve", args=(path_in_site,), urlconf=urlconf)
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and served != "/":
        served = served.rstrip("/")
    return served


class PageLinks:
    """Links to pages as `face` shows them, as Wagtail's `get_url` makes them, with the sites'
    root paths read once for all the pages instead of from the cache for each page (this
    object is the cache object Wagtail's `request` argument stands for), and each page's
    address reversed once per process (a list of twenty articles reversed twenty times)."""

    def __init__(self, face: str):
        self.site = site_for_face(face)

    def url(self, page) -> str:
        roots = page._get_site_root_paths(self)  # Wagtail's, kept on this object
        possible = [root for root in roots if page.url_path.startswith(root.root_path)]
        if (
            not possible
            or len({root.site_id for root in possible}) > 1
            or getattr(settings, "WAGTAIL_I18N_ENABLED", False)
            or type(page).get_url_parts is not Page.get_url_parts
        ):
            return page.get_url(request=self, current_site=self.site) or ""  # Wagtail's way
        site_id, root_path, root_url, _language = possible[0]
        path = _served_path(
            page.url_path[len(root_path) :],
            str(get_urlconf() or settings.ROOT_URLCONF),
            get_script_prefix(),
        )
        if site_id == self.site.id or len({root.site_id for root in roots}) == 1:
            return path
        return root_url + path


def richtext_to_plain(value: str) -> str:
    """The text of a rich text field (Wagtail's HTML), without tags or entities."""
    return html.unescape(strip_tags(BLOCK_END.sub(" ", value or ""))).strip()


class PageSearchIndex(PortalSearchIndex):
    """A Wagtail page model as a kind: a page goes to the index of the face whose site tree it
    is in, while it is live, and is shown to whom its view restrictions let in.

    Subclasses set `model`, `kind`, `faces` and give their body in `body_text()`.
    """

    def indexed_queryset(self, *, face: str) -> QuerySet:
        return pages_in_face(self.model.objects.live(), face)

    def visible_to(self, *, user, queryset: QuerySet, face: str) -> QuerySet:
        return pages_visible_to(user=user, queryset=queryset, face=face)

    def body_text(self, page) -> str:
        """The plain text of the page's content."""
        return ""

    def title_text(self, page) -> str:
        return page.title

    def text_parts(self, page) -> Iterable[str]:
        return [page.title, page.search_description, self.body_text(page)]

    def results(self, pages: list, *, face: str) -> list[ResultText]:
        links = PageLinks(face)
        return [self.result(page, face=face, url=links.url(page)) for page in pages]

    def result(self, page, *, face: str, url: str | None = None) -> ResultText:
        """How `page` is shown; `url` its link when the caller has it already."""
        if url is None:
            url = PageLinks(face).url(page)
        return ResultText(
            title=page.title,
            url=url,
            text=" ".join(part for part in (page.search_description, self.body_text(page)) if part),
        )
