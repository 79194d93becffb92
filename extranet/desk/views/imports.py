"""The bulk import of retailers: the dry run, the queued import and its status page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from extranet import permissions
from extranet.crm import selectors
from extranet.crm.forms import RetailerImportForm
from extranet.crm.imports import (
    IMPORT_MAX_ROWS,
    retailer_import_queue,
    retailer_rows_from_excel,
    retailers_import,
)
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal


@require(permissions.may_import_retailers)
def retailers_import_view(request):
    """The dry run (preview) of a small file runs here; the import itself is queued for the
    worker, and the status page follows it."""
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
        except Refusal as refused:
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


@require(permissions.may_import_retailers)
def retailers_import_status(request, import_id):
    job = get_visible_or_404(selectors.retailer_imports(), pk=import_id)
    return render(
        request,
        "extranet/staff/import_status.html",
        {"active_module": "sales", "job": job},
    )
