"""Wagtail admin for the documents' reference data: categories and report types."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from documents.circulation.models import ReportType
from documents.register.models import Category


class CategoryViewSet(ModelViewSet):
    model = Category
    name = "document_categories"
    url_prefix = "documents/categories"
    icon = "folder-open-inverse"
    menu_label = _("Document categories")
    list_display = ["name", "name_en", "sort_order"]
    search_fields = ["name", "name_en"]
    form_fields = ["name", "name_en", "sort_order"]
    copy_view_enabled = False


class ReportTypeIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source", "destination")


class ReportTypeViewSet(ModelViewSet):
    model = ReportType
    name = "report_types"
    url_prefix = "documents/report-types"
    icon = "list-ul"
    menu_label = _("Report types")
    list_display = ["name", "source", "destination", "due_hours", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "code"]
    form_fields = [
        "name",
        "name_en",
        "code",
        "source",
        "destination",
        "due_hours",
        "guidance",
        "fields",
        "is_active",
        "sort_order",
    ]
    copy_view_enabled = False
    index_view_class = ReportTypeIndexView


class DocumentsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Documents")
    menu_icon = "doc-full"
    items = (CategoryViewSet, ReportTypeViewSet)


@hooks.register("register_admin_viewset")
def register_documents_viewsets():
    return DocumentsViewSetGroup()
