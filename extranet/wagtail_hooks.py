"""Wagtail admin for the catalogue: brands, products, sales policies, stock, allocations and
delivery routes, kept by sales administrators (their model permissions in permissions.py)."""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import EditView
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from extranet.catalogue.selectors import products_visible_to
from extranet.models import (
    Allocation,
    Brand,
    DeliveryRoute,
    Product,
    Retailer,
    RetailerAllocation,
    SalesPolicy,
    Stock,
)
from portal.wagtail_hooks import RelatedIndexView


class ProductIndexView(RelatedIndexView):
    select_related = ("brand",)


class StockIndexView(RelatedIndexView):
    select_related = ("product__brand",)


class StockEditView(EditView):
    """The available quantity is never typed here: orders change it under a row lock, so an
    absolute value written from a form could undo an order placed meanwhile. Editing a stock
    row goes to the sales page that changes it through `stock_adjust` (same lock, audited)."""

    def dispatch(self, request, *args, **kwargs):
        product_id = Stock.objects.filter(pk=kwargs.get("pk")).values_list("product_id", flat=True)
        product_id = product_id.first()
        if product_id is None:
            raise Http404
        return redirect("sales:stock_adjust", product_id=product_id)


class AllocationIndexView(RelatedIndexView):
    select_related = ("product__brand",)


class RetailerAllocationIndexView(RelatedIndexView):
    select_related = ("product__brand", "retailer")


class SalesPolicyIndexView(RelatedIndexView):
    select_related = ("product__brand",)


class BrandViewSet(ModelViewSet):
    model = Brand
    icon = "tag"
    menu_label = _("Brands")
    list_display = ["name"]
    search_fields = ["name"]
    form_fields = ["name", "description"]
    copy_view_enabled = False


class ProductViewSet(ModelViewSet):
    model = Product
    icon = "tag"
    menu_label = pgettext_lazy("sales menu", "Products")
    list_display = ["name", "brand", "code", "status", "wholesale_price", "is_scarce"]
    list_filter = ["status", "brand", "is_scarce"]
    search_fields = ["name", "code", "barcode"]
    form_fields = [
        "brand",
        "name",
        "code",
        "barcode",
        "pack_type",
        "sticks_per_pack",
        "tar_mg",
        "nicotine_mg",
        "carbon_monoxide_mg",
        "length_mm",
        "wholesale_price",
        "retail_price",
        "image",
        "description",
        "status",
        "is_scarce",
        "launched_on",
    ]
    copy_view_enabled = False
    index_view_class = ProductIndexView


class SalesPolicyViewSet(ModelViewSet):
    model = SalesPolicy
    icon = "doc-full"
    menu_label = pgettext_lazy("sales menu", "Sales policies")
    list_display = ["title", "product", "valid_from", "valid_until"]
    form_fields = ["product", "title", "body", "valid_from", "valid_until"]
    copy_view_enabled = False
    index_view_class = SalesPolicyIndexView


class StockViewSet(ModelViewSet):
    model = Stock
    icon = "table"
    menu_label = pgettext_lazy("sales menu", "Stock")
    list_display = ["product", "available", "updated_at"]
    # A new stock row starts at zero; quantities change only through "Adjust stock".
    form_fields = ["product"]
    copy_view_enabled = False
    index_view_class = StockIndexView
    edit_view_class = StockEditView


class AllocationViewSet(ModelViewSet):
    model = Allocation
    icon = "list-ol"
    menu_label = _("Allocations")
    list_display = ["product", "grade", "cartons"]
    list_filter = ["grade"]
    form_fields = ["product", "grade", "cartons"]
    copy_view_enabled = False
    index_view_class = AllocationIndexView


class RetailerAllocationViewSet(ModelViewSet):
    model = RetailerAllocation
    icon = "user"
    menu_label = _("Retailer allocations")
    list_display = ["product", "retailer", "cartons"]
    form_fields = ["product", "retailer", "cartons"]
    copy_view_enabled = False
    index_view_class = RetailerAllocationIndexView

    def formfield_for_dbfield(self, db_field, **kwargs):
        # The retailer is chosen in a searchable modal, never from a select of every retailer.
        if db_field.name == "retailer":
            kwargs["widget"] = retailer_chooser_viewset.widget_class()
        return super().formfield_for_dbfield(db_field, **kwargs)


class DeliveryRouteViewSet(ModelViewSet):
    model = DeliveryRoute
    icon = "site"
    menu_label = pgettext_lazy("sales menu", "Delivery routes")
    list_display = ["code", "name", "delivery_staff"]
    form_fields = ["code", "name", "delivery_staff"]
    copy_view_enabled = False


class CatalogueViewSetGroup(ModelViewSetGroup):
    menu_label = pgettext_lazy("sales menu", "Catalogue")
    menu_icon = "tag"
    items = (
        BrandViewSet,
        ProductViewSet,
        SalesPolicyViewSet,
        StockViewSet,
        AllocationViewSet,
        RetailerAllocationViewSet,
        DeliveryRouteViewSet,
    )


class RetailerChooserFilterForm(BaseFilterForm):
    """Search retailers by licence number (prefix) or store name: there are tens of thousands,
    so the chooser lists a page at a time and never renders them all."""

    q = forms.CharField(
        label=_("Search term"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Licence number or store name")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(licence_number__startswith=query) | Q(store_name__icontains=query)
            )
            self.is_searching = True
            self.search_query = query
        return objects


class SalesAdministratorsOnly:
    """Retailers are the sales administrators' business, not every admin user's."""

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        from extranet.permissions import is_sales_administrator

        if not is_sales_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RetailerChooseView(SalesAdministratorsOnly, ChooseView):
    filter_form_class = RetailerChooserFilterForm


class RetailerChooseResultsView(SalesAdministratorsOnly, ChooseResultsView):
    filter_form_class = RetailerChooserFilterForm


class RetailerChosenView(SalesAdministratorsOnly, ChosenView):
    pass


class RetailerChooserViewSet(ChooserViewSet):
    """Registered as the admin widget for every foreign key to Retailer (the per-retailer
    allocation's retailer): a modal with search and pagination instead of a 50,000-option
    select."""

    model = Retailer
    icon = "user"
    choose_one_text = _("Choose a retailer")
    choose_another_text = _("Choose another retailer")
    edit_item_text = _("Edit this retailer")
    per_page = 20
    choose_view_class = RetailerChooseView
    choose_results_view_class = RetailerChooseResultsView
    chosen_view_class = RetailerChosenView


retailer_chooser_viewset = RetailerChooserViewSet("extranet_retailer_chooser")


@hooks.register("register_admin_viewset")
def register_retailer_chooser():
    return retailer_chooser_viewset


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    return CatalogueViewSetGroup()


@hooks.register("portal_file_readers")
def catalogue_file_readers():
    """A product's picture (and those of its sales policies) is seen by whoever may look the
    product up: employees on the intranet, retailers on the extranet (portal.file_access)."""
    return [
        (Product, lambda *, user, face: products_visible_to(user=user, face=face)),
        (
            SalesPolicy,
            lambda *, user, face: SalesPolicy.objects.filter(
                product__in=products_visible_to(user=user, face=face)
            ),
        ),
    ]
