"""Orders: the list and moving orders on, an order, and picking lists."""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from extranet import permissions
from extranet.desk import tables
from extranet.desk.order_rows import OrderRows
from extranet.desk.views import PAGE_SIZE
from extranet.ordering import selectors
from extranet.ordering.forms import CancelForm, OrderFilterForm, PickingForm
from extranet.ordering.models import Order
from extranet.ordering.services import (
    NEXT_STATUS,
    OrderRefused,
    order_cancel,
    order_mark_paid,
    orders_advance,
)
from portal.permissions import get_visible_or_404, require


def _next_status_label(status) -> str:
    return Order.Status(NEXT_STATUS[status]).label if status in NEXT_STATUS else ""


@require(permissions.is_sales_staff)
def orders(request):
    form = OrderFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # `selectors.orders_filtered`'s orders, read with one written-out statement.
    rows = OrderRows(
        user=request.user,
        cycle=filters.get("cycle"),
        route=filters.get("route").pk if filters.get("route") else None,
        status=filters.get("status", ""),
    )
    page = rows.page(request.GET.get("page"), PAGE_SIZE)
    status = filters.get("status", "")
    next_status = _next_status_label(status)
    return render(
        request,
        "extranet/staff/orders.html",
        {
            "active_module": "sales",
            "form": form,
            "page": page,
            "status": status,
            "next_status": next_status,
            "rows": tables.order_rows(page.object_list, selectable=bool(next_status)),
        },
    )


@require_POST
@require(permissions.is_sales_staff)
def orders_advance_view(request):
    status = request.POST.get("from_status", "")
    ids = [value for value in request.POST.getlist("order") if value.isdigit()]
    # Only orders this person may see can be moved.
    visible = list(
        selectors.orders_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if not visible:
        messages.error(request, _("Select at least one order."))
    else:
        try:
            moved = orders_advance(order_ids=visible, from_status=status, actor=request.user)
        except OrderRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("%(count)s orders moved on.") % {"count": moved})
    back = request.POST.get("back", "")
    return redirect(back if back.startswith("/sales/") else "sales:orders")


@require(permissions.is_sales_staff)
def order(request, order_id):
    item = get_visible_or_404(selectors.order_details_for_staff(user=request.user), pk=order_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "paid":
            order_mark_paid(order=item, actor=request.user)
            messages.success(request, _("Payment recorded."))
            return redirect("sales:order", order_id=item.pk)
        if form.is_valid():
            try:
                order_cancel(
                    order=item,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    by_retailer=False,
                )
            except OrderRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The order is cancelled; its cartons are released."))
            return redirect("sales:order", order_id=item.pk)
    return render(
        request,
        "extranet/staff/order.html",
        {
            "active_module": "sales",
            "order": item,
            "form": form,
            "may_cancel": permissions.may_cancel_as_staff(item),
            "next_status": _next_status_label(item.status),
        },
        status=400 if request.method == "POST" else 200,
    )


@require(permissions.is_sales_staff)
def picking(request):
    form = PickingForm(request.GET or None)
    data = None
    if form.is_valid():
        data = selectors.picking_list(
            user=request.user,
            route_id=form.cleaned_data["route"].pk,
            cycle=form.cleaned_data["cycle"],
        )
        if request.GET.get("format") == "xlsx":
            return _picking_workbook(form.cleaned_data, data)
    return render(
        request,
        "extranet/staff/picking.html",
        {"active_module": "sales", "form": form, "data": data, "printed_at": timezone.now()},
    )


def _picking_workbook(filters, data):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("order", "Picking")[:31]
    route, cycle = filters["route"], filters["cycle"]
    sheet.append(
        [pgettext("order", "Route"), str(route), pgettext("order", "Order day"), cycle.isoformat()]
    )
    sheet.append([])
    sheet.append(
        [
            pgettext("order", "Product code"),
            pgettext("order", "Product"),
            pgettext("order", "Cartons"),
        ]
    )
    for entry in data["products"]:
        product = entry["product"]
        sheet.append([product.code, str(product), entry["cartons"]])
    stores = workbook.create_sheet(_("Stores")[:31])
    stores.append(
        [
            pgettext("order", "Order"),
            pgettext("order", "Licence number"),
            pgettext("order", "Store"),
            pgettext("store address", "Address"),
            pgettext("store phone", "Phone"),
            pgettext("order", "Product"),
            pgettext("order", "Cartons"),
        ]
    )
    for item in data["orders"]:
        for line in item.lines.all():
            stores.append(
                [
                    item.number,
                    item.retailer.licence_number,
                    item.retailer.store_name,
                    item.retailer.address,
                    item.retailer.contact_phone,
                    str(line.product),
                    line.quantity,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="picking-{route.code}-{cycle}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
