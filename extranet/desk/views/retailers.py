"""Retailers: the list, the profile and its editing, the top list, the grades, and the
lookups behind the pickers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet import permissions, rules
from extranet.catalogue.models import DeliveryRoute
from extranet.crm import licences, selectors
from extranet.crm.forms import DynamicProfileForm, RetailerFilterForm, StaticProfileForm
from extranet.crm.services import (
    DYNAMIC_FIELDS,
    INFORMATION_GROUPS,
    READ_ONLY_ITEMS,
    grades_recompute_request,
    retailer_update,
)
from extranet.desk import tables
from extranet.desk.views import PAGE_SIZE
from extranet.ordering.selectors import orders_visible_to
from portal.permissions import get_visible_or_404, require


@require(permissions.is_sales_staff)
def retailers(request):
    visible = selectors.retailers_visible_to(request.user)
    form = RetailerFilterForm(request.GET or None, regions=selectors.regions_of(visible))
    filters = form.cleaned_data if form.is_valid() else {}
    listing = selectors.retailers_filtered(
        user=request.user,
        grade=filters.get("grade"),
        route=filters.get("route").pk if filters.get("route") else None,
        order_day=filters.get("order_day"),
        region=filters.get("region", ""),
        query=filters.get("q", ""),
    )
    today = timezone.localdate()
    if filters.get("buying"):
        listing = listing.filter(licences.buying_filter(filters["buying"], today))
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.buying = licences.buying_state(item, today)
    return render(
        request,
        "extranet/staff/retailers.html",
        {
            "active_module": "sales",
            "form": form,
            "page": page,
            "may_recompute": permissions.may_recompute_grades(request.user),
            "may_import": permissions.may_import_retailers(request.user),
        },
    )


@require(permissions.is_sales_staff)
def retailer(request, retailer_id):
    item = get_visible_or_404(selectors.retailers_visible_to(request.user), pk=retailer_id)
    item.buying = licences.buying_state(item, timezone.localdate())
    orders = Paginator(orders_visible_to(request.user).filter(retailer=item), 20)

    return render(
        request,
        "extranet/staff/retailer.html",
        {
            "active_module": "sales",
            "retailer": item,
            "groups": information_groups(item),
            "visit_rows": tables.visit_log_rows(
                selectors.retailer_visits(retailer=item, fields=tables.VISIT_LOG_FIELDS)
            ),
            "may_record_visit": permissions.may_record_visit(request.user, item),
            "orders": orders.get_page(request.GET.get("page")),
            "history": selectors.retailer_history(retailer=item),
            "may_edit_static": permissions.may_edit_static(request.user),
            "may_edit_dynamic": permissions.may_edit_dynamic(request.user, item),
            "may_manage_logins": permissions.may_manage_logins(request.user, item),
        },
    )


def information_groups(item):
    """The five information groups of source 002 as the profile shows them: per group its
    title and items (label, value, kind), kind being "static", "dynamic" or "read-only"."""
    groups = []
    for key, title, names in INFORMATION_GROUPS:
        items = []
        for name in names:
            if name == "delivery_staff":
                label = DeliveryRoute._meta.get_field("delivery_staff").verbose_name
                value = (item.route.delivery_staff if item.route_id else "") or "—"
            else:
                label = item._meta.get_field(name).verbose_name
                value = _display(item, name)
            if name in READ_ONLY_ITEMS:
                kind = "read-only"
            else:
                kind = "dynamic" if name in DYNAMIC_FIELDS else "static"
            items.append((label, value, kind))
        groups.append({"key": key, "title": title, "items": items})
    return groups


def _display(item, name):
    getter = getattr(item, f"get_{name}_display", None)
    value = getter() if getter else getattr(item, name)
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "—" if value in (None, "") else value


@require(permissions.is_sales_staff)
def retailer_edit(request, retailer_id, group):
    if group not in ("static", "dynamic"):
        raise Http404
    item = get_visible_or_404(selectors.retailers_visible_to(request.user), pk=retailer_id)
    if group == "static":
        allowed, form_class = permissions.may_edit_static(request.user), StaticProfileForm
    else:
        allowed = permissions.may_edit_dynamic(request.user, item)
        form_class = DynamicProfileForm
    if not allowed:
        raise PermissionDenied
    form = form_class(request.POST or None, instance=_fresh(item))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        changed = retailer_update(retailer=item, actor=request.user, changes=changes, group=group)
        if changed:
            messages.success(request, _("The profile is saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("sales:retailer", retailer_id=item.pk)
    return render(
        request,
        "extranet/staff/retailer_edit.html",
        {"active_module": "sales", "retailer": item, "form": form, "group": group},
    )


def _fresh(item):
    # The form edits a copy, so a refused form never leaves half-changed values on `item`.
    return type(item).objects.get(pk=item.pk)


@require(permissions.is_sales_staff)
def top_retailers(request):
    page = Paginator(selectors.top_retailers(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "extranet/staff/top.html",
        {"active_module": "sales", "page": page, "share": int(rules.top_share() * 100)},
    )


@require_POST
@require(permissions.may_recompute_grades)
def grades_recompute(request):
    grades_recompute_request(actor=request.user)
    messages.success(request, _("Grades will be recomputed in the background in a moment."))
    return redirect("sales:retailers")


# Lookups behind the pickers -------------------------------------------------------------------

LOOKUP_KINDS = ("retailers", "employees", "routes")


@require(permissions.may_use_lookups)
def lookup(request, kind):
    """JSON suggestions for the retailer, account-manager and route pickers: at most
    selectors.LOOKUP_LIMIT rows, only what the person may see."""
    if kind not in LOOKUP_KINDS:
        raise Http404
    results = selectors.lookup(kind=kind, user=request.user, query=request.GET.get("q", ""))
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
