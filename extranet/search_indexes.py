"""What the intranet's unified search finds in the extranet app: the catalogue's products, for
the sales staff (account managers, sales administrators). The portal's search registry finds
this module by haystack's discovery; the core never imports the extranet."""

from django.urls import reverse
from django.utils.translation import pgettext_lazy
from haystack import indexes

from extranet import permissions
from extranet.catalogue.models import Product
from portal.search.registry import PortalSearchIndex, ResultText, SearchKind


class ProductIndex(PortalSearchIndex, indexes.Indexable):
    """A product, found by its name, brand, product code (ZH001), barcode and description;
    linked to its page in the sales staff's product inquiry."""

    model = Product
    kind = SearchKind("products", pgettext_lazy("search kind", "Products"), order=50)
    faces = ("intranet",)
    related = {"brand": ("name",)}

    def indexed_queryset(self, *, face):
        return Product.objects.select_related("brand")

    def visible_to(self, *, user, queryset, face):
        if face != "intranet" or not permissions.may_find_products(user):
            return queryset.none()
        return queryset

    def title_text(self, product):
        return product.name

    def text_parts(self, product):
        return [
            product.name,
            product.brand.name,
            product.code,
            product.barcode,
            product.description,
        ]

    def result_queryset(self, *, face):
        return Product.objects.select_related("brand")

    def result(self, product, *, face):
        details = [
            product.brand.name,
            product.code,
            product.get_status_display(),
            product.description,
        ]
        return ResultText(
            title=product.name,
            url=reverse("sales:product", args=[product.pk]),
            text=" · ".join(str(part) for part in details if part),
        )
