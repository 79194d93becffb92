"""What the search finds in the bulletins: notices, shown only to their audience."""

from django.utils.translation import pgettext_lazy
from haystack import indexes

from bulletins.models import Notice
from bulletins.selectors import notices_visible_to
from portal.search.indexes import PageSearchIndex, richtext_to_plain
from portal.search.registry import SearchKind


class NoticeIndex(PageSearchIndex, indexes.Indexable):
    """A notice on a board or channel, found by its title and body (expired ones too: they
    stay reachable by link and in the archive)."""

    model = Notice
    kind = SearchKind("notices", pgettext_lazy("bulletins", "Notices"), order=30)
    faces = ("intranet",)

    def visible_to(self, *, user, queryset, face):
        # Wagtail's view restrictions first, then the notice's audience.
        return notices_visible_to(
            user=user, queryset=super().visible_to(user=user, queryset=queryset, face=face)
        )

    def body_text(self, page):
        return richtext_to_plain(page.body)
