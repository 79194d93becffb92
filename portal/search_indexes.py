"""What the search finds in the core of the portal: information pages."""

from django.utils.translation import pgettext_lazy
from haystack import indexes

from portal.models import InformationPage
from portal.search.indexes import PageSearchIndex, richtext_to_plain
from portal.search.registry import SearchKind

PAGES = SearchKind("pages", pgettext_lazy("search kind", "Pages"), order=90)


class InformationPageIndex(PageSearchIndex, indexes.Indexable):
    """An information page, in the index of the face whose site it is under."""

    model = InformationPage
    kind = PAGES
    faces = ("intranet", "extranet")

    def body_text(self, page):
        return richtext_to_plain(page.body)
