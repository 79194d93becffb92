"""The account managers' visits and contacts (issue 16): the week's plan (their work list),
recording a visit or call, the stores not visited this cycle, the log and its Excel export.

An account manager works with the stores assigned to them; sales administrators see all and
may pick an account manager; everyone else gets 403, and a store or contact outside what the
person may see answers 404."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from extranet import permissions
from extranet.crm import selectors
from extranet.crm.forms import VisitFilterForm, VisitPlanForm, VisitRecordForm, WeekForm
from extranet.crm.visit_rows import VisitLogRows, WeekVisitRows, retailers_not_visited_rows
from extranet.crm.visits import (
    visit_cancel,
    visit_plan,
    visit_record,
    visits_plan_week,
    week_start_of,
)
from extranet.desk import tables
from extranet.desk.views import PAGE_SIZE
from extranet.desk.visits_kept import kept_page
from extranet.market.exports import workbook_response
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal
from portal.selectors import employee_of


def _own_manager(request):
    """The account manager whose work the page shows by default: oneself, when one is one."""
    if permissions.is_account_manager(request.user):
        return employee_of(request.user)
    return None


@require(permissions.may_use_visits)
def week(request):
    today = timezone.localdate()
    with_manager = permissions.may_see_all_retailers(request.user)
    form = WeekForm(request.GET or None, with_manager=with_manager)
    data = form.cleaned_data if form.is_valid() else {}
    monday = week_start_of(data.get("week") or today)
    manager = data.get("manager") if with_manager else None
    if manager is None and not with_manager:
        manager = _own_manager(request)
    # The rows and the stores due a visit, kept for the stores seen, the week, the manager
    # shown and today's visit cycles.
    kept = kept_page(
        name="week",
        rows=WeekVisitRows(user=request.user, monday=monday, manager=manager),
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        write=tables.visit_week_rows,
        also=lambda: selectors.retailers_due_a_visit_count(
            user=request.user, today=today, manager=manager
        ),
        vary=selectors.due_a_visit_where(user=request.user, today=today, manager=manager),
    )
    retailers = selectors.retailers_visible_to(request.user)
    return render(
        request,
        "extranet/staff/visits_week.html",
        {
            "active_module": "sales",
            "form": form,
            "page": kept.page,
            "rows": kept.rows,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "is_this_week": monday == week_start_of(today),
            "today": today,
            "may_plan_week": permissions.may_plan_week(request.user),
            "plan_form": VisitPlanForm(retailers=retailers, initial={"planned_on": today}),
            "not_visited": kept.also,
        },
    )


@require_POST
@require(permissions.may_plan_week)
def plan_week(request):
    planned = visits_plan_week(manager=employee_of(request.user), actor=request.user)
    if planned:
        messages.success(
            request, _("%(count)s visits are planned for this week.") % {"count": planned}
        )
    else:
        messages.info(request, _("Every store already has a visit in its cycle."))
    return redirect("sales:visits")


@require_POST
@require(permissions.may_use_visits)
def schedule(request):
    """Plan one visit (a store, a day): the week page's form."""
    retailers = selectors.retailers_visible_to(request.user)
    form = VisitPlanForm(request.POST, retailers=retailers)
    if form.is_valid():
        retailer = form.cleaned_data["retailer"]
        if not permissions.may_record_visit(request.user, retailer):
            raise PermissionDenied
        try:
            visit_plan(
                retailer=retailer, planned_on=form.cleaned_data["planned_on"], actor=request.user
            )
        except Refusal as refused:
            messages.error(request, refused.message)
            return redirect("sales:visits")
        messages.success(request, _("The visit is planned."))
        return redirect("sales:visits")
    return render(
        request,
        "extranet/staff/visit_plan.html",
        {"active_module": "sales", "form": form},
        status=400,
    )


def _record(request, *, visit=None, retailer=None):
    retailers = None if visit is not None else selectors.retailers_visible_to(request.user)
    initial = {"done_at": timezone.localtime().replace(second=0, microsecond=0)}
    if visit is not None and visit.is_done:
        initial = {
            "done_at": timezone.localtime(visit.done_at),
            **{
                name: getattr(visit, name)
                for name in ("way", "place", "content", "outcome", "next_step", "next_on")
            },
        }
    elif retailer is not None:
        initial["retailer"] = retailer.licence_number
        initial["place"] = retailer.address
    elif visit is not None:
        initial["place"] = visit.retailer.address
    form = VisitRecordForm(request.POST or None, retailers=retailers, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            target = visit.retailer if visit is not None else data["retailer"]
            if not permissions.may_record_visit(request.user, target):
                raise PermissionDenied
            try:
                saved = visit_record(
                    retailer=target,
                    visit=visit,
                    actor=request.user,
                    done_at=data["done_at"],
                    way=data["way"],
                    place=data["place"],
                    content=data["content"],
                    outcome=data["outcome"],
                    next_step=data["next_step"],
                    next_on=data["next_on"],
                )
            except Refusal as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The contact is recorded."))
                return redirect("sales:retailer", retailer_id=saved.retailer_id)
        status = 400
    return render(
        request,
        "extranet/staff/visit_record.html",
        {"active_module": "sales", "form": form, "visit": visit, "retailer": retailer},
        status=status,
    )


@require(permissions.may_use_visits)
def record_new(request):
    retailer = None
    if request.GET.get("retailer", "").isdigit():
        retailer = get_visible_or_404(
            selectors.retailers_visible_to(request.user), pk=int(request.GET["retailer"])
        )
        if not permissions.may_record_visit(request.user, retailer):
            raise PermissionDenied
    return _record(request, retailer=retailer)


@require(permissions.may_use_visits)
def visit(request, visit_id):
    item = get_visible_or_404(selectors.visits_visible_to(request.user), pk=visit_id)
    if not permissions.may_record_visit(request.user, item.retailer):
        raise PermissionDenied
    return _record(request, visit=item)


@require(permissions.may_use_visits)
def cancel(request, visit_id):
    """Drop a planned visit, after a confirmation page."""
    item = get_visible_or_404(selectors.visits_visible_to(request.user), pk=visit_id)
    if not permissions.may_record_visit(request.user, item.retailer):
        raise PermissionDenied
    if request.method == "POST":
        try:
            visit_cancel(visit=item, actor=request.user)
        except Refusal as refused:
            messages.error(request, refused.message)
            return redirect("sales:visit", visit_id=item.pk)
        messages.success(request, _("The planned visit is dropped."))
        return redirect("sales:visits")
    return render(
        request, "extranet/staff/visit_cancel.html", {"active_module": "sales", "visit": item}
    )


@require(permissions.may_use_visits)
def not_visited(request):
    today = timezone.localdate()
    rows = retailers_not_visited_rows(
        user=request.user,
        today=today,
        manager=None if permissions.may_see_all_retailers(request.user) else _own_manager(request),
    )
    # The page of rows, kept for the stores seen and today (the visit cycles, the next plans).
    kept = kept_page(
        name="not-visited",
        rows=rows,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        write=tables.not_visited_rows,
        vary=today,
    )
    return render(
        request,
        "extranet/staff/visits_not_visited.html",
        {
            "active_module": "sales",
            "page": kept.page,
            "rows": kept.rows,
            "today": today,
        },
    )


def _log_form(request):
    return VisitFilterForm(
        request.GET or None,
        retailers=selectors.retailers_visible_to(request.user),
        with_manager=permissions.may_see_all_retailers(request.user),
    )


def _filters(form) -> dict:
    """The log's filters as the form gives them (none when it was not sent)."""
    data = form.cleaned_data if form.is_bound else {}
    return {
        "retailer": data.get("retailer"),
        "manager": data.get("manager"),
        "way": data.get("way", ""),
        "state": data.get("state", ""),
        "start": data.get("start"),
        "end": data.get("end"),
    }


def _filtered(request, form):
    return selectors.visits_filtered(user=request.user, **_filters(form))


@require(permissions.may_use_visits)
def log(request):
    form = _log_form(request)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        rows = VisitLogRows(user=request.user, none=True)
    else:
        # `_filtered`'s contacts, read with one written-out statement (extranet.crm.visit_rows).
        rows = VisitLogRows(user=request.user, **_filters(form))
    # The page of rows, kept for the stores seen and the filters.
    kept = kept_page(
        name="log",
        rows=rows,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        write=tables.visit_log_rows,
    )
    return render(
        request,
        "extranet/staff/visits_log.html",
        {
            "active_module": "sales",
            "form": form,
            "page": kept.page,
            "visit_rows": kept.rows,
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@require(permissions.may_use_visits)
def export(request):
    form = _log_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Please correct the filters."), status=400)
    visits = _filtered(request, form)

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    header = [
        pgettext("visit", "Licence number"),
        pgettext("visit", "Store"),
        pgettext("visit", "Account manager"),
        pgettext("visit", "Planned for"),
        pgettext("visit", "Done at"),
        pgettext("visit", "Way"),
        pgettext("visit", "Place"),
        pgettext("visit", "Content"),
        pgettext("visit", "Outcome"),
        pgettext("visit", "Next step"),
        pgettext("visit", "Next contact on"),
    ]
    rows = (
        [
            item.retailer.licence_number,
            item.retailer.store_name,
            item.account_manager.name if item.account_manager_id else "",
            item.planned_on.isoformat() if item.planned_on else "",
            when(item.done_at),
            item.get_way_display() if item.done_at else "",
            item.place,
            item.content,
            item.outcome,
            item.next_step,
            item.next_on.isoformat() if item.next_on else "",
        ]
        for item in visits.iterator(chunk_size=2000)
    )
    return workbook_response([(pgettext("visit", "Visits"), header, rows)], "visits.xlsx")
