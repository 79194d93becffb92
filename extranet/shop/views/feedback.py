"""The retailer's feedback and complaints: the list, a new item, an item and its rating."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet.feedback import selectors
from extranet.feedback.forms import FeedbackForm, FeedbackRatingForm
from extranet.feedback.services import FeedbackRefused, feedback_rate, feedback_submit
from extranet.shop.views import PAGE_SIZE, retailer_page
from portal.files import private_file_response
from portal.permissions import get_visible_or_404


@retailer_page
def feedback_list(request, retailer):
    page = Paginator(selectors.feedback_of_retailer(retailer=retailer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "extranet/feedback_list.html",
        {"active_module": "feedback", "page": page},
    )


@retailer_page
def feedback_new(request, retailer):
    form = FeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        feedback = feedback_submit(
            retailer=retailer,
            user=request.user,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            photos=form.cleaned_data["photos"],
        )
        messages.success(
            request,
            _("Thank you. We will call you back by %(due)s.")
            % {
                "due": formats.date_format(
                    timezone.localtime(feedback.callback_due_at), "DATETIME_FORMAT"
                )
            },
        )
        return redirect("shop:feedback_detail", feedback.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "extranet/feedback_new.html",
        {"active_module": "feedback", "form": form},
        status=status,
    )


@retailer_page
def feedback_detail(request, retailer, feedback_id):
    feedback = get_visible_or_404(
        selectors.feedback_details_of_retailer(retailer=retailer), pk=feedback_id
    )
    return render(
        request,
        "extranet/feedback_detail.html",
        {
            "active_module": "feedback",
            "feedback": feedback,
            "rating_form": FeedbackRatingForm(),
            "may_rate": feedback.awaits_rating,
        },
    )


@require_POST
@retailer_page
def feedback_rate_view(request, retailer, feedback_id):
    feedback = get_visible_or_404(
        selectors.feedback_details_of_retailer(retailer=retailer), pk=feedback_id
    )
    form = FeedbackRatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect("shop:feedback_detail", feedback.pk)
    try:
        feedback_rate(feedback=feedback, user=request.user, rating=form.cleaned_data["rating"])
    except FeedbackRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you for rating how we handled your feedback."))
    return redirect("shop:feedback_detail", feedback.pk)


@retailer_page
def feedback_photo(request, retailer, feedback_id, photo_id):
    photo = get_visible_or_404(
        selectors.feedback_photos_of_retailer(retailer=retailer),
        feedback_id=feedback_id,
        pk=photo_id,
    )
    return private_file_response(photo.file, filename=photo.name, as_attachment=False)
