"""The retailers' survey pages on the extranet (/shop/surveys/): the surveys addressed to the
store and open now, answering (draft, then submit once) and the thank-you page. A survey not
addressed to the retailer answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet.shop.views import retailer_page
from extranet.surveys import selectors
from extranet.surveys.forms import AnswersForm
from extranet.surveys.fragments import blank_questions_html, questions_html
from extranet.surveys.models import SurveyResponse
from extranet.surveys.notices import survey_notice_seen
from extranet.surveys.services import AnswersInvalid, response_save
from portal.refusals import Refusal

PAGE_SIZE = 20
SUBMITTED = SurveyResponse.Status.SUBMITTED


@retailer_page
def survey_list(request, retailer):
    page = Paginator(selectors.open_surveys_for(retailer=retailer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "extranet/surveys/list.html", {"active_module": "surveys", "page": page})


def _answers_form(survey, response):
    """The unbound form of the survey with the response's answers, and its questions' HTML:
    the kept blank one when the response has no answer (or there is no response)."""
    if response is not None:
        prefetch_related_objects([response], "answers__choices")
        if response.answers.all():
            questions = selectors.kept_questions_of(survey)
            form = AnswersForm(questions, initial=AnswersForm.initial_of(response, questions))
            return form, questions_html(form)
    return None, blank_questions_html(survey)


@retailer_page
def survey_answer(request, retailer, survey_id):
    survey, notice_unseen = selectors.survey_and_states(retailer=retailer, survey_id=survey_id)
    if survey is None:
        raise Http404
    if request.method != "POST" and notice_unseen:
        survey_notice_seen(survey=survey, retailer=retailer)
    if survey.own_status == SUBMITTED:
        if request.method == "POST":
            messages.error(request, _("Your store has already answered this survey."))
        return redirect("shop:survey_thanks", survey.pk)
    context = {"active_module": "surveys", "survey": survey, "is_open": survey.is_open()}
    if not context["is_open"]:
        status = 409 if request.method == "POST" else 200
        return render(request, "extranet/surveys/answer.html", context, status=status)
    if request.method != "POST":
        # Only a draft has answers to show; no response (or none yet) is the blank form.
        response = (
            selectors.own_response(retailer=retailer, survey=survey)
            if survey.own_status == SurveyResponse.Status.DRAFT
            else None
        )
        form, questions = _answers_form(survey, response)
        return render(
            request,
            "extranet/surveys/answer.html",
            {**context, "form": form, "questions": questions},
        )

    form = AnswersForm(selectors.kept_questions_of(survey), request.POST)
    submit = "submit" in request.POST
    status = 400
    if form.is_valid():
        try:
            response_save(
                survey=survey,
                retailer=retailer,
                user=request.user,
                values=form.values(),
                submit=submit,
            )
        except AnswersInvalid as invalid:
            form.add_answer_errors(invalid.errors)
            if invalid.saved:
                messages.warning(
                    request,
                    _("Your answers were saved as a draft; answer the marked questions to submit."),
                )
        except Refusal as refusal:
            messages.error(request, refusal.message)
            status = refusal.status
        else:
            if submit:
                return redirect("shop:survey_thanks", survey.pk)
            messages.success(request, _("Draft saved. You can finish the survey later."))
            return redirect("shop:survey", survey.pk)
    if status == 400:
        messages.error(request, _("Some answers need correcting; see the marked questions."))
    return render(
        request,
        "extranet/surveys/answer.html",
        {**context, "form": form, "questions": questions_html(form)},
        status=status,
    )


@retailer_page
def survey_thanks(request, retailer, survey_id):
    survey = selectors.survey_addressed_to(retailer=retailer, survey_id=survey_id)
    if survey is None:
        raise Http404
    if survey.own_status != SUBMITTED:
        return redirect("shop:survey", survey.pk)
    return render(
        request,
        "extranet/surveys/thanks.html",
        {"active_module": "surveys", "survey": survey, "now": timezone.now()},
    )
