"""The sales administrators' survey pages on the intranet (/sales/surveys/): build a survey
(settings, audience, questions), publish it, and read the results (response rates, charts,
free-text answers, Excel export). Others get 403."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet.surveys import selectors, services
from extranet.surveys.exports import XLSX_CONTENT_TYPE, xlsx_of
from extranet.surveys.forms import QuestionForm, SurveyForm
from extranet.surveys.fragments import pair_rows_html, rate_rows_html
from extranet.surveys.models import Question, Survey
from extranet.surveys.permissions import may_manage_surveys
from extranet.surveys.result_html import result_sections_html
from extranet.surveys.results_kept import keep_results, kept_results, results_key
from extranet.surveys.tallies import survey_tallies
from portal.permissions import get_visible_or_404, require
from portal.refusals import Refusal

PAGE_SIZE = 30
TEXT_PAGE_SIZE = 50


@require(may_manage_surveys)
def survey_list(request):
    page = Paginator(selectors.surveys_for_staff(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "extranet/surveys/staff/list.html", {"active_module": "sales", "page": page}
    )


@require(may_manage_surveys)
def survey_new(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, **form.service_arguments())
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Survey created. Now add its questions."))
            return redirect("sales:survey", survey.pk)
    return render(
        request,
        "extranet/surveys/staff/survey_form.html",
        {"active_module": "sales", "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require(may_manage_surveys)
def survey_edit(request, survey_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_of(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, actor=request.user, **form.service_arguments())
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("sales:survey", survey.pk)
    return render(
        request,
        "extranet/surveys/staff/survey_form.html",
        {"active_module": "sales", "form": form, "survey": survey},
        status=400 if request.method == "POST" else 200,
    )


@require(may_manage_surveys)
def survey_detail(request, survey_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    return render(
        request,
        "extranet/surveys/staff/detail.html",
        {
            "active_module": "sales",
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "criteria": selectors.audience_parts(survey),
            "locked": services.structure_locked(survey),
        },
    )


@require_POST
@require(may_manage_surveys)
def survey_publish_view(request, survey_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    publish = request.POST.get("publish") == "1"
    try:
        services.survey_publish(survey=survey, actor=request.user, publish=publish)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("sales:survey", survey.pk)
    messages.success(
        request, _("Survey published.") if publish else _("Survey withdrawn from retailers.")
    )
    return redirect("sales:survey", survey.pk)


def _question_arguments(form):
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "text": data["text"],
        "help_text": data["help_text"],
        "required": data["required"],
        "choices": data["choices"],
        "max_choices": data["max_choices"],
        "min_value": data["min_value"],
        "max_value": data["max_value"],
    }


def _question_page(request, survey, form, question=None, status=200):
    return render(
        request,
        "extranet/surveys/staff/question_form.html",
        {
            "active_module": "sales",
            "survey": survey,
            "form": form,
            "question": question,
            "locked": services.structure_locked(survey),
        },
        status=status,
    )


@require(may_manage_surveys)
def question_new(request, survey_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    form = QuestionForm(request.POST or None)
    if request.method != "POST":
        return _question_page(request, survey, form)
    status = 400
    if form.is_valid():
        try:
            services.question_add(survey=survey, actor=request.user, **_question_arguments(form))
        except Refusal as refusal:
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            messages.success(request, _("Question added."))
            return redirect("sales:survey", survey.pk)
    return _question_page(request, survey, form, status=status)


@require(may_manage_surveys)
def question_edit(request, survey_id, question_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    question = get_visible_or_404(survey.questions.all(), pk=question_id)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_of(question))
    if request.method != "POST":
        return _question_page(request, survey, form, question)
    status = 400
    if form.is_valid():
        try:
            services.question_update(
                question=question, actor=request.user, **_question_arguments(form)
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            messages.success(request, _("Question saved."))
            return redirect("sales:survey", survey.pk)
    return _question_page(request, survey, form, question, status=status)


@require(may_manage_surveys)
def question_delete_view(request, survey_id, question_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    question = get_visible_or_404(survey.questions.all(), pk=question_id)
    if request.method == "POST":
        try:
            services.question_delete(question=question, actor=request.user)
        except Refusal as refusal:
            messages.error(request, refusal.message)
            return redirect("sales:survey", survey.pk)
        messages.success(request, _("Question deleted."))
        return redirect("sales:survey", survey.pk)
    return render(
        request,
        "extranet/surveys/staff/question_delete.html",
        {"active_module": "sales", "survey": survey, "question": question},
    )


@require_POST
@require(may_manage_surveys)
def question_move_view(request, survey_id, question_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    question = get_visible_or_404(survey.questions.all(), pk=question_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.question_move(question=question, actor=request.user, offset=offset)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    return redirect("sales:survey", survey.pk)


@require(may_manage_surveys)
def results(request, survey_id):
    key = results_key(survey_id)
    kept = kept_results(key)
    if kept is None:
        survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
        questions = selectors.kept_questions_of(survey)
        question_results, rates = survey_tallies(survey, questions)
        for item in question_results:
            if "pairs" in item:
                item["rows"] = pair_rows_html(item["pairs"])
        body = render_to_string(
            "extranet/surveys/staff/results_body.html",
            {
                "survey": survey,
                "rates": rates,
                "grade_rows": rate_rows_html(rates["by_grade"]),
                "region_rows": rate_rows_html(rates["by_region"], blank_key="—"),
                "results": question_results,
                "sections": result_sections_html(survey, question_results),
                "charts": selectors.chart_data(question_results),
            },
        )
        kept = (str(survey.title), str(body))
        keep_results(key, *kept)
    title, body = kept
    return render(
        request,
        "extranet/surveys/staff/results.html",
        {
            "active_module": "sales",
            "survey": {"title": title},
            "body": mark_safe(body),  # noqa: S308 - rendered by the template above, which escapes
        },
    )


@require(may_manage_surveys)
def text_answers(request, survey_id, question_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    question = get_visible_or_404(
        survey.questions.filter(kind__in=Question.TEXT_KINDS), pk=question_id
    )
    page = Paginator(selectors.text_answers(question), TEXT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "extranet/surveys/staff/text_answers.html",
        {"active_module": "sales", "survey": survey, "question": question, "page": page},
    )


@require(may_manage_surveys)
def export(request, survey_id):
    survey = get_visible_or_404(Survey.objects.all(), pk=survey_id)
    questions = selectors.questions_of(survey)
    content = xlsx_of(survey, questions, selectors.submitted_responses(survey))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response
