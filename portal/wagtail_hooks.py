"""Wagtail admin for the people model and the audit log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.models import AuditEntry, Department, Position


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The audit log is written by services only; nobody adds, edits or deletes entries."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RelatedIndexView(IndexView):
    """A listing that fetches the objects its columns show in the same query."""

    select_related: tuple[str, ...] = ()

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.select_related)


class AuditLogIndexView(RelatedIndexView):
    select_related = ("actor",)


class DepartmentIndexView(RelatedIndexView):
    select_related = ("parent", "head")


register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry))


class AuditLogViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    list_display = ["created_at", "actor", "action", "target_repr", "reason"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "reason"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []

    index_view_class = AuditLogIndexView


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "name_en", "code", "parent", "head"]
    search_fields = ["name", "name_en", "code"]
    form_fields = ["name", "name_en", "code", "parent", "head", "sort_order"]
    copy_view_enabled = False

    index_view_class = DepartmentIndexView


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Positions")
    list_display = ["name", "name_en", "rank"]
    form_fields = ["name", "name_en", "rank"]
    copy_view_enabled = False


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    items = (DepartmentViewSet, PositionViewSet, AuditLogViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
