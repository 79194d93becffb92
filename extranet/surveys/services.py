"""Writes of surveys: building a survey (settings, audience, questions), publishing it, and a
retailer's response (draft, then submitted once). Telling the retailers is in `notices.py`.

The structure of a survey (its questions and choices) is locked once any response exists: the
structure edits lock the survey row and then check for responses, and inserting a response
takes a key-share lock on the same row (its foreign key), so the two never interleave.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet.surveys.models import (
    Answer,
    Choice,
    Question,
    Survey,
    SurveyResponse,
    SurveyTarget,
)
from extranet.surveys.selectors import QUESTIONS_GENERATION
from extranet.surveys.tasks import survey_notices_task
from portal.refusals import Refusal
from portal.services import audit_record

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000


class AnswersInvalid(Refusal):
    """Answers that break their questions' rules: `errors` maps question id → message, `saved`
    says whether the valid part was kept as a draft."""

    def __init__(self, *, errors: dict, saved: bool = False):
        super().__init__(_("Some answers need correcting; see the marked questions."))
        self.errors = errors
        self.saved = saved


# Building -------------------------------------------------------------------------------------


def _check_dates(opens_at, closes_at):
    if closes_at <= opens_at:
        raise Refusal(_("The survey must close after it opens."))


def _set_targets(survey, *, grades=(), regions=(), routes=(), retailers=()):
    """The audience's criteria: a retailer is addressed when it meets each kind chosen (grades
    1–3 in 西湖区), so an audience of chosen retailers needs at least one criterion."""
    survey.targets.all().delete()
    rows = []
    if survey.audience == Survey.Audience.SELECTED:
        rows += [SurveyTarget(survey=survey, grade=grade) for grade in sorted(set(grades))]
        rows += [SurveyTarget(survey=survey, region=region) for region in sorted(set(regions))]
        rows += [SurveyTarget(survey=survey, route=route) for route in routes]
        rows += [SurveyTarget(survey=survey, retailer=retailer) for retailer in retailers]
        if not rows:
            raise Refusal(_("Choose at least one criterion of the audience."))
    SurveyTarget.objects.bulk_create(rows)


def survey_create(
    *,
    actor,
    title,
    introduction="",
    opens_at,
    closes_at,
    audience=Survey.Audience.ALL,
    grades=(),
    regions=(),
    routes=(),
    retailers=(),
):
    _check_dates(opens_at, closes_at)
    with transaction.atomic():
        survey = Survey.objects.create(
            title=title,
            introduction=introduction,
            opens_at=opens_at,
            closes_at=closes_at,
            audience=audience,
            created_by=actor,
        )
        _set_targets(survey, grades=grades, regions=regions, routes=routes, retailers=retailers)
        audit_record(actor=actor, action="extranet.survey_create", target=survey)
    return survey


def survey_update(
    *,
    survey,
    actor,
    title,
    introduction="",
    opens_at,
    closes_at,
    audience,
    grades=(),
    regions=(),
    routes=(),
    retailers=(),
):
    """Settings and audience may change at any time (answers stay attached to their
    questions); the response rate is then counted against the new audience."""
    _check_dates(opens_at, closes_at)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        survey.title, survey.introduction = title, introduction
        survey.opens_at, survey.closes_at, survey.audience = opens_at, closes_at, audience
        # The audience may have grown: its new members are notified (the others, never twice).
        survey.notified_at = None
        survey.save()
        _set_targets(survey, grades=grades, regions=regions, routes=routes, retailers=retailers)
        audit_record(actor=actor, action="extranet.survey_update", target=survey)
        _notices_queue_if_open(survey)
    return survey


def survey_publish(*, survey, actor, publish: bool = True):
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if publish and not survey.questions.exists():
            raise Refusal(_("Add at least one question before publishing."))
        survey.is_published = publish
        survey.save(update_fields=["is_published"])
        action = "extranet.survey_publish" if publish else "extranet.survey_unpublish"
        audit_record(actor=actor, action=action, target=survey)
        _notices_queue_if_open(survey)
    return survey


# Structure and notices ------------------------------------------------------------------------


def _notices_queue_if_open(survey):
    """A survey that is open now gets its notices sent by the worker once this commits; one
    that opens later is picked up by the scheduled `survey_notices_due`."""
    if survey.is_open():
        survey_id = survey.pk
        transaction.on_commit(lambda: survey_notices_task.enqueue(survey_id=survey_id))


def structure_locked(survey) -> bool:
    return SurveyResponse.objects.filter(survey_id=survey.pk).exists()


def _lock_structure(survey):
    """Lock the survey row, then refuse if any response exists. The caller changes the
    questions or choices (bulk writes, which send no signal): the kept HTML of blank answer
    forms is forgotten now and when the transaction commits."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if structure_locked(survey):
        raise Refusal(
            _(
                "Retailers have started answering this survey, so its questions can no "
                "longer be changed. Create a new survey to ask different questions."
            ),
            status=409,
        )
    QUESTIONS_GENERATION.bump()
    return survey


def _check_question(kind, *, choices, max_choices, min_value, max_value):
    if kind in Question.CHOICE_KINDS and len(choices) < 2:
        raise Refusal(_("A choice question needs at least two choices."))
    if len(set(choices)) != len(choices):
        raise Refusal(_("The choices must differ from each other."))
    if kind == Question.Kind.MULTIPLE and max_choices and max_choices > len(choices):
        raise Refusal(_("The maximum number of choices is larger than the choices."))
    if kind == Question.Kind.NUMBER and None not in (min_value, max_value):
        if min_value > max_value:
            raise Refusal(_("The smallest number is larger than the largest."))


def _question_fields(kind, max_choices, min_value, max_value):
    return {
        "max_choices": max_choices if kind == Question.Kind.MULTIPLE else None,
        "min_value": min_value if kind == Question.Kind.NUMBER else None,
        "max_value": max_value if kind == Question.Kind.NUMBER else None,
    }


def question_add(
    *,
    survey,
    actor,
    kind,
    text,
    help_text="",
    required=True,
    choices=(),
    max_choices=None,
    min_value=None,
    max_value=None,
):
    choices = [label.strip() for label in choices if label.strip()]
    with transaction.atomic():
        survey = _lock_structure(survey)
        _check_question(
            kind, choices=choices, max_choices=max_choices, min_value=min_value, max_value=max_value
        )
        last = survey.questions.aggregate(last=Max("position"))["last"]
        question = Question.objects.create(
            survey=survey,
            position=0 if last is None else last + 1,
            kind=kind,
            text=text,
            help_text=help_text,
            required=required,
            **_question_fields(kind, max_choices, min_value, max_value),
        )
        if kind in Question.CHOICE_KINDS:
            Choice.objects.bulk_create(
                Choice(question=question, position=index, label=label)
                for index, label in enumerate(choices)
            )
        audit_record(actor=actor, action="extranet.survey_question_add", target=survey)
    return question


def question_update(
    *,
    question,
    actor,
    kind,
    text,
    help_text="",
    required=True,
    choices=(),
    max_choices=None,
    min_value=None,
    max_value=None,
):
    choices = [label.strip() for label in choices if label.strip()]
    with transaction.atomic():
        survey = _lock_structure(question.survey)
        _check_question(
            kind, choices=choices, max_choices=max_choices, min_value=min_value, max_value=max_value
        )
        question = Question.objects.get(pk=question.pk, survey=survey)
        question.kind, question.text, question.help_text = kind, text, help_text
        question.required = required
        for name, value in _question_fields(kind, max_choices, min_value, max_value).items():
            setattr(question, name, value)
        question.save()
        question.choices.all().delete()
        if kind in Question.CHOICE_KINDS:
            Choice.objects.bulk_create(
                Choice(question=question, position=index, label=label)
                for index, label in enumerate(choices)
            )
        audit_record(actor=actor, action="extranet.survey_question_update", target=survey)
    return question


def question_delete(*, question, actor):
    with transaction.atomic():
        survey = _lock_structure(question.survey)
        Question.objects.filter(pk=question.pk, survey=survey).delete()
        audit_record(
            actor=actor,
            action="extranet.survey_question_delete",
            target=survey,
            data={"question": question.text},
        )


def question_move(*, question, actor, offset: int):
    """Swap the question with its neighbour above (-1) or below (+1)."""
    with transaction.atomic():
        survey = _lock_structure(question.survey)
        questions = list(survey.questions.order_by("position", "pk"))
        index = next(i for i, item in enumerate(questions) if item.pk == question.pk)
        other = index + offset
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
            for position, item in enumerate(questions):
                item.position = position
            Question.objects.bulk_update(questions, ["position"])
            audit_record(actor=actor, action="extranet.survey_question_move", target=survey)


# Answering ------------------------------------------------------------------------------------


def plain_number(number: Decimal) -> str:
    """12.50 → "12.5", 100.00 → "100" (never "1E+2")."""
    return format(number.normalize(), "f")


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def answer_clean(question, value):
    """The answer in its stored form, or raise ValueError with the message to show. `value` is
    what the form sent: a choice id (single), a list of choice ids (multiple), a number or
    text. An empty value is returned as None (unanswered)."""
    if _is_empty(value):
        return None
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        ids = {choice.pk for choice in question.choices.all()}
        try:
            choice_id = int(value)
        except (TypeError, ValueError):
            choice_id = None
        if choice_id not in ids:
            raise ValueError(_("Choose one of the listed answers."))
        return [choice_id]
    if kind == Question.Kind.MULTIPLE:
        ids = {choice.pk for choice in question.choices.all()}
        values = value if isinstance(value, list | tuple) else [value]
        try:
            chosen = sorted({int(item) for item in values})
        except (TypeError, ValueError):
            chosen = None
        if chosen is None or not set(chosen) <= ids:
            raise ValueError(_("Choose among the listed answers."))
        if question.max_choices and len(chosen) > question.max_choices:
            raise ValueError(
                _("Choose at most %(count)d answers.") % {"count": question.max_choices}
            )
        return chosen
    if kind in (Question.Kind.RATING, Question.Kind.NUMBER):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("Enter a number."))
        if kind == Question.Kind.RATING:
            if number not in range(1, 6):
                raise ValueError(_("Give a rating from 1 to 5."))
            return number
        if question.min_value is not None and number < question.min_value:
            raise ValueError(
                _("Enter a number of at least %(low)s.") % {"low": plain_number(question.min_value)}
            )
        if question.max_value is not None and number > question.max_value:
            raise ValueError(
                _("Enter a number of at most %(high)s.")
                % {"high": plain_number(question.max_value)}
            )
        if number != number.quantize(Decimal("0.01")) or abs(number) >= Decimal("1e10"):
            raise ValueError(_("Enter a number with at most two decimal places."))
        return number
    text = str(value).strip()
    limit = SHORT_TEXT_MAX if kind == Question.Kind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        raise ValueError(_("Keep the answer to %(limit)d characters.") % {"limit": limit})
    return text or None


def answers_clean(questions, values: dict, *, final: bool):
    """Clean every answer against its question; on submission (`final`) required questions
    must be answered. Returns (cleaned, errors), both keyed by question id."""
    cleaned, errors = {}, {}
    for question in questions:
        try:
            cleaned[question.pk] = answer_clean(question, values.get(question.pk))
        except ValueError as error:
            errors[question.pk] = str(error)
            continue
        if final and question.required and cleaned[question.pk] is None:
            errors[question.pk] = _("This question needs an answer.")
    return cleaned, errors


def _response_locked(survey, retailer, user, now):
    """The retailer's response row, locked; created (as a draft) if there is none. Two
    concurrent first saves meet on the unique constraint: the loser reads the winner's row."""
    response = SurveyResponse.objects.select_for_update().filter(survey=survey, retailer=retailer)
    found = response.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                survey=survey, retailer=retailer, answered_by=user, started_at=now
            )
    except IntegrityError:
        return response.get()


def _write_answers(response, questions, cleaned):
    existing = {answer.question_id: answer for answer in response.answers.all()}
    for question in questions:
        value = cleaned.get(question.pk)
        answer = existing.get(question.pk)
        if value is None:
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            answer = Answer(response=response, question=question)
        answer.text = value if question.is_text else ""
        answer.number = value if isinstance(value, Decimal) else None
        answer.save()
        if question.has_choices:
            answer.choices.set(value)


def response_save(*, survey, retailer, user, values: dict, submit: bool, now=None):
    """Save the retailer's answers (question id → form value) as a draft, or submit them.

    Refuses (409) when the survey is not open or was already answered; raises AnswersInvalid
    when answers break their rules: invalid values save nothing; on a submission with
    required questions unanswered, the valid answers are kept as a draft (`saved`)."""
    now = now or timezone.now()
    if not survey.is_open(now):
        raise Refusal(_("This survey is not open for answers."), status=409)
    questions = list(survey.questions.prefetch_related("choices"))
    cleaned, errors = answers_clean(questions, values, final=submit)
    if any(pk not in cleaned for pk in errors):  # a value that breaks its question's rules
        raise AnswersInvalid(errors=errors, saved=False)
    with transaction.atomic():
        response = _response_locked(survey, retailer, user, now)
        if response.status == SurveyResponse.Status.SUBMITTED:
            raise Refusal(_("Your store has already answered this survey."), status=409)
        _write_answers(response, questions, cleaned)
        response.answered_by = user
        if submit and not errors:
            response.status = SurveyResponse.Status.SUBMITTED
            response.submitted_at = now
        response.save(update_fields=["answered_by", "status", "submitted_at"])
    if errors:
        raise AnswersInvalid(errors=errors, saved=True)
    return response
