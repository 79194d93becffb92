"""Wagtail admin for the documents' reference data: categories and report types."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
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
        return super().get_base_queryset().select_related("source").prefetch_related("destinations")


class ReportTypeForm(WagtailAdminModelForm):
    """A route goes from its source to at least one other department."""

    def clean(self):
        cleaned = super().clean()
        source, destinations = cleaned.get("source"), cleaned.get("destinations")
        if source is not None and destinations and source in destinations:
            self.add_error("destinations", _("The source department cannot also be a destination."))
        return cleaned

    class Meta:
        widgets = {"destinations": forms.CheckboxSelectMultiple}


class ReportTypeViewSet(ModelViewSet):
    model = ReportType
    name = "report_types"
    url_prefix = "documents/report-types"
    icon = "list-ul"
    menu_label = _("Report types")
    list_display = ["name", "source", "destination_list", "due_hours", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "code"]
    form_fields = [
        "name",
        "name_en",
        "code",
        "source",
        "destinations",
        "due_hours",
        "guidance",
        "fields",
        "is_active",
        "sort_order",
    ]
    copy_view_enabled = False
    index_view_class = ReportTypeIndexView
    form_class = ReportTypeForm


class DocumentsViewSetGroup(ModelViewSetGroup):
    menu_label = pgettext_lazy("policy document", "Documents")
    menu_icon = "doc-full"
    items = (CategoryViewSet, ReportTypeViewSet)


@hooks.register("register_admin_viewset")
def register_documents_viewsets():
    return DocumentsViewSetGroup()
