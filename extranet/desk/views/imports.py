"""The bulk import of retailers: the dry run, the queued import and its status page, and the
template to fill in.

The previewed file is kept server-side (portal/import_files.py) under a token that the session
and the preview's form both carry, so that "Import" after a preview needs no second upload and
imports exactly the file that was previewed."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from extranet import permissions
from extranet.crm import selectors
from extranet.crm.forms import RetailerImportForm
from extranet.crm.imports import (
    IMPORT_MAX_ROWS,
    retailer_import_forget,
    retailer_import_keep,
    retailer_import_kept,
    retailer_import_queue,
    retailer_import_queue_kept,
    retailer_import_template,
    retailer_rows_from_excel,
    retailers_import,
)
from extranet.market.exports import XLSX
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal

SESSION_KEPT_KEY = "retailer_import_kept"


def _kept_of(request, token: str) -> dict | None:
    """The file kept at this session's preview, if `token` names it."""
    kept = request.session.get(SESSION_KEPT_KEY)
    if not kept or not token or kept.get("token") != token:
        return None
    return kept


def _forget_kept(request) -> None:
    kept = request.session.pop(SESSION_KEPT_KEY, None)
    if kept:
        retailer_import_forget(kept["token"])


@require(permissions.may_import_retailers)
def retailers_import_view(request):
    """The dry run (preview) of a small file runs here; the import itself is queued for the
    worker, and the status page follows it."""
    form = RetailerImportForm(request.POST or None, request.FILES or None)
    rows, kept = None, None
    action = request.POST.get("action")
    if request.method == "POST" and action == "cancel":
        _forget_kept(request)
        messages.info(request, _("The previewed file is discarded; nothing was imported."))
        return redirect("sales:import")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is None:
            kept = _kept_of(request, form.cleaned_data["kept"])
            if kept is None or retailer_import_kept(kept["token"]) is None:
                form.add_error("file", _("The previewed file has expired; upload it again."))
                kept = None
        if action == "import" and form.is_valid():
            try:
                if upload is not None:
                    job = retailer_import_queue(file=upload, actor=request.user)
                else:
                    job = retailer_import_queue_kept(
                        token=kept["token"], name=kept["name"], actor=request.user
                    )
                    request.session.pop(SESSION_KEPT_KEY, None)
            except Refusal as refused:
                form.add_error("file", refused.message)
            else:
                if upload is not None:
                    _forget_kept(request)
                messages.success(request, _("The import is queued; this page shows its progress."))
                return redirect("sales:import_status", import_id=job.pk)
        elif form.is_valid():
            if upload is not None:
                _forget_kept(request)
                kept = {"token": retailer_import_keep(file=upload), "name": upload.name[:200]}
                request.session[SESSION_KEPT_KEY] = kept
            try:
                with open(retailer_import_kept(kept["token"]), "rb") as handle:
                    parsed = retailer_rows_from_excel(handle, max_rows=IMPORT_MAX_ROWS)
            except Refusal as refused:
                form.add_error("file", refused.message)
                _forget_kept(request)
                kept = None
            else:
                rows = retailers_import(rows=parsed, actor=request.user, apply=False)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request,
        "extranet/staff/import.html",
        {
            "active_module": "sales",
            "form": form if kept is None else RetailerImportForm(),
            "rows": rows,
            "kept": kept,
            "errors": sum(row.action == "error" for row in rows) if rows else 0,
            "recent": selectors.recent_imports(),
        },
        status=status,
    )


@require(permissions.may_import_retailers)
def retailers_import_template(request):
    response = HttpResponse(retailer_import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="retailers-template.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(permissions.may_import_retailers)
def retailers_import_status(request, import_id):
    job = get_visible_or_404(selectors.retailer_imports(), pk=import_id)
    return render(
        request,
        "extranet/staff/import_status.html",
        {"active_module": "sales", "job": job},
    )
