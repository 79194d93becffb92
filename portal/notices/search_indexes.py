"""What the search finds among mass notices: a notice sent (not a draft), shown only to its
recipients (those with a delivery row), whatever the index holds."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import pgettext_lazy
from haystack import indexes

from portal.notices.models import Notice, NoticeDelivery
from portal.search.indexes import richtext_to_plain
from portal.search.registry import PortalSearchIndex, ResultText, SearchKind


class MassNoticeIndex(PortalSearchIndex, indexes.Indexable):
    """A mass notice the reader received, found by its subject and text."""

    model = Notice
    kind = SearchKind("mass-notices", pgettext_lazy("search kind", "Received notices"), order=35)
    faces = ("intranet",)

    def indexed_queryset(self, *, face):
        return Notice.objects.exclude(status=Notice.Status.DRAFT)

    def visible_to(self, *, user, queryset, face):
        if face != "intranet" or not (user.is_authenticated and user.is_employee):
            return queryset.none()
        received = NoticeDelivery.objects.filter(notice=OuterRef("pk"), recipient_id=user.pk)
        return queryset.exclude(status=Notice.Status.DRAFT).filter(Exists(received))

    def title_text(self, notice):
        return notice.subject

    def text_parts(self, notice):
        return [notice.subject, richtext_to_plain(notice.body_html)]

    def result_queryset(self, *, face):
        return Notice.objects.select_related("sender__employee")

    def result(self, notice, *, face):
        sender = getattr(notice.sender, "employee", None)
        details = [sender.name if sender else "", richtext_to_plain(notice.body_html)]
        return ResultText(
            title=notice.subject,
            url=reverse("notices:detail", args=[notice.pk]),
            text=" · ".join(part for part in details if part),
        )
