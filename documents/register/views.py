"""Pages of the document register. Thin: parse, ask a selector or a service, render. A
document a person may not see, or may not act on, answers 404 alike for a missing one."""

from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from documents import permissions
from documents.register import listing, reading, selectors, services
from documents.register.forms import (
    DocumentFileForm,
    DocumentForm,
    GrantForm,
    RegisterFilterForm,
    RepealForm,
    RevokeForm,
)
from documents.register.models import DocumentFile, PolicyDocument
from portal.escaping import text
from portal.files import private_file_response
from portal.models import Department, User
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal, refusal_response

PER_PAGE = 30
MODULE = {"active_module": "documents"}


def refused(request, refusal: Refusal):
    """A step that may not be taken: say why, with the refusal's 4xx status."""
    return refusal_response(request, refusal, "documents/refused.html", MODULE)


def _document_step(request, document, service, done: str, **kwargs):
    """Take one step on a document through `service`; say why if refused, else confirm and go
    back to the document."""
    try:
        service(document=document, **kwargs)
    except Refusal as refusal:
        return refused(request, refusal)
    messages.success(request, done)
    return redirect("documents:detail", pk=document.pk)


# The register


FACET_LABELS = (
    ("level", _lazy("Level")),
    ("year", _lazy("Year")),
    ("department", pgettext_lazy("policy document", "Department")),
    ("category", _lazy("Category")),
    ("status", _lazy("Status")),
)


def _query_string(params: dict) -> str:
    return "?" + urlencode({key: value for key, value in params.items() if value})


def register(request):
    form = RegisterFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    counts = selectors.register_counts_cached(user=request.user, filters=filters)
    facets = counts.facets
    # The page asked for is read in one query; the total kept with the facets is shown only
    # where that page agrees with it, else counted live (listing.RegisterRows), so a count that
    # missed a change can never hide a page or a document.
    rows = listing.RegisterRows(
        user=request.user, filters=filters, per_page=PER_PAGE, total=counts.total
    )
    number = filters.get("page") or 1
    rows.fetch(PER_PAGE * (int(number) - 1) if str(number).isdigit() and int(number) > 0 else 0)
    page = Paginator(rows, PER_PAGE).get_page(number)
    chosen = {key: str(filters[key]) for key in selectors.REGISTER_FILTERS if filters.get(key)}
    query = filters.get("q") or ""
    # Links are built here rather than in the template: the page is the register's busiest.
    current_mark = ' aria-current="true"'
    # Each group's `<li>` written here: a template loop over some forty facets cost more.
    facet_groups = []
    for key, label in FACET_LABELS:
        items = []
        for facet in facets[key]:
            current = chosen.get(key) == facet.value
            params = {**chosen, "q": query, key: "" if current else facet.value}
            items.append(
                f'\n        <li><a href="{text(_query_string(params))}"'
                f"{current_mark if current else ''}>{text(facet.label)} "
                f'<span class="count">{facet.count}</span></a></li>\n        '
            )
        if not items:
            none = text(pgettext("empty list", "None"))
            items.append(f'<li class="hint">{none}</li>\n        ')
        facet_groups.append((key, label, mark_safe("".join(items))))  # noqa: S308 - escaped
    here = {**chosen, "q": query}
    documents = page.object_list
    context = {
        **MODULE,
        "form": form,
        "page": page,
        "documents": documents,
        "document_rows": listing.document_rows_html(documents),
        "facet_groups": facet_groups,
        "chosen": chosen,
        "query": query,
        "previous_url": _query_string({**here, "page": page.previous_page_number()})
        if page.has_previous()
        else "",
        "next_url": _query_string({**here, "page": page.next_page_number()})
        if page.has_next()
        else "",
        "may_register": permissions.may_manage_register(request.user),
        "filtered": bool(chosen or query),
    }
    return render(
        request, "documents/register.html", context, status=200 if form.is_valid() else 400
    )


def detail(request, pk):
    document = reading.document_shown_to(user=request.user, pk=pk)
    if document is None:
        raise Http404
    files = reading.document_files(document=document)
    user = request.user
    context = {
        **MODULE,
        "document": document,
        "official_versions": [f for f in files if f.kind == DocumentFile.Kind.OFFICIAL],
        "attachments": [f for f in files if f.kind == DocumentFile.Kind.ATTACHMENT],
        "superseded_by": getattr(document, "superseded_by", None),
        "may_manage": permissions.may_manage_register(user),
        "may_grant": permissions.may_grant_access(user, document),
        "may_see_acknowledgements": permissions.may_see_acknowledgements(user, document),
        "may_acknowledge": permissions.may_acknowledge(user, document),
        "acknowledged": document.requires_acknowledgement
        and selectors.has_acknowledged(user=user, document=document),
        "file_form": DocumentFileForm(),
    }
    return render(request, "documents/detail.html", context)


def document_file(request, pk, file_pk):
    stored = get_visible_or_404(
        selectors.document_files_visible_to(user=request.user), pk=file_pk, document_id=pk
    )
    return private_file_response(
        stored.file, filename=stored.original_name, as_attachment="download" in request.GET
    )


def _document_form_context(form, document=None):
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


@require(permissions.may_manage_register, deny=Http404)
def document_new(request):
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
            except Refusal as refusal:
                form.add_error(None, refusal.message)
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
        _document_form_context(form),
        status=status,
    )


@require(permissions.may_manage_register, deny=Http404)
def document_edit(request, pk):
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
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
            except Refusal as refusal:
                return refused(request, refusal)
            messages.success(request, _("The document is saved."))
            return redirect("documents:detail", pk=document.pk)
        status = 400
    return render(
        request,
        "documents/document_form.html",
        _document_form_context(form, document),
        status=status,
    )


@require_POST
@require(permissions.may_manage_register, deny=Http404)
def document_publish(request, pk):
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
    return _document_step(
        request,
        document,
        services.document_publish,
        _("The document is in force."),
        actor=request.user,
    )


@require(permissions.may_manage_register, deny=Http404)
def document_repeal(request, pk):
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
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
@require(permissions.may_manage_register, deny=Http404)
def document_file_add(request, pk):
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
    form = DocumentFileForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return refused(request, Refusal(errors))
    services.document_file_add(
        actor=request.user,
        document=document,
        upload=form.cleaned_data["file"],
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("The file is stored; its text will be searchable shortly."))
    return redirect("documents:detail", pk=document.pk)


def document_access(request, pk):
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
    if not permissions.may_grant_access(request.user, document):
        raise Http404
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
    people, groups, departments = selectors.document_grants(document=document)
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
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
    if not permissions.may_grant_access(request.user, document):
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return refused(request, Refusal(_("Choose what to revoke.")))
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
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
    return _document_step(
        request,
        document,
        services.document_acknowledge,
        _("Thank you: your acknowledgement is recorded."),
        user=request.user,
    )


def document_acknowledgements(request, pk):
    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
    if not permissions.may_see_acknowledgements(request.user, document):
        raise Http404
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

    document = get_visible_or_404(selectors.documents_shown_to(user=request.user), pk=pk)
    if not permissions.may_see_acknowledgements(request.user, document):
        raise Http404
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(pgettext("policy document", "Acknowledgements"))
    sheet.append([document.number, document.title])
    sheet.append(
        [
            pgettext("policy document", "Employee number"),
            pgettext("policy document", "Name"),
            pgettext("policy document", "Department"),
            pgettext("policy document", "Acknowledged"),
        ]
    )
    for row in selectors.acknowledgement_rows(document=document).iterator(chunk_size=2000):
        sheet.append(
            [
                row.employee_number,
                row.name,
                row.department.display_name,
                timezone.localtime(row.acknowledged_at).strftime("%Y-%m-%d %H:%M")
                if row.acknowledged_at
                else pgettext("policy document", "Not yet"),
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
