"""Product and inventory inquiry, and stock adjustments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from extranet import permissions, rules
from extranet.catalogue import selectors
from extranet.catalogue.forms import CatalogueSearchForm, StockAdjustForm
from extranet.catalogue.services import stock_adjust
from extranet.desk import tables
from extranet.desk.stock_history import stock_changes
from extranet.desk.views import PAGE_SIZE
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal


def products(request):
    form = CatalogueSearchForm(request.GET or None)
    query, brand_id = "", None
    if form.is_valid():
        query, brand_id = form.cleaned_data["q"], form.cleaned_data["brand"]
    listing = selectors.catalogue(query=query, brand_id=brand_id, include_discontinued=True)
    page = Paginator(listing.values(*tables.PRODUCT_ROW_FIELDS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    may_see_stock = permissions.may_see_stock(request.user)
    return render(
        request,
        "extranet/staff/products.html",
        {
            "active_module": "sales",
            "page": page,
            "rows": tables.product_rows(page.object_list, with_stock=may_see_stock),
            "query": query,
            "brand_id": brand_id,
            # Kept in the cache under the catalogue's generation (bumped on any brand change).
            "brands": selectors.catalogue_shared()["brands"],
            "may_see_stock": may_see_stock,
            "stock_labels": rules.STOCK_LABELS,
        },
    )


def product(request, product_id):
    item = get_visible_or_404(selectors.product_details(include_discontinued=True), pk=product_id)
    may_see_stock = permissions.may_see_stock(request.user)
    allocations = selectors.allocations_of(product=item) if may_see_stock else []
    return render(
        request,
        "extranet/staff/product.html",
        {
            "active_module": "sales",
            "product": item,
            "policies": list(item.policies.all()),
            "may_see_stock": may_see_stock,
            "may_adjust_stock": permissions.may_adjust_stock(request.user),
            "allocations": allocations,
            "stock_level": selectors.stock_level_of(item),
            "stock_labels": rules.STOCK_LABELS,
        },
    )


@require(permissions.may_adjust_stock)
def stock_adjust_view(request, product_id):
    item = get_visible_or_404(selectors.products_with_stock(), pk=product_id)
    available = selectors.stock_available_of(item)
    form = StockAdjustForm(request.POST or None, initial={"seen": available})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            counted = data["kind"] == "counted"
            try:
                stock = stock_adjust(
                    product=item,
                    reason=data["reason"],
                    actor=request.user,
                    delta=None if counted else data["quantity"],
                    counted=data["quantity"] if counted else None,
                    seen=data.get("seen"),
                )
            except Refusal as refused:
                # The stock or the form changed under the person's eyes: a conflict.
                form.add_error(None, refused.message)
                status = 409
            else:
                messages.success(
                    request,
                    _("Stock of %(product)s is now %(available)s cartons.")
                    % {"product": item, "available": stock.available},
                )
                return redirect("sales:product", product_id=item.pk)
        else:
            status = 400
        available = selectors.stock_available(product=item)
    history = stock_changes(product=item)
    return render(
        request,
        "extranet/staff/stock_adjust.html",
        {
            "active_module": "sales",
            "product": item,
            "available": available,
            "form": form,
            # `selectors.stock_history`, read with one written-out statement.
            "history": history,
            "history_rows": tables.stock_change_rows(history),
        },
        status=status,
    )
