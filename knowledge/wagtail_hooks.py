"""Wagtail admin of the knowledge base: the knowledge types (the editable taxonomy), article
attachments (chosen in an article's body), and a link to the editors' report."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from knowledge.models import ArticleAttachment, ArticlePage, KnowledgeType
from knowledge.permissions import may_see_report
from knowledge.selectors import articles_visible_to


class KnowledgeTypeViewSet(SnippetViewSet):
    model = KnowledgeType
    icon = "tag"
    menu_label = pgettext_lazy("knowledge", "Knowledge types")
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en"]
    ordering = ["sort_order", "name"]


class ArticleAttachmentViewSet(SnippetViewSet):
    model = ArticleAttachment
    icon = "doc-full"
    menu_label = _("Article attachments")
    list_display = ["title", "filename", "article", "uploaded_at"]
    search_fields = ["title", "filename"]
    ordering = ["-uploaded_at"]


class KnowledgeViewSetGroup(SnippetViewSetGroup):
    items = (KnowledgeTypeViewSet, ArticleAttachmentViewSet)
    menu_icon = "help"
    menu_label = pgettext_lazy("knowledge", "Knowledge base")
    menu_name = "knowledge"


register_snippet(KnowledgeViewSetGroup)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_report(request.user)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Knowledge report"), reverse("knowledge:report"), icon_name="table", order=900
    )


@hooks.register("portal_file_readers")
def article_file_readers():
    """An article's pictures are seen by whoever may read the article on the face asked
    (internal articles on the intranet, external ones by retailers; view restrictions count).
    See portal.file_access."""
    return [(ArticlePage, lambda *, user, face: articles_visible_to(user=user, face=face))]
