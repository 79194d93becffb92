"""Pages of report circulation: a department's boxes, the reader's notifications, drafting and
editing a report, its page and its steps. Thin: parse, ask a selector or a service, render. A
report a person may not see answers 404, alike for a missing one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import permissions
from documents.circulation import boxes, notifications, selectors, services
from documents.circulation.forms import (
    BoxFilterForm,
    ReportForm,
    ReportStepForm,
    ReportTypeChoiceForm,
)
from documents.circulation.models import CircularReport, ReportDelivery
from portal.files import private_file_response
from portal.permissions import get_visible_or_404
from portal.refusals import Refusal, refusal_response

PER_PAGE = 30
MODULE = {"active_module": "documents"}


def refused(request, refusal: Refusal):
    """A step that may not be taken: say why, with the refusal's 4xx status."""
    return refusal_response(request, refusal, "documents/refused.html", MODULE)


def _page(queryset, number):
    """The page `number` of `queryset`; an empty list, not a query compiled only to find out
    there is nothing to read, when nothing is there at all."""
    page = Paginator(queryset, PER_PAGE).get_page(number)
    if not page.paginator.count:
        page.object_list = []
    return page


def report_box(request):
    form = BoxFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    choices = selectors.box_department_choices(user=request.user)
    department = next((d for d in choices if d.pk == data.get("department")), None)
    if department is None and choices:
        department = next((d for d in choices if d.parent_id is None), choices[0])
        if not data.get("department"):
            mine = permissions.department_ids_of(request.user)
            department = next((d for d in choices if d.pk in mine), department)
    box = data.get("box") or "inbox"
    status = data.get("status") or ""
    page = None
    rows = ""
    if department is not None:
        reports = boxes.BoxReports(
            user=request.user, department=department, box=box, status=status, per_page=PER_PAGE
        )
        number = data.get("page") or 1
        # The page asked for, read ahead of the paginator (which then rarely needs a count);
        # a page number that is not one reads the first page, which the paginator shows.
        wanted = int(number) if str(number).isdigit() and 0 < int(number) < 10**7 else 1
        reports.fetch(PER_PAGE * (wanted - 1))
        page = _page(reports, number)
        rows = boxes.box_rows_html(page.object_list, box=box, now=timezone.now())
    may_draft, unread_notifications = boxes.box_header(user=request.user)
    context = {
        **MODULE,
        "departments": choices,
        "department": department,
        "box": box,
        "status": status,
        "statuses": selectors.box_statuses(box),
        "page": page,
        "report_rows": rows,
        "may_draft": may_draft,
        "unread_notifications": unread_notifications,
    }
    return render(request, "documents/report_box.html", context)


def report_notifications(request):
    """The reader's report notifications; posting marks them all read."""
    if request.method == "POST":
        notifications.report_notifications_mark_read(user=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("documents:report_notifications")
    page = _page(
        selectors.report_notifications_for(user=request.user), request.GET.get("page") or 1
    )
    context = {**MODULE, "page": page, "has_unread": any(n.read_at is None for n in page)}
    return render(request, "documents/report_notifications.html", context)


def report_new(request):
    types = selectors.active_report_types_for(user=request.user)
    chooser = ReportTypeChoiceForm(request.GET or None, queryset=types)
    report_type = chooser.cleaned_data["report_type"] if chooser.is_valid() else None
    if report_type is None:
        if request.method == "POST":
            return refused(request, Refusal(_("Choose a report type.")))
        return render(
            request,
            "documents/report_type_choice.html",
            {**MODULE, "chooser": chooser, "types": types},
        )
    form = ReportForm(request.POST or None, request.FILES or None, schema=report_type.fields)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.report_create(
                    actor=request.user,
                    report_type=report_type,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    period=form.cleaned_data["period"],
                    data=form.answers(),
                    attachments=form.cleaned_data["attachments"],
                )
            except Refusal as refusal:
                return refused(request, refusal)
            messages.success(request, _("The report is saved as a draft."))
            return redirect("documents:report_detail", pk=report.pk)
        status = 400
    return render(
        request,
        "documents/report_form.html",
        {**MODULE, "form": form, "report_type": report_type},
        status=status,
    )


def report_detail(request, pk):
    report = get_visible_or_404(selectors.reports_shown_to(user=request.user), pk=pk)
    user = request.user
    S = CircularReport.Status
    actions = []
    if report.drafter_id == user.pk and report.status in permissions.EDITABLE_REPORT_STATUSES:
        actions.append(("submit", _("Submit for approval"), False))
    if report.status == S.SUBMITTED and permissions.may_approve_report(user, report):
        actions += [
            ("approve", _("Approve and send"), False),
            ("return-to-drafter", _("Return to the drafter"), True),
        ]
    deliveries = list(report.deliveries.all())
    decisions = []
    if report.status == S.SENT:
        decisions = [
            d
            for d in deliveries
            if d.status == ReportDelivery.Status.SENT and permissions.may_decide_delivery(user, d)
        ]
    notifications.report_notifications_mark_read(user=user, report=report)
    context = {
        **MODULE,
        "report": report,
        "answers": selectors.report_answers(report=report),
        "steps": selectors.report_steps(report=report),
        "attachments": list(report.attachments.all()),
        "actions": actions,
        "decisions": decisions,
        "deliveries": deliveries,
        "may_edit": permissions.may_edit_report(user, report),
        "overdue": report.is_overdue(),
        "step_form": ReportStepForm(),
    }
    return render(request, "documents/report_detail.html", context)


def report_edit(request, pk):
    report = get_visible_or_404(selectors.reports_shown_to(user=request.user), pk=pk)
    if report.drafter_id != request.user.pk:
        raise Http404
    initial = {"title": report.title, "body": report.body, "period": report.period}
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        schema=report.report_type.fields,
        data_initial=report.data,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_update(
                    actor=request.user,
                    report=report,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    period=form.cleaned_data["period"],
                    data=form.answers(),
                )
                for upload in form.cleaned_data["attachments"]:
                    services.report_attachment_add(actor=request.user, report=report, upload=upload)
            except Refusal as refusal:
                return refused(request, refusal)
            messages.success(request, _("The report is saved."))
            return redirect("documents:report_detail", pk=report.pk)
        status = 400
    return render(
        request,
        "documents/report_form.html",
        {**MODULE, "form": form, "report": report, "report_type": report.report_type},
        status=status,
    )


@require_POST
def report_transition(request, pk, action):
    report = get_visible_or_404(selectors.reports_shown_to(user=request.user), pk=pk)
    service = services.REPORT_TRANSITIONS.get(action)
    if service is None:
        raise Http404
    form = ReportStepForm(request.POST)
    if not form.is_valid():
        return refused(request, Refusal(_("The comment is too long.")))
    kwargs = {"actor": request.user, "report": report}
    if action != "submit":
        kwargs["comment"] = form.cleaned_data["comment"]
    if action in ("accept", "return"):
        kwargs["destination_id"] = form.cleaned_data["destination"]
    try:
        service(**kwargs)
    except Refusal as refusal:
        return refused(request, refusal)
    messages.success(request, _("Done."))
    return redirect("documents:report_detail", pk=report.pk)


def report_attachment(request, pk, attachment_pk):
    report = get_visible_or_404(selectors.reports_shown_to(user=request.user), pk=pk)
    attachment = get_visible_or_404(report.attachments.all(), pk=attachment_pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, as_attachment="download" in request.GET
    )
