"""A retailer's logins: issuing them, new passwords and deactivation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet import permissions
from extranet.crm import selectors
from extranet.crm.forms import PasswordDeliveryForm, RetailerLoginForm
from extranet.crm.services import (
    retailer_login_deactivate,
    retailer_login_issue,
    retailer_login_password_reset,
)
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal

# A store has a handful of logins; the page never lists more than this.
MAX_LOGINS_SHOWN = 100


# What the logins page shows of the retailer and decides with (its account manager): reading
# only these, not the store's some forty columns with its route and manager joined, halves the
# page's own CPU (issue 18).
RETAILER_SHOWN = ("pk", "store_name", "licence_number", "account_manager_id")
# What the page shows of each login's user.
LOGIN_SHOWN = (
    "user_id",
    "retailer_id",
    "user__username",
    "user__email",
    "user__last_login",
    "user__is_active",
    "user__must_change_password",
)


def _logins_retailer(request, retailer_id, *, shown=None):
    """The retailer whose logins the person manages: 404 when they may not see it, 403 when
    they see it but may not manage its logins. With `shown`, only those fields are read."""
    retailers = selectors.retailers_visible_to(request.user)
    if shown:
        retailers = retailers.select_related(None).only(*shown)
    item = get_visible_or_404(retailers, pk=retailer_id)
    if not permissions.may_manage_logins(request.user, item):
        raise PermissionDenied
    return item


def _render_logins(request, item, form, *, issued=None, status=200):
    response = render(
        request,
        "extranet/staff/logins.html",
        {
            "active_module": "sales",
            "retailer": item,
            "logins": list(
                selectors.logins_of(retailer=item)
                .select_related(None)
                .select_related("user")
                .only(*LOGIN_SHOWN)[:MAX_LOGINS_SHOWN]
            ),
            "form": form,
            "issued": issued,
        },
        status=status,
    )
    # A password shown once must not be kept by the browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@require(permissions.is_sales_staff)
def retailer_logins(request, retailer_id):
    item = _logins_retailer(
        request, retailer_id, shown=RETAILER_SHOWN if request.method != "POST" else None
    )
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
    except Refusal as refused:
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


@require_POST
@require(permissions.is_sales_staff)
def retailer_login_password(request, retailer_id, user_id):
    item = _logins_retailer(request, retailer_id)
    login = get_visible_or_404(selectors.logins_of(retailer=item), user_id=user_id)
    form = PasswordDeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to hand over the new password."))
        return redirect("sales:logins", retailer_id=item.pk)
    try:
        password = retailer_login_password_reset(
            login=login, deliver=form.cleaned_data["deliver"], actor=request.user
        )
    except Refusal as refused:
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


@require(permissions.is_sales_staff)
def retailer_login_deactivate_view(request, retailer_id, user_id):
    item = _logins_retailer(request, retailer_id)
    login = get_visible_or_404(selectors.logins_of(retailer=item), user_id=user_id)
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
