"""Market information on the extranet (/shop/market/): a retailer's reports, submitting one,
and adding the information the sales department asked for. Another store's report answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet.market import selectors, services
from extranet.market.forms import AddInfoForm, ReportForm
from extranet.shop.views import retailer_page
from portal.files import private_file_response
from portal.permissions import get_visible_or_404
from portal.refusals import Refusal

PAGE_SIZE = 50


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
            user=request.user, retailer=retailer, **form.service_arguments()
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
    report = get_visible_or_404(
        selectors.report_details_of_retailer(retailer=retailer), pk=report_id
    )
    return render(
        request,
        "extranet/market/shop_report.html",
        {"active_module": "market", "report": report, "info_form": AddInfoForm()},
    )


@require_POST
@retailer_page
def shop_add_info(request, retailer, report_id):
    report = get_visible_or_404(
        selectors.report_details_of_retailer(retailer=retailer), pk=report_id
    )
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
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("shop:market_report", report.pk)
    messages.success(request, _("Thank you. Your report is back with the sales department."))
    return redirect("shop:market_report", report.pk)


@retailer_page
def shop_photo(request, retailer, report_id, photo_id):
    photo = get_visible_or_404(
        selectors.report_photos_of_retailer(retailer=retailer), pk=photo_id, report_id=report_id
    )
    return private_file_response(photo.file, filename=photo.name, as_attachment=False)
