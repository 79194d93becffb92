"""The directory pages: thin views over portal.directory.selectors and services."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.directory import exports, selectors
from portal.directory.forms import DirectorySearchForm, EmployeeImportForm
from portal.directory.imports import (
    SheetError,
    import_file_discard,
    import_file_store,
    import_rows_check,
    import_template,
)
from portal.directory.permissions import may_import_employees
from portal.directory.services import employee_import
from portal.permissions import require

PAGE_SIZE = 50
SESSION_IMPORT_KEY = "directory_import_token"


def _query(request) -> str:
    form = DirectorySearchForm(request.GET)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


def index(request):
    """Everyone active by department, or the people matching the search."""
    query = _query(request)
    context = {
        "active_module": "directory",
        "form": DirectorySearchForm(initial={"q": query}),
        "query": query,
        "may_import": may_import_employees(request.user),
    }
    if query:
        context["page"] = _search_page(request, query)
    else:
        tree, total, with_members = selectors.department_tree(user=request.user)
        context.update(tree=tree, total=total, with_members=with_members)
    return render(request, "directory/index.html", context)


def _search_page(request, query):
    return selectors.directory_search_page(
        user=request.user, query=query, number=request.GET.get("page"), per_page=PAGE_SIZE
    )


def results(request):
    """The search results alone, for the search-as-you-type script."""
    query = _query(request)
    page = _search_page(request, query) if query else None
    return render(
        request, "directory/_results.html", {"page": page, "query": query, "partial": True}
    )


def person(request, pk):
    employee = selectors.person_for_directory(user=request.user, pk=pk)
    return render(
        request,
        "directory/person.html",
        {"active_module": "directory", "person": employee},
    )


def department(request, code):
    context = selectors.department_page_rows(
        user=request.user, code=code, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    context["active_module"] = "directory"
    return render(request, "directory/department.html", context)


def person_vcard(request, pk):
    employee = selectors.person_for_directory(user=request.user, pk=pk)
    return _download(
        exports.vcard_of(employee).encode(),
        exports.VCARD_CONTENT_TYPE,
        f"{employee.employee_number}.vcf",
    )


EXPORTS = {
    "vcf": (lambda people: exports.vcards_of(people).encode(), exports.VCARD_CONTENT_TYPE),
    "csv": (exports.csv_of, exports.CSV_CONTENT_TYPE),
    "xlsx": (exports.xlsx_of, exports.XLSX_CONTENT_TYPE),
}


def export(request, fmt):
    """A department (with its sections), a search result, or everyone, as vCard, CSV or Excel."""
    if fmt not in EXPORTS:
        raise Http404
    code = request.GET.get("department", "")
    query = _query(request)
    if code:
        department = selectors.department_for_directory(code=code)
        people = selectors.department_with_sections_people(user=request.user, department=department)
        stem = f"directory-{department.code}"
    elif query:
        people = selectors.directory_search(user=request.user, query=query, limit=None)
        stem = "directory-search"
    else:
        people = selectors.directory_people(user=request.user)
        stem = "directory"
    render_people, content_type = EXPORTS[fmt]
    return _download(render_people(list(people)), content_type, f"{stem}.{fmt}")


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(may_import_employees)
def import_upload(request):
    """Step one of a bulk import: upload the sheet; it is checked, never imported, here."""
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = import_file_store(form.cleaned_data["sheet"])
        except SheetError as error:
            form.add_error("sheet", str(error))
        else:
            previous = request.session.get(SESSION_IMPORT_KEY)
            if previous:
                import_file_discard(previous)
            request.session[SESSION_IMPORT_KEY] = token
            return redirect("directory:import_preview")
    return render(
        request,
        "directory/import_upload.html",
        {"active_module": "directory", "form": form},
        status=400 if form.errors else 200,
    )


@require(may_import_employees)
def import_template_download(request):
    """The sheet to fill in: Chinese headings and an example row."""
    return _download(import_template(), exports.XLSX_CONTENT_TYPE, "employees-template.xlsx")


@require(may_import_employees)
def import_preview(request):
    """Step two: every row with its errors. Importing is offered only when there are none."""
    token = request.session.get(SESSION_IMPORT_KEY)
    if not token:
        messages.info(request, _("Upload a sheet to import first."))
        return redirect("directory:import")
    try:
        rows = import_rows_check(token)
        sheet_error = ""
    except SheetError as error:
        rows, sheet_error = [], str(error)
    invalid = sum(1 for row in rows if row.errors)
    return render(
        request,
        "directory/import_preview.html",
        {
            "active_module": "directory",
            "rows": rows,
            "invalid": invalid,
            "sheet_error": sheet_error,
            "may_confirm": bool(rows) and not invalid and not sheet_error,
        },
    )


@require_POST
@require(may_import_employees)
def import_confirm(request):
    token = request.session.get(SESSION_IMPORT_KEY)
    if not token:
        messages.error(request, _("Upload a sheet to import first."))
        return redirect("directory:import")
    if "cancel" in request.POST:
        import_file_discard(token)
        del request.session[SESSION_IMPORT_KEY]
        messages.info(request, _("The import was cancelled; nothing was created."))
        return redirect("directory:import")
    try:
        created = employee_import(token=token, actor=request.user)
    except SheetError:
        messages.error(request, _("The sheet has errors; nothing was imported."))
        return redirect("directory:import_preview")
    del request.session[SESSION_IMPORT_KEY]
    messages.success(request, _("%(count)d employees were imported.") % {"count": len(created)})
    return redirect(reverse("directory:index"))
