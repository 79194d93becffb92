"""Market information (both faces), market analysis dashboards and the feedback extras."""

import io
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet import permissions as extranet_permissions
from extranet import selectors as extranet_selectors
from extranet.market import permissions, selectors, services
from extranet.market.forms import (
    AddInfoForm,
    AnalysisFilterForm,
    EffectiveFilterForm,
    ReportFilterForm,
    ReportForm,
    ReviewForm,
)
from extranet.views import retailer_page
from portal.files import private_file_response

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook_response(sheets, filename):
    """sheets: [(title, header, rows)] → an .xlsx download. Formula-like text is neutralised."""
    from openpyxl import Workbook

    def safe(value):
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
            return "'" + value
        return value

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet((title or "-")[:31].replace("/", "-"))
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append([safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _report_kwargs(data):
    return {
        "kind": data["kind"],
        "observed_on": data["observed_on"],
        "location": data["location"],
        "description": data["description"],
        "product": data.get("product"),
        "brand_name": data.get("brand_name", ""),
        "price": data.get("price"),
        "quantity": data.get("quantity"),
        "photos": data.get("photos") or (),
    }


# Retailers (extranet) ---------------------------------------------------------------------------


@retailer_page
def shop_list(request, retailer):
    page = Paginator(selectors.reports_of_retailer(retailer=retailer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "extranet/market/shop_list.html", {"active_module": "market", "page": page}
    )


@retailer_page
def shop_new(request, retailer):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = services.report_submit(
            user=request.user, retailer=retailer, **_report_kwargs(form.cleaned_data)
        )
        messages.success(request, _("Thank you. The sales department will review your report."))
        return redirect("shop:market_report", report.pk)
    return render(
        request,
        "extranet/market/shop_new.html",
        {"active_module": "market", "form": form},
        status=400 if request.method == "POST" else 200,
    )


@retailer_page
def shop_report(request, retailer, report_id):
    report = selectors.report_for_retailer(retailer=retailer, report_id=report_id)
    if report is None:
        raise Http404
    return render(
        request,
        "extranet/market/shop_report.html",
        {"active_module": "market", "report": report, "info_form": AddInfoForm()},
    )


@require_POST
@retailer_page
def shop_add_info(request, retailer, report_id):
    report = selectors.report_for_retailer(retailer=retailer, report_id=report_id)
    if report is None:
        raise Http404
    form = AddInfoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return render(
            request,
            "extranet/market/shop_report.html",
            {"active_module": "market", "report": report, "info_form": form},
            status=400,
        )
    try:
        services.report_add_info(
            report=report,
            user=request.user,
            text=form.cleaned_data["text"],
            photos=form.cleaned_data["photos"] or (),
        )
    except services.ReportRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("shop:market_report", report.pk)
    messages.success(request, _("Thank you. Your report is back with the sales department."))
    return redirect("shop:market_report", report.pk)


@retailer_page
def shop_photo(request, retailer, report_id, photo_id):
    report = selectors.reports_of_retailer(retailer=retailer).filter(pk=report_id).first()
    photo = report and report.photos.filter(pk=photo_id).first()
    if not photo:
        raise Http404
    return private_file_response(photo.file, filename=photo.name, as_attachment=False)


# Staff (intranet) -------------------------------------------------------------------------------


def market_desk_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.may_use_market_desk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _staff_reports(request, *, restricted):
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
    if not restricted:
        # Restricted reports have their own list; the main list shows only one's own of them.
        from django.db.models import Q

        reports = reports.filter(Q(is_restricted=False) | Q(submitted_by=request.user))
    return form, reports


@market_desk_only
def staff_list(request, restricted=False):
    if restricted and not permissions.may_see_restricted(request.user):
        raise Http404
    form, reports = _staff_reports(request, restricted=restricted)
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
            "may_see_restricted": permissions.may_see_restricted(request.user),
            "may_review": permissions.may_review(request.user),
            "query": request.GET.urlencode(),
        },
    )


def staff_restricted(request):
    if not permissions.may_see_restricted(request.user):
        raise Http404
    return staff_list(request, restricted=True)


def _reports_workbook(reports, restricted):
    header = [
        _("Number"),
        _("Type"),
        _("Status"),
        _("Submitted at"),
        _("Observed on"),
        _("Region"),
        _("Location"),
        _("Store"),
        _("Product"),
        _("Brand or product name"),
        _("Price per carton"),
        _("Quantity (cartons)"),
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
    return _workbook_response([(_("Market reports"), header, rows)], name)


@market_desk_only
def staff_new(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = services.report_submit(user=request.user, **_report_kwargs(form.cleaned_data))
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
            "may_review": permissions.may_review_report(request.user, report)
            and report.status == "submitted",
            "is_submitter": report.submitted_by_id == request.user.pk,
            "review_form": review_form or ReviewForm(),
            "info_form": info_form or AddInfoForm(),
        },
        status=status,
    )


def _staff_report_or_404(request, report_id):
    report = selectors.report_for_staff(user=request.user, report_id=report_id)
    if report is None:
        raise Http404
    return report


@market_desk_only
def staff_report(request, report_id):
    return _render_staff_report(request, _staff_report_or_404(request, report_id))


@require_POST
@market_desk_only
def staff_review(request, report_id):
    report = _staff_report_or_404(request, report_id)
    if not permissions.may_review_report(request.user, report):
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
    except services.ReportRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("sales:market_report", report.pk)
    messages.success(request, _("Saved."))
    return redirect("sales:market_report", report.pk)


@require_POST
@market_desk_only
def staff_add_info(request, report_id):
    report = _staff_report_or_404(request, report_id)
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
    except services.ReportRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Saved."))
    return redirect("sales:market_report", report.pk)


@market_desk_only
def staff_photo(request, report_id, photo_id):
    report = selectors.reports_visible_to(request.user).filter(pk=report_id).first()
    photo = report and report.photos.filter(pk=photo_id).first()
    if not photo:
        raise Http404
    return private_file_response(photo.file, filename=photo.name, as_attachment=False)


# Market analysis --------------------------------------------------------------------------------


def analysis_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.may_see_analysis(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _dashboard_links():
    titles = {
        "sales": _("Sales"),
        "grades": _("Grades"),
        "top": _("Top retailers"),
        "feedback": _("Feedback"),
        "prices": _("Shelf prices"),
        "surveys": _("Surveys"),
    }
    return [(slug, titles[slug]) for slug in selectors.dashboard_slugs()]


@analysis_only
def analysis_index(request):
    return redirect("sales:analysis", "sales")


@analysis_only
def analysis(request, slug):
    if slug not in selectors.dashboard_slugs():
        raise Http404
    form = AnalysisFilterForm(request.GET or None, regions=selectors.report_regions())
    filters = selectors.default_filters()
    if request.GET and not form.is_valid():
        messages.error(request, _("Please correct the filters."))
        return render(
            request,
            "extranet/market/analysis.html",
            {"active_module": "sales", "form": form, "links": _dashboard_links(), "slug": slug},
            status=400,
        )
    if form.is_bound:
        data = form.cleaned_data
        filters = selectors.Filters(
            start=data.get("start") or filters.start,
            end=data.get("end") or filters.end,
            region=data.get("region") or "",
        )
        if filters.start > filters.end:
            messages.error(request, _("The start of the period is after its end."))
            return render(
                request,
                "extranet/market/analysis.html",
                {"active_module": "sales", "form": form, "links": _dashboard_links(), "slug": slug},
                status=400,
            )
    export = request.GET.get("format") == "xlsx"
    page = None if export else request.GET.get("page") or 1
    board = selectors.dashboard(slug, filters, page=page)
    if export:
        return _workbook_response(
            [(table.title, table.columns, table.rows) for table in board.tables],
            f"analysis-{slug}-{filters.start}-{filters.end}.xlsx",
        )
    if not form.is_bound:
        form = AnalysisFilterForm(
            initial={"start": filters.start, "end": filters.end},
            regions=selectors.report_regions(),
        )
    return render(
        request,
        "extranet/market/analysis.html",
        {
            "active_module": "sales",
            "form": form,
            "links": _dashboard_links(),
            "slug": slug,
            "board": board,
            "filters": filters,
            "charts": [chart.as_json() for chart in board.charts],
            "query": request.GET.urlencode(),
        },
    )


# Feedback extras --------------------------------------------------------------------------------


def feedback_export(request):
    from extranet.forms import FeedbackFilterForm

    if not extranet_permissions.may_use_feedback_desk(request.user):
        raise PermissionDenied
    form = FeedbackFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(_("Please correct the filters."), status=400)
    filters = form.cleaned_data if form.is_bound else {}
    items = extranet_selectors.feedback_filtered(
        user=request.user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        overdue=filters.get("overdue", False),
    ).select_related("retailer", "assigned_to")

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    header = [
        _("Number"),
        _("Licence number"),
        _("Store"),
        _("Region"),
        _("Kind"),
        _("Status"),
        _("Submitted at"),
        _("Call-back due"),
        _("Called back at"),
        _("Resolved at"),
        _("Account manager"),
        _("Effective complaint"),
        _("Rating"),
        _("Text"),
    ]
    rows = (
        [
            item.number,
            item.retailer.licence_number,
            item.retailer.store_name,
            item.retailer.region,
            item.get_kind_display(),
            item.get_status_display(),
            when(item.submitted_at),
            when(item.callback_due_at),
            when(item.called_back_at),
            when(item.resolved_at),
            item.assigned_to.name if item.assigned_to_id else "",
            _("Yes") if item.is_effective_complaint else "",
            item.rating,
            item.text,
        ]
        for item in items.iterator(chunk_size=2000)
    )
    return _workbook_response([(_("Feedback"), header, rows)], "feedback.xlsx")


def feedback_effective(request):
    """Effective complaints (for rewards): per retailer, and the list; sales department."""
    from django.db.models import Count

    if not extranet_permissions.may_manage_feedback(request.user):
        raise PermissionDenied
    form = EffectiveFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        messages.error(request, _("Please correct the filters."))
        status = 400
        items = extranet_selectors.feedback_visible_to(request.user).none()
    else:
        status = 200
        data = form.cleaned_data if form.is_bound else {}
        items = extranet_selectors.feedback_visible_to(request.user).filter(
            is_effective_complaint=True
        )
        if data.get("start"):
            items = items.filter(submitted_at__date__gte=data["start"])
        if data.get("end"):
            items = items.filter(submitted_at__date__lte=data["end"])
    per_retailer = list(
        items.values("retailer_id", "retailer__licence_number", "retailer__store_name")
        .annotate(count=Count("pk"))
        .order_by("-count", "retailer__licence_number")[:100]
    )
    page = Paginator(items.order_by("-submitted_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "extranet/market/effective.html",
        {"active_module": "sales", "form": form, "page": page, "per_retailer": per_retailer},
        status=status,
    )
