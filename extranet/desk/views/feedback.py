"""The feedback desk: the list with its overdue and on-time figures, an item and what the
staff record on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from extranet import permissions
from extranet.desk import tables
from extranet.desk.views import PAGE_SIZE
from extranet.feedback import selectors, services
from extranet.feedback.desk_kept import feedback_desk
from extranet.feedback.forms import (
    CallbackForm,
    EffectiveForm,
    FeedbackFilterForm,
    NoteForm,
    ReassignForm,
    ResolutionForm,
)
from portal.files import private_file_response
from portal.permissions import get_visible_or_404, require


@require(permissions.may_use_feedback_desk)
def feedback_list(request):
    now = timezone.now()
    form = FeedbackFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # The figures and the list's length kept until something changes or a call-back falls due.
    desk = feedback_desk(
        user=request.user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        overdue=filters.get("overdue", False),
        now=now,
    )
    page = desk.rows.page(request.GET.get("page"), PAGE_SIZE)
    overdue_by_manager, rates = desk.figures.overdue_by_manager, desk.figures.rates
    sees_all = permissions.may_see_all_feedback(request.user)
    overdue_rows, rate_rows = tables.feedback_figure_rows(overdue_by_manager, rates)
    return render(
        request,
        "extranet/staff/feedback_list.html",
        {
            "active_module": "sales",
            "form": form,
            "page": page,
            "rows": tables.feedback_rows(page.object_list, with_manager=sees_all),
            "overdue_by_manager": overdue_by_manager,
            "rates": rates,
            "overdue_rows": overdue_rows,
            "rate_rows": rate_rows,
            "sees_all": sees_all,
        },
    )


def _feedback_forms(request, feedback, bound=None):
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
        },
        status=status,
    )


@require(permissions.may_use_feedback_desk)
def feedback_item(request, feedback_id):
    feedback = get_visible_or_404(
        selectors.feedback_details_for_staff(user=request.user), pk=feedback_id
    )
    return _render_feedback(request, feedback)


FEEDBACK_ACTIONS = ("callback", "resolve", "note", "reassign", "flag")


@require_POST
@require(permissions.may_use_feedback_desk)
def feedback_action(request, feedback_id, action):
    if action not in FEEDBACK_ACTIONS:
        raise Http404
    feedback = get_visible_or_404(
        selectors.feedback_details_for_staff(user=request.user), pk=feedback_id
    )
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
        messages.error(request, refusal.message)
        return redirect("sales:feedback_item", feedback.pk)
    messages.success(request, pgettext("feedback", "Saved."))
    return redirect("sales:feedback_item", feedback.pk)


@require(permissions.may_use_feedback_desk)
def feedback_photo(request, feedback_id, photo_id):
    photo = get_visible_or_404(
        selectors.feedback_photos_visible_to(request.user), feedback_id=feedback_id, pk=photo_id
    )
    return private_file_response(photo.file, filename=photo.name, as_attachment=False)
