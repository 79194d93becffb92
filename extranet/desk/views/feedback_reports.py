"""The sales department's feedback extras on the intranet: the Excel export of the feedback
list (the feedback desk) and the effective complaints per retailer (those who manage feedback);
others get 403."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet.desk.views import PAGE_SIZE
from extranet.feedback import selectors
from extranet.feedback.forms import EffectiveFilterForm, FeedbackFilterForm
from extranet.market.exports import workbook_response
from extranet.permissions import may_manage_feedback, may_use_feedback_desk
from portal.permissions import require


@require(may_use_feedback_desk)
def feedback_export(request):
    form = FeedbackFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(_("Please correct the filters."), status=400)
    filters = form.cleaned_data if form.is_bound else {}
    items = selectors.feedback_filtered(
        user=request.user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        overdue=filters.get("overdue", False),
    ).select_related("retailer", "assigned_to")

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    header = [
        pgettext("feedback", "Number"),
        pgettext("feedback", "Licence number"),
        pgettext("feedback", "Store"),
        pgettext("feedback", "Region"),
        pgettext("feedback", "Kind"),
        pgettext("feedback", "Status"),
        pgettext("feedback", "Submitted at"),
        pgettext("feedback", "Call-back due"),
        _("Called back at"),
        _("Resolved at"),
        pgettext("feedback", "Account manager"),
        pgettext("feedback", "Effective complaint"),
        pgettext("feedback", "Rating"),
        pgettext("feedback", "Text"),
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
    return workbook_response([(pgettext("feedback", "Feedback"), header, rows)], "feedback.xlsx")


@require(may_manage_feedback)
def feedback_effective(request):
    """Effective complaints (for rewards): per retailer, and the list; sales department."""
    form = EffectiveFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        messages.error(request, _("Please correct the filters."))
        status = 400
        items = selectors.feedback_visible_to(request.user).none()
    else:
        status = 200
        data = form.cleaned_data if form.is_bound else {}
        items = selectors.feedback_visible_to(request.user).filter(is_effective_complaint=True)
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
