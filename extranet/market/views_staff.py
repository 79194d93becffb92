"""Market information and market analysis on the intranet (/sales/market/, /sales/analysis/).

The report pages are for account managers and reviewers (others get 403); a report the user may
not see answers 404, and so does the restricted list for anyone but the sales department head
and system administrators. The dashboards are for the sales department (403 otherwise)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from extranet.market import dashboards, selectors, services
from extranet.market.dashboards.base import Filters, default_filters
from extranet.market.dashboards.kept import KeptAnalysis
from extranet.market.exports import workbook_response
from extranet.market.forms import (
    AddInfoForm,
    AnalysisFilterForm,
    ReportFilterForm,
    ReportForm,
    ReviewForm,
)
from extranet.market.permissions import (
    may_review,
    may_review_report,
    may_see_analysis,
    may_see_restricted,
    may_use_market_desk,
)
from portal.files import private_file_response
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal

PAGE_SIZE = 50

# Reports ----------------------------------------------------------------------------------------


def _reports_page(request, *, restricted):
    form = ReportFilterForm(request.GET or None, regions=selectors.report_regions())
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.reports_filtered(
        user=request.user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        region=filters.get("region", ""),
        mine=filters.get("mine", False),
        restricted=restricted,
    )
    if request.GET.get("format") == "xlsx":
        return _reports_workbook(reports, restricted)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "extranet/market/staff_list.html",
        {
            "active_module": "sales",
            "form": form,
            "page": page,
            "restricted": restricted,
            "may_see_restricted": may_see_restricted(request.user),
            "may_review": may_review(request.user),
            "query": request.GET.urlencode(),
        },
    )


@require(may_use_market_desk)
def staff_list(request):
    return _reports_page(request, restricted=False)


@require(may_see_restricted, deny=Http404)
def staff_restricted(request):
    return _reports_page(request, restricted=True)


def _reports_workbook(reports, restricted):
    header = [
        pgettext("market report", "Number"),
        pgettext("market report", "Type"),
        pgettext("market report", "Status"),
        pgettext("market report", "Submitted at"),
        pgettext("market report", "Observed on"),
        pgettext("market report", "Region"),
        pgettext("market report", "Location"),
        pgettext("market report", "Store"),
        pgettext("market report", "Product"),
        _("Brand or product name"),
        _("Price per carton"),
        pgettext("market report", "Quantity (cartons)"),
        _("Description"),
        _("Reason or question"),
    ]
    rows = (
        [
            report.number,
            report.get_kind_display(),
            report.get_status_display(),
            timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M"),
            report.observed_on.isoformat(),
            report.region,
            report.location,
            report.retailer.store_name if report.retailer_id else "",
            str(report.product) if report.product_id else "",
            report.brand_name,
            report.price,
            report.quantity,
            report.description,
            report.review_note,
        ]
        for report in reports.iterator(chunk_size=2000)
    )
    name = "market-restricted.xlsx" if restricted else "market-reports.xlsx"
    return workbook_response([(_("Market reports"), header, rows)], name)


@require(may_use_market_desk)
def staff_new(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = services.report_submit(user=request.user, **form.service_arguments())
        messages.success(request, _("Report submitted."))
        return redirect("sales:market_report", report.pk)
    return render(
        request,
        "extranet/market/staff_new.html",
        {"active_module": "sales", "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _render_staff_report(request, report, *, review_form=None, info_form=None, status=200):
    return render(
        request,
        "extranet/market/staff_report.html",
        {
            "active_module": "sales",
            "report": report,
            "may_review": may_review_report(request.user, report) and report.status == "submitted",
            "is_submitter": report.submitted_by_id == request.user.pk,
            "review_form": review_form or ReviewForm(),
            "info_form": info_form or AddInfoForm(),
        },
        status=status,
    )


@require(may_use_market_desk)
def staff_report(request, report_id):
    return _render_staff_report(
        request,
        get_visible_or_404(selectors.report_details_visible_to(user=request.user), pk=report_id),
    )


@require_POST
@require(may_use_market_desk)
def staff_review(request, report_id):
    report = get_visible_or_404(
        selectors.report_details_visible_to(user=request.user), pk=report_id
    )
    if not may_review_report(request.user, report):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render_staff_report(request, report, review_form=form, status=400)
    try:
        services.report_review(
            report=report,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("sales:market_report", report.pk)
    messages.success(request, pgettext("market report", "Saved."))
    return redirect("sales:market_report", report.pk)


@require_POST
@require(may_use_market_desk)
def staff_add_info(request, report_id):
    report = get_visible_or_404(
        selectors.report_details_visible_to(user=request.user), pk=report_id
    )
    if report.submitted_by_id != request.user.pk:
        raise PermissionDenied
    form = AddInfoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render_staff_report(request, report, info_form=form, status=400)
    try:
        services.report_add_info(
            report=report,
            user=request.user,
            text=form.cleaned_data["text"],
            photos=form.cleaned_data["photos"] or (),
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, pgettext("market report", "Saved."))
    return redirect("sales:market_report", report.pk)


@require(may_use_market_desk)
def staff_photo(request, report_id, photo_id):
    photo = get_visible_or_404(
        selectors.report_photos_visible_to(user=request.user), pk=photo_id, report_id=report_id
    )
    return private_file_response(photo.file, filename=photo.name, as_attachment=False)


# Market analysis --------------------------------------------------------------------------------


@require(may_see_analysis)
def analysis_index(request):
    return redirect("sales:analysis", "sales")


def _analysis_page(request, slug, form, *, board=None, status=200):
    context = {
        "active_module": "sales",
        "form": form,
        "links": dashboards.dashboard_links(),
        "slug": slug,
    }
    if board is not None:
        context |= {"board": board, "query": request.GET.urlencode()}
    return render(request, "extranet/market/analysis.html", context, status=status)


def _board_context(request, filters):
    def context(board):
        return {
            "board": board,
            "filters": filters,
            "charts": [chart.as_json() for chart in board.charts],
            "query": request.GET.urlencode(),
        }

    return context


@require(may_see_analysis)
def analysis(request, slug):
    if slug not in dashboards.dashboard_slugs():
        raise Http404
    kept = KeptAnalysis(request, slug)
    regions = kept.regions()
    form = AnalysisFilterForm(request.GET or None, regions=regions)
    filters = default_filters()
    if request.GET and not form.is_valid():
        messages.error(request, _("Please correct the filters."))
        return _analysis_page(request, slug, form, status=400)
    if form.is_bound:
        data = form.cleaned_data
        filters = Filters(
            start=data.get("start") or filters.start,
            end=data.get("end") or filters.end,
            region=data.get("region") or "",
        )
        if filters.start > filters.end:
            messages.error(request, _("The start of the period is after its end."))
            return _analysis_page(request, slug, form, status=400)
    if request.GET.get("format") == "xlsx":
        board = dashboards.dashboard(slug, filters)
        return workbook_response(
            [(table.title, table.columns, table.rows, table.kinds) for table in board.tables],
            f"analysis-{slug}-{filters.start}-{filters.end}.xlsx",
        )
    page = request.GET.get("page") or 1
    board = kept.board(
        request,
        lambda: dashboards.dashboard(slug, filters, page=page),
        _board_context(request, filters),
    )
    if not form.is_bound:
        form = AnalysisFilterForm(
            initial={"start": filters.start, "end": filters.end}, regions=regions
        )
    return _analysis_page(request, slug, form, board=board)
