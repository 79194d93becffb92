"""Wagtail admin for the forum: boards only. Pseudonyms, their link to people and reveals have
no admin listing on purpose (the mapping must not be browsable, not even by superusers)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from forum.models import Board


class BoardIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("department")


class BoardViewSet(ModelViewSet):
    model = Board
    icon = "list-ul"
    menu_label = _("Forum boards")
    add_to_admin_menu = True
    list_display = [
        "name",
        "name_en",
        "slug",
        "department",
        "owner_app",
        "topic_count",
        "post_count",
    ]
    search_fields = ["name", "name_en", "slug", "description"]
    form_fields = ["name", "name_en", "slug", "description", "department", "sort_order"]
    copy_view_enabled = False
    index_view_class = BoardIndexView


@hooks.register("register_admin_viewset")
def register_board_viewset():
    return BoardViewSet("forum_boards")
