"""Pseudonyms: choosing one's own, one's forum settings (email notifications, asking for a new
name), @mention completion, and the administrators' page that grants or declines renames."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from forum import selectors
from forum.forms import PseudonymChoiceForm, SettingsForm
from forum.permissions import may_rename_pseudonyms
from forum.services import pseudonyms
from forum.views.layout import choose_pseudonym_first, forum_context, forum_page
from portal.permissions import require
from portal.refusals import Refusal

SESSION_OFFERED = "forum_offered_pseudonyms"
SESSION_RENAME_OFFERED = "forum_rename_offered"


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@forum_page
def pseudonym_choose(request):
    if selectors.pseudonym_of(request.user) is not None:
        return redirect("forum:settings")
    offered = request.session.get(SESSION_OFFERED) or []
    if request.method != "POST" or not offered or request.POST.get("refresh"):
        offered = pseudonyms.pseudonym_suggestions()
        request.session[SESSION_OFFERED] = offered
        form = PseudonymChoiceForm(offered=offered)
        status = 200
    else:
        form = PseudonymChoiceForm(request.POST, offered=offered)
        status = 400
        if form.is_valid():
            try:
                chosen = pseudonyms.pseudonym_choose(
                    user=request.user, name=form.cleaned_data["name"], offered=offered
                )
            except Refusal as error:
                request.session[SESSION_OFFERED] = pseudonyms.pseudonym_suggestions()
                messages.error(request, error.message)
                return redirect(request.get_full_path())
            del request.session[SESSION_OFFERED]
            messages.success(
                request, _("You are %(name)s in the forum from now on.") % {"name": chosen.name}
            )
            return redirect(_safe_next(request, reverse("forum:index")))
    return render(
        request,
        "forum/pseudonym_choose.html",
        forum_context(request, form=form, next=_safe_next(request, "")),
        status=status,
    )


@forum_page
def forum_settings(request):
    pseudonym = selectors.pseudonym_of(request.user)
    if pseudonym is None:
        return choose_pseudonym_first(request)
    form = SettingsForm(
        request.POST or None, initial={"email_notifications": pseudonym.email_notifications}
    )
    if request.method == "POST" and request.POST.get("action") == "request_rename":
        try:
            pseudonyms.pseudonym_rename_request(pseudonym=pseudonym)
        except Refusal as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your request is sent. An administrator will choose a new name.")
            )
        return redirect("forum:settings")
    if request.method == "POST" and form.is_valid():
        pseudonyms.pseudonym_set_preferences(
            pseudonym=pseudonym, email_notifications=form.cleaned_data["email_notifications"]
        )
        messages.success(request, _("Your settings are saved."))
        return redirect("forum:settings")
    return render(
        request,
        "forum/settings.html",
        forum_context(
            request, form=form, rename_pending=selectors.rename_pending(pseudonym=pseudonym)
        ),
    )


@never_cache
@forum_page
def pseudonyms_json(request):
    """Pseudonyms starting with `q`, for @mention completion: names only, never people."""
    names = selectors.pseudonyms_matching(prefix=request.GET.get("q", "").strip())
    return JsonResponse({"pseudonyms": names})


@forum_page
@require(may_rename_pseudonyms)
def pseudonym_admin(request):
    """An administrator grants or declines holders' requests for a new pseudonym, seeing the
    pseudonyms only."""
    status = 200
    if request.method == "POST":
        pending = selectors.rename_request_open(request_id=request.POST.get("request", ""))
        offered = request.session.get(SESSION_RENAME_OFFERED) or []
        new_name = request.POST.get("new_name", "")
        status = 400
        if pending is None:
            messages.error(request, _("That request is no longer open."))
        elif request.POST.get("action") == "decline":
            pseudonyms.pseudonym_rename_decline(actor=request.user, request=pending)
            messages.success(request, _("The request is declined."))
            return redirect("forum:pseudonym_admin")
        elif new_name not in offered:
            messages.error(request, _("Choose one of the names offered."))
        else:
            try:
                pseudonyms.pseudonym_rename(
                    actor=request.user, pseudonym=pending.pseudonym, new_name=new_name
                )
            except Refusal as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The pseudonym is now %(name)s.") % {"name": new_name})
                return redirect("forum:pseudonym_admin")
    requests = selectors.rename_requests_open()
    suggestions = pseudonyms.pseudonym_suggestions() if requests else []
    request.session[SESSION_RENAME_OFFERED] = suggestions
    return render(
        request,
        "forum/pseudonym_admin.html",
        forum_context(request, requests=requests, suggestions=suggestions),
        status=status,
    )
