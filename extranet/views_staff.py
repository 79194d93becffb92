"""The sales staff's pages on the intranet (/sales/): product and inventory inquiry, retailers,
orders, picking lists. Who sees what is decided in extranet.permissions and the selectors."""

import io
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet import permissions, rules, selectors
from extranet.forms import (
    CancelForm,
    CatalogueSearchForm,
    DynamicProfileForm,
    OrderFilterForm,
    PickingForm,
    RetailerFilterForm,
    RetailerImportForm,
    StaticProfileForm,
)
from extranet.market import permissions as market_permissions
from extranet.models import Allocation, Brand, Order
from extranet.services import (
    DYNAMIC_FIELDS,
    NEXT_STATUS,
    STATIC_FIELDS,
    OrderRefused,
    grades_recompute_request,
    order_cancel,
    order_mark_paid,
    orders_advance,
    retailer_rows_from_excel,
    retailer_update,
    retailers_import,
)
from portal.models import AuditEntry

PAGE_SIZE = 50


def sales_staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_sales_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def index(request):
    return render(
        request,
        "extranet/staff/index.html",
        {
            "active_module": "sales",
            "is_sales_staff": permissions.is_sales_staff(request.user),
            "may_import": permissions.may_import_retailers(request.user),
            "may_feedback": permissions.may_use_feedback_desk(request.user),
            "may_market": market_permissions.may_use_market_desk(request.user),
            "may_analysis": market_permissions.may_see_analysis(request.user),
        },
    )


# Product and inventory inquiry ----------------------------------------------------------------


def products(request):
    form = CatalogueSearchForm(request.GET or None)
    query, brand_id = "", None
    if form.is_valid():
        query, brand_id = form.cleaned_data["q"], form.cleaned_data["brand"]
    page = Paginator(
        selectors.catalogue(query=query, brand_id=brand_id, include_discontinued=True), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "extranet/staff/products.html",
        {
            "active_module": "sales",
            "page": page,
            "query": query,
            "brand_id": brand_id,
            "brands": list(Brand.objects.order_by("name").values("pk", "name")),
            "may_see_stock": permissions.may_see_stock(request.user),
            "stock_labels": rules.STOCK_LABELS,
        },
    )


def product(request, product_id):
    item = selectors.product_detail(product_id=product_id, include_discontinued=True)
    if item is None:
        raise Http404
    may_see_stock = permissions.may_see_stock(request.user)
    allocations = (
        list(Allocation.objects.filter(product=item).order_by("grade")) if may_see_stock else []
    )
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


# Retailers ------------------------------------------------------------------------------------


@sales_staff_only
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
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
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


def _retailer_or_404(request, retailer_id):
    return permissions.get_or_404(selectors.retailers_visible_to(request.user), pk=retailer_id)


@sales_staff_only
def retailer(request, retailer_id):
    item = _retailer_or_404(request, retailer_id)
    orders = Paginator(selectors.orders_visible_to(request.user).filter(retailer=item), 20)
    history = AuditEntry.objects.filter(
        target_type__app_label="extranet",
        target_type__model="retailer",
        target_id=str(item.pk),
    ).select_related("actor")[:20]

    def group(fields):
        return [(item._meta.get_field(name).verbose_name, _display(item, name)) for name in fields]

    return render(
        request,
        "extranet/staff/retailer.html",
        {
            "active_module": "sales",
            "retailer": item,
            "static": group(STATIC_FIELDS),
            "dynamic": group(DYNAMIC_FIELDS),
            "orders": orders.get_page(request.GET.get("page")),
            "history": list(history),
            "may_edit_static": permissions.may_edit_static(request.user),
            "may_edit_dynamic": permissions.may_edit_dynamic(request.user, item),
            "may_manage_logins": permissions.may_manage_logins(request.user, item),
        },
    )


def _display(item, name):
    getter = getattr(item, f"get_{name}_display", None)
    value = getter() if getter else getattr(item, name)
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "—" if value in (None, "") else value


@sales_staff_only
def retailer_edit(request, retailer_id, group):
    if group not in ("static", "dynamic"):
        raise Http404
    item = _retailer_or_404(request, retailer_id)
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


@sales_staff_only
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
def grades_recompute(request):
    if not permissions.may_recompute_grades(request.user):
        raise PermissionDenied
    grades_recompute_request(actor=request.user)
    messages.success(request, _("Grades will be recomputed in the background in a moment."))
    return redirect("sales:retailers")


def retailers_import_view(request):
    """The dry run (preview) of a small file runs here; the import itself is queued for the
    worker, and the status page follows it."""
    from extranet.services import IMPORT_MAX_ROWS, retailer_import_queue

    if not permissions.may_import_retailers(request.user):
        raise PermissionDenied
    form = RetailerImportForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if request.POST.get("action") == "import":
            job = retailer_import_queue(file=upload, actor=request.user)
            messages.success(request, _("The import is queued; this page shows its progress."))
            return redirect("sales:import_status", import_id=job.pk)
        try:
            parsed = retailer_rows_from_excel(upload, max_rows=IMPORT_MAX_ROWS)
        except OrderRefused as refused:
            form.add_error("file", refused.message)
        else:
            rows = retailers_import(rows=parsed, actor=request.user, apply=False)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request,
        "extranet/staff/import.html",
        {
            "active_module": "sales",
            "form": form,
            "rows": rows,
            "errors": sum(row.action == "error" for row in rows) if rows else 0,
            "recent": selectors.recent_imports(),
        },
        status=status,
    )


def retailers_import_status(request, import_id):
    if not permissions.may_import_retailers(request.user):
        raise PermissionDenied
    job = permissions.get_or_404(selectors.recent_imports_queryset(), pk=import_id)
    return render(
        request,
        "extranet/staff/import_status.html",
        {"active_module": "sales", "job": job},
    )


# Orders ---------------------------------------------------------------------------------------


@sales_staff_only
def orders(request):
    form = OrderFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = selectors.orders_filtered(
        user=request.user,
        cycle=filters.get("cycle"),
        route=filters.get("route").pk if filters.get("route") else None,
        status=filters.get("status", ""),
    )
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    status = filters.get("status", "")
    return render(
        request,
        "extranet/staff/orders.html",
        {
            "active_module": "sales",
            "form": form,
            "page": page,
            "status": status,
            "next_status": Order.Status(NEXT_STATUS[status]).label if status in NEXT_STATUS else "",
            "picking": PickingForm(
                initial={"cycle": filters.get("cycle"), "route": filters.get("route")}
            ),
        },
    )


@require_POST
@sales_staff_only
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


@sales_staff_only
def order(request, order_id):
    item = selectors.order_for_staff(user=request.user, order_id=order_id)
    if item is None:
        raise Http404
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
            "may_cancel": item.status not in (Order.Status.DELIVERED, Order.Status.CANCELLED),
            "next_status": Order.Status(NEXT_STATUS[item.status]).label
            if item.status in NEXT_STATUS
            else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@sales_staff_only
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
    sheet.title = _("Picking")[:31]
    route, cycle = filters["route"], filters["cycle"]
    sheet.append([_("Route"), str(route), _("Order day"), cycle.isoformat()])
    sheet.append([])
    sheet.append([_("Product code"), _("Product"), _("Cartons")])
    for entry in data["products"]:
        product = entry["product"]
        sheet.append([product.code, str(product), entry["cartons"]])
    stores = workbook.create_sheet(_("Stores")[:31])
    stores.append([_("Order"), _("Licence number"), _("Store"), _("Product"), _("Cartons")])
    for item in data["orders"]:
        for line in item.lines.all():
            stores.append(
                [
                    item.number,
                    item.retailer.licence_number,
                    item.retailer.store_name,
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


# Feedback and complaints ----------------------------------------------------------------------


def feedback_desk_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.may_use_feedback_desk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@feedback_desk_only
def feedback_list(request):
    from extranet.forms import FeedbackFilterForm

    now = timezone.now()
    form = FeedbackFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.feedback_filtered(
        user=request.user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        overdue=filters.get("overdue", False),
        now=now,
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "extranet/staff/feedback_list.html",
        {
            "active_module": "sales",
            "form": form,
            "page": page,
            "now": now,
            "overdue_by_manager": selectors.overdue_by_account_manager(user=request.user, now=now),
            "rates": selectors.callback_rates_by_month(user=request.user, now=now),
            "sees_all": permissions.may_see_all_feedback(request.user),
        },
    )


def _feedback_forms(request, feedback, bound=None):
    from extranet.forms import CallbackForm, EffectiveForm, NoteForm, ReassignForm, ResolutionForm

    forms_ = {
        "callback": CallbackForm(
            initial={"called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        ),
        "resolve": ResolutionForm(),
        "note": NoteForm(),
    }
    if permissions.may_manage_feedback(request.user):
        forms_["reassign"] = ReassignForm(initial={"employee": feedback.assigned_to_id})
        forms_["flag"] = EffectiveForm(initial={"effective": feedback.is_effective_complaint})
    if bound:
        forms_.update(bound)
    return forms_


def _render_feedback(request, feedback, bound=None, status=200):
    return render(
        request,
        "extranet/staff/feedback_item.html",
        {
            "active_module": "sales",
            "feedback": feedback,
            "forms": _feedback_forms(request, feedback, bound),
            "may_handle": permissions.may_handle_feedback(request.user, feedback),
            "now": timezone.now(),
        },
        status=status,
    )


@feedback_desk_only
def feedback_item(request, feedback_id):
    feedback = selectors.feedback_for_staff(user=request.user, feedback_id=feedback_id)
    if feedback is None:
        raise Http404
    return _render_feedback(request, feedback)


FEEDBACK_ACTIONS = ("callback", "resolve", "note", "reassign", "flag")


@require_POST
@feedback_desk_only
def feedback_action(request, feedback_id, action):
    from extranet import services
    from extranet.forms import CallbackForm, EffectiveForm, NoteForm, ReassignForm, ResolutionForm

    feedback = selectors.feedback_for_staff(user=request.user, feedback_id=feedback_id)
    if feedback is None or action not in FEEDBACK_ACTIONS:
        raise Http404
    manage = action in ("reassign", "flag")
    if manage and not permissions.may_manage_feedback(request.user):
        raise PermissionDenied
    if not manage and not permissions.may_handle_feedback(request.user, feedback):
        raise PermissionDenied
    form_class = {
        "callback": CallbackForm,
        "resolve": ResolutionForm,
        "note": NoteForm,
        "reassign": ReassignForm,
        "flag": EffectiveForm,
    }[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render_feedback(request, feedback, {action: form}, status=400)
    data, actor = form.cleaned_data, request.user
    calls = {
        "callback": lambda: services.feedback_callback_record(
            feedback=feedback,
            actor=actor,
            called_at=data.get("called_at"),
            method=data.get("method"),
            summary=data.get("summary"),
        ),
        "resolve": lambda: services.feedback_resolve(
            feedback=feedback, actor=actor, resolution=data.get("resolution")
        ),
        "note": lambda: services.feedback_note_add(
            feedback=feedback, actor=actor, text=data.get("text")
        ),
        "reassign": lambda: services.feedback_reassign(
            feedback=feedback, actor=actor, employee=data.get("employee")
        ),
        "flag": lambda: services.feedback_flag_effective(
            feedback=feedback, actor=actor, effective=data.get("effective")
        ),
    }
    try:
        calls[action]()
    except services.FeedbackRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("sales:feedback_item", feedback.pk)
    messages.success(request, _("Saved."))
    return redirect("sales:feedback_item", feedback.pk)


@feedback_desk_only
def feedback_photo(request, feedback_id, photo_id):
    from portal.files import private_file_response

    feedback = selectors.feedback_visible_to(request.user).filter(pk=feedback_id).first()
    photo = feedback and feedback.photos.filter(pk=photo_id).first()
    if not photo:
        raise Http404
    return private_file_response(photo.file, filename=photo.name, as_attachment=False)


# Stock adjustments ----------------------------------------------------------------------------


def stock_adjust_view(request, product_id):
    from extranet.forms import StockAdjustForm
    from extranet.services import stock_adjust

    if not permissions.may_adjust_stock(request.user):
        raise PermissionDenied
    item = selectors.product_detail(product_id=product_id, include_discontinued=True)
    if item is None:
        raise Http404
    available = selectors.stock_available(product=item)
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
            except OrderRefused as refused:
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
    return render(
        request,
        "extranet/staff/stock_adjust.html",
        {
            "active_module": "sales",
            "product": item,
            "available": available,
            "form": form,
            "history": selectors.stock_history(product=item),
        },
        status=status,
    )


# Retailer logins ------------------------------------------------------------------------------


def _logins_retailer(request, retailer_id):
    if not permissions.is_sales_staff(request.user):
        raise PermissionDenied
    item = _retailer_or_404(request, retailer_id)
    if not permissions.may_manage_logins(request.user, item):
        raise PermissionDenied
    return item


def _render_logins(request, item, form, *, issued=None, status=200):
    from extranet.forms import PasswordDeliveryForm

    response = render(
        request,
        "extranet/staff/logins.html",
        {
            "active_module": "sales",
            "retailer": item,
            "logins": selectors.logins_of(retailer=item),
            "form": form,
            "reset_form": PasswordDeliveryForm(),
            "issued": issued,
        },
        status=status,
    )
    # A password shown once must not be kept by the browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


def retailer_logins(request, retailer_id):
    from extranet.forms import RetailerLoginForm
    from extranet.services import retailer_login_issue

    item = _logins_retailer(request, retailer_id)
    form = RetailerLoginForm(request.POST or None)
    if request.method != "POST":
        return _render_logins(request, item, form)
    if not form.is_valid():
        return _render_logins(request, item, form, status=400)
    data = form.cleaned_data
    try:
        user, password = retailer_login_issue(
            retailer=item,
            username=data["username"],
            email=data["email"],
            deliver=data["deliver"],
            actor=request.user,
        )
    except OrderRefused as refused:
        form.add_error(None, refused.message)
        return _render_logins(request, item, form, status=409)
    if password is None:
        messages.success(
            request,
            _("The login %(name)s is issued; its password is being mailed.")
            % {"name": user.username},
        )
        return redirect("sales:logins", retailer_id=item.pk)
    return _render_logins(
        request, item, RetailerLoginForm(), issued={"username": user.username, "password": password}
    )


def _login_or_404(item, user_id):
    from extranet.models import RetailerLogin

    login = RetailerLogin.objects.select_related("user").filter(retailer=item, user_id=user_id)
    found = login.first()
    if found is None:
        raise Http404
    found.retailer = item
    return found


@require_POST
def retailer_login_password(request, retailer_id, user_id):
    from extranet.forms import PasswordDeliveryForm, RetailerLoginForm
    from extranet.services import retailer_login_password_reset

    item = _logins_retailer(request, retailer_id)
    login = _login_or_404(item, user_id)
    form = PasswordDeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to hand over the new password."))
        return redirect("sales:logins", retailer_id=item.pk)
    try:
        password = retailer_login_password_reset(
            login=login, deliver=form.cleaned_data["deliver"], actor=request.user
        )
    except OrderRefused as refused:
        messages.error(request, refused.message)
        return redirect("sales:logins", retailer_id=item.pk)
    if password is None:
        messages.success(
            request,
            _("A new password for %(name)s is being mailed.") % {"name": login.user.username},
        )
        return redirect("sales:logins", retailer_id=item.pk)
    return _render_logins(
        request,
        item,
        RetailerLoginForm(),
        issued={"username": login.user.username, "password": password},
    )


def retailer_login_deactivate_view(request, retailer_id, user_id):
    from extranet.services import retailer_login_deactivate

    item = _logins_retailer(request, retailer_id)
    login = _login_or_404(item, user_id)
    if request.method == "POST":
        if retailer_login_deactivate(login=login, actor=request.user):
            messages.success(
                request, _("The login %(name)s is deactivated.") % {"name": login.user.username}
            )
        else:
            messages.info(request, _("This login was already deactivated."))
        return redirect("sales:logins", retailer_id=item.pk)
    return render(
        request,
        "extranet/staff/login_deactivate.html",
        {"active_module": "sales", "retailer": item, "login": login},
    )


# Lookups behind the pickers -------------------------------------------------------------------

LOOKUP_KINDS = ("retailers", "employees", "routes")


def lookup(request, kind):
    """JSON suggestions for the retailer, account-manager and route pickers: at most
    selectors.LOOKUP_LIMIT rows, only what the person may see."""
    from django.http import JsonResponse

    if kind not in LOOKUP_KINDS:
        raise Http404
    if not permissions.may_use_lookups(request.user):
        raise PermissionDenied
    results = selectors.lookup(kind=kind, user=request.user, query=request.GET.get("q", ""))
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
