"""Pages of the document register and of report circulation. Thin: parse, ask a selector or a
service, render. Anything a person may not see answers 404, alike for missing objects."""

from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from documents import permissions, selectors, services
from documents.forms import (
    BoxFilterForm,
    DocumentFileForm,
    DocumentForm,
    GrantForm,
    RegisterFilterForm,
    RepealForm,
    ReportForm,
    ReportStepForm,
    ReportTypeChoiceForm,
    RevokeForm,
)
from documents.models import (
    CircularReport,
    DepartmentGrant,
    DocumentFile,
    PolicyDocument,
    PolicyDocumentGroupObjectPermission,
    PolicyDocumentUserObjectPermission,
    ReportAttachment,
)
from portal.files import private_file_response
from portal.models import Department, User

PER_PAGE = 30
MODULE = {"active_module": "documents"}


def refused(request, error: services.ActionRefused):
    """A step that may not be taken: say why, with a 4xx status."""
    return render(
        request, "documents/refused.html", {**MODULE, "message": error.message}, status=error.status
    )


def _forbidden(request):
    return refused(request, services.ActionRefused(_("You are not allowed to do this."), 403))


def _document_or_404(request, pk, may):
    """The document, if this person may see it and `may` (a permission predicate) lets them act
    on it; otherwise 404, alike for missing documents."""
    document = selectors.document_for(user=request.user, pk=pk)
    if not may(request.user, document):
        raise Http404
    return document


def _document_step(request, document, service, done: str, **kwargs):
    """Take one step on a document through `service`; say why if refused, else confirm and go
    back to the document."""
    try:
        service(document=document, **kwargs)
    except services.ActionRefused as error:
        return refused(request, error)
    messages.success(request, done)
    return redirect("documents:detail", pk=document.pk)


# The register


FACET_LABELS = (
    ("year", _lazy("Year")),
    ("department", _lazy("Department")),
    ("category", _lazy("Category")),
    ("status", _lazy("Status")),
)


def _query_string(params: dict) -> str:
    return "?" + urlencode({key: value for key, value in params.items() if value})


def register(request):
    form = RegisterFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    documents = selectors.register_page_queryset(user=request.user, filters=filters)
    facets = selectors.register_facets_cached(user=request.user, filters=filters)
    # Counted live, not from the cached facets: a stale count must never hide a document.
    page = Paginator(documents, PER_PAGE).get_page(filters.get("page") or 1)
    chosen = {key: str(filters[key]) for key in selectors.REGISTER_FILTERS if filters.get(key)}
    query = filters.get("q") or ""
    # Links are built here rather than in the template: the page is the register's busiest.
    facet_groups = []
    for key, label in FACET_LABELS:
        links = []
        for facet in facets[key]:
            current = chosen.get(key) == facet.value
            params = {**chosen, "q": query, key: "" if current else facet.value}
            links.append((facet, _query_string(params), current))
        facet_groups.append((key, label, links))
    here = {**chosen, "q": query}
    context = {
        **MODULE,
        "form": form,
        "page": page,
        "facet_groups": facet_groups,
        "chosen": chosen,
        "query": query,
        "previous_url": _query_string({**here, "page": page.previous_page_number()})
        if page.has_previous()
        else "",
        "next_url": _query_string({**here, "page": page.next_page_number()})
        if page.has_next()
        else "",
        "may_register": permissions.may_register_documents(request.user),
        "filtered": bool(chosen or query),
    }
    return render(
        request, "documents/register.html", context, status=200 if form.is_valid() else 400
    )


def detail(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    files = list(document.files.select_related("uploaded_by__employee"))
    user = request.user
    context = {
        **MODULE,
        "document": document,
        "official_versions": [f for f in files if f.kind == DocumentFile.Kind.OFFICIAL],
        "attachments": [f for f in files if f.kind == DocumentFile.Kind.ATTACHMENT],
        "superseded_by": getattr(document, "superseded_by", None),
        "may_manage": permissions.may_manage_document(user, document),
        "may_grant": permissions.may_grant_access(user, document),
        "may_see_acknowledgements": permissions.may_see_acknowledgements(user, document),
        "may_acknowledge": permissions.may_acknowledge(user, document),
        "acknowledged": document.requires_acknowledgement
        and selectors.has_acknowledged(user=user, document=document),
        "file_form": DocumentFileForm(),
    }
    return render(request, "documents/detail.html", context)


def document_file(request, pk, file_pk):
    stored = selectors.document_file_for(user=request.user, document_pk=pk, file_pk=file_pk)
    return private_file_response(
        stored.file, filename=stored.original_name, as_attachment="download" in request.GET
    )


def _document_form_context(request, form, document=None):
    year = timezone.localdate().year
    nexts = selectors.next_sequences(year=year)
    departments = Department.objects.all()
    return {
        **MODULE,
        "form": form,
        "document": document,
        "year": year,
        "next_numbers": [(d, nexts.get(d.pk, 1)) for d in departments],
    }


def document_new(request):
    if not permissions.may_register_documents(request.user):
        raise Http404
    initial = {}
    if request.GET.get("supersedes", "").isdigit():
        old = PolicyDocument.objects.filter(
            pk=request.GET["supersedes"], status=PolicyDocument.Status.IN_FORCE
        ).first()
        if old is not None:
            initial = {
                "supersedes": old,
                "issuing_department": old.issuing_department_id,
                "number_prefix": old.number_prefix,
                "level": old.level,
                "category": old.category_id,
                "is_restricted": old.is_restricted,
                "title": old.title,
            }
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_register(
                    actor=request.user,
                    issuing_department=data["issuing_department"],
                    number_prefix=data["number_prefix"].strip(),
                    year=data["year"],
                    sequence=data["sequence"],
                    title=data["title"],
                    level=data["level"],
                    category=data["category"],
                    signing_date=data["signing_date"],
                    effective_date=data["effective_date"],
                    summary=data["summary"],
                    is_restricted=data["is_restricted"],
                    requires_acknowledgement=data["requires_acknowledgement"],
                    supersedes=data["supersedes"],
                    official_file=data["official_file"],
                    attachments=data["attachments"],
                )
            except services.ActionRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(number)s is registered as a draft.") % {"number": document.number},
                )
                return redirect("documents:detail", pk=document.pk)
        status = 400
    return render(
        request,
        "documents/document_form.html",
        _document_form_context(request, form),
        status=status,
    )


def document_edit(request, pk):
    document = _document_or_404(request, pk, permissions.may_manage_document)
    initial = {name: getattr(document, name) for name in services.DOCUMENT_EDITABLE_FIELDS}
    form = DocumentForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.document_update(
                    actor=request.user,
                    document=document,
                    **{name: form.cleaned_data[name] for name in services.DOCUMENT_EDITABLE_FIELDS},
                )
            except services.ActionRefused as error:
                return refused(request, error)
            messages.success(request, _("The document is saved."))
            return redirect("documents:detail", pk=document.pk)
        status = 400
    return render(
        request,
        "documents/document_form.html",
        _document_form_context(request, form, document),
        status=status,
    )


@require_POST
def document_publish(request, pk):
    document = _document_or_404(request, pk, permissions.may_manage_document)
    return _document_step(
        request,
        document,
        services.document_publish,
        _("The document is in force."),
        actor=request.user,
    )


def document_repeal(request, pk):
    document = _document_or_404(request, pk, permissions.may_manage_document)
    form = RepealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            return _document_step(
                request,
                document,
                services.document_repeal,
                _("The document is repealed."),
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        status = 400
    return render(
        request,
        "documents/repeal.html",
        {**MODULE, "document": document, "form": form},
        status=status,
    )


@require_POST
def document_file_add(request, pk):
    document = _document_or_404(request, pk, permissions.may_manage_document)
    form = DocumentFileForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return refused(request, services.ActionRefused(errors, status=400))
    services.document_file_add(
        actor=request.user,
        document=document,
        upload=form.cleaned_data["file"],
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("The file is stored; its text will be searchable shortly."))
    return redirect("documents:detail", pk=document.pk)


def _grants(document):
    people = PolicyDocumentUserObjectPermission.objects.filter(
        content_object=document, permission__codename=selectors.VIEW_CODENAME
    ).select_related("user__employee__department")
    groups = PolicyDocumentGroupObjectPermission.objects.filter(
        content_object=document, permission__codename=selectors.VIEW_CODENAME
    ).select_related("group")
    departments = DepartmentGrant.objects.filter(document=document).select_related("department")
    return list(people), list(groups), list(departments)


def document_access(request, pk):
    document = _document_or_404(request, pk, permissions.may_grant_access)
    form = GrantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if data["employee_number"]:
                services.access_grant_user(
                    actor=request.user, document=document, user=data["employee_number"].user
                )
            elif data["group"]:
                services.access_grant_group(
                    actor=request.user, document=document, group=data["group"]
                )
            else:
                services.access_grant_department(
                    actor=request.user,
                    document=document,
                    department=data["department"],
                    include_sections=data["include_sections"],
                )
            messages.success(request, _("Access granted."))
            return redirect("documents:access", pk=document.pk)
        status = 400
    people, groups, departments = _grants(document)
    context = {
        **MODULE,
        "document": document,
        "form": form,
        "people": people,
        "groups": groups,
        "departments": departments,
    }
    return render(request, "documents/access.html", context, status=status)


@require_POST
def document_access_revoke(request, pk):
    document = _document_or_404(request, pk, permissions.may_grant_access)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return refused(request, services.ActionRefused(_("Choose what to revoke."), 400))
    kind, target = form.cleaned_data["kind"], form.cleaned_data["target"]
    if kind == "user":
        services.access_revoke_user(
            actor=request.user, document=document, user=get_object_or_404(User, pk=target)
        )
    elif kind == "group":
        services.access_revoke_group(
            actor=request.user, document=document, group=get_object_or_404(Group, pk=target)
        )
    else:
        services.access_revoke_department(
            actor=request.user,
            document=document,
            department=get_object_or_404(Department, pk=target),
        )
    messages.success(request, _("Access revoked."))
    return redirect("documents:access", pk=document.pk)


@require_POST
def document_acknowledge(request, pk):
    document = selectors.document_for(user=request.user, pk=pk)
    return _document_step(
        request,
        document,
        services.document_acknowledge,
        _("Thank you: your acknowledgement is recorded."),
        user=request.user,
    )


def document_acknowledgements(request, pk):
    document = _document_or_404(request, pk, permissions.may_see_acknowledgements)
    rows = selectors.acknowledgement_rows(document=document)
    show = request.GET.get("show", "")
    if show == "pending":
        rows = rows.filter(acknowledged_at__isnull=True)
    elif show == "done":
        rows = rows.filter(acknowledged_at__isnull=False)
    page = Paginator(rows, 50).get_page(request.GET.get("page") or 1)
    audience = selectors.document_audience(document=document).count()
    acknowledged = document.acknowledgements.filter(
        user__employee__in=selectors.document_audience(document=document)
    ).count()
    context = {
        **MODULE,
        "document": document,
        "page": page,
        "show": show,
        "audience": audience,
        "acknowledged": acknowledged,
        "pending": audience - acknowledged,
    }
    return render(request, "documents/acknowledgements.html", context)


def document_acknowledgements_export(request, pk):
    from openpyxl import Workbook

    document = _document_or_404(request, pk, permissions.may_see_acknowledgements)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Acknowledgements"))
    sheet.append([document.number, document.title])
    sheet.append([_("Employee number"), _("Name"), _("Department"), _("Acknowledged")])
    for row in selectors.acknowledgement_rows(document=document).iterator(chunk_size=2000):
        sheet.append(
            [
                row.employee_number,
                row.name,
                row.department.display_name,
                timezone.localtime(row.acknowledged_at).strftime("%Y-%m-%d %H:%M")
                if row.acknowledged_at
                else _("Not yet"),
            ]
        )
    output = BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="acknowledgements-{document.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# Report circulation


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
    if department is not None:
        reports = selectors.report_box(
            user=request.user, department=department, box=box, status=status
        )
        page = Paginator(reports, PER_PAGE).get_page(data.get("page") or 1)
    context = {
        **MODULE,
        "departments": choices,
        "department": department,
        "box": box,
        "status": status,
        "statuses": [("overdue", _("Overdue")), *CircularReport.Status.choices],
        "page": page,
        "now": timezone.now(),
        "may_draft": selectors.active_report_types_for(user=request.user).exists(),
        "unread_notifications": selectors.unread_report_notification_count(user=request.user),
    }
    return render(request, "documents/report_box.html", context)


def report_notifications(request):
    """The reader's report notifications; posting marks them all read."""
    if request.method == "POST":
        services.report_notifications_mark_read(user=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("documents:report_notifications")
    page = Paginator(selectors.report_notifications_for(user=request.user), PER_PAGE).get_page(
        request.GET.get("page") or 1
    )
    context = {**MODULE, "page": page, "has_unread": any(n.read_at is None for n in page)}
    return render(request, "documents/report_notifications.html", context)


def report_new(request):
    types = selectors.active_report_types_for(user=request.user)
    chooser = ReportTypeChoiceForm(request.GET or None, queryset=types)
    report_type = chooser.cleaned_data["report_type"] if chooser.is_valid() else None
    if report_type is None:
        if request.method == "POST":
            return refused(request, services.ActionRefused(_("Choose a report type."), 400))
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
            except services.ActionRefused as error:
                return refused(request, error)
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
    report = selectors.report_for(user=request.user, pk=pk)
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
    if report.status == S.SENT and permissions.may_decide_report(user, report):
        actions += [("accept", _("Accept"), False), ("return", _("Return with comments"), True)]
    services.report_notifications_mark_read(user=user, report=report)
    context = {
        **MODULE,
        "report": report,
        "answers": selectors.report_answers(report=report),
        "steps": selectors.report_steps(report=report),
        "attachments": list(report.attachments.all()),
        "actions": actions,
        "may_edit": permissions.may_edit_report(user, report),
        "overdue": report.is_overdue(),
        "step_form": ReportStepForm(),
    }
    return render(request, "documents/report_detail.html", context)


def report_edit(request, pk):
    report = selectors.report_for(user=request.user, pk=pk)
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
            except services.ActionRefused as error:
                return refused(request, error)
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
    report = selectors.report_for(user=request.user, pk=pk)
    service = services.REPORT_TRANSITIONS.get(action)
    if service is None:
        raise Http404
    form = ReportStepForm(request.POST)
    if not form.is_valid():
        return refused(request, services.ActionRefused(_("The comment is too long."), 400))
    kwargs = {"actor": request.user, "report": report}
    if action != "submit":
        kwargs["comment"] = form.cleaned_data["comment"]
    try:
        service(**kwargs)
    except services.ActionRefused as error:
        return refused(request, error)
    except ValidationError as error:  # pragma: no cover - services raise ActionRefused
        return refused(request, services.ActionRefused("; ".join(error.messages), 400))
    messages.success(request, _("Done."))
    return redirect("documents:report_detail", pk=report.pk)


def report_attachment(request, pk, attachment_pk):
    report = selectors.report_for(user=request.user, pk=pk)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report)
    return private_file_response(
        attachment.file, filename=attachment.original_name, as_attachment="download" in request.GET
    )
