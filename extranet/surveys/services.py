"""Writes of surveys: building a survey (settings, audience, questions), publishing it, and a
retailer's response (draft, then submitted once).

The structure of a survey (its questions and choices) is locked once any response exists: the
structure edits lock the survey row and then check for responses, and inserting a response
takes a key-share lock on the same row (its foreign key), so the two never interleave.
"""

from dataclasses import dataclass, field
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
from portal.services import audit_record

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000


class SurveyRefused(Exception):
    """A change the rules do not allow; the message is shown as it is. Nothing was changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class AnswersInvalid(Exception):
    """Answers that break their questions' rules: question id → message. `saved` says whether
    the valid part was kept as a draft."""

    errors: dict = field(default_factory=dict)
    saved: bool = False


# Building -------------------------------------------------------------------------------------


def _check_dates(opens_at, closes_at):
    if closes_at <= opens_at:
        raise SurveyRefused(_("The survey must close after it opens."))


def _set_targets(survey, *, grades=(), regions=(), routes=(), retailers=()):
    survey.targets.all().delete()
    audience = survey.audience
    rows = []
    if audience == Survey.Audience.GRADES:
        rows = [SurveyTarget(survey=survey, grade=grade) for grade in sorted(set(grades))]
    elif audience == Survey.Audience.REGIONS:
        rows = [SurveyTarget(survey=survey, region=region) for region in sorted(set(regions))]
    elif audience == Survey.Audience.ROUTES:
        rows = [SurveyTarget(survey=survey, route=route) for route in routes]
    elif audience == Survey.Audience.RETAILERS:
        rows = [SurveyTarget(survey=survey, retailer=retailer) for retailer in retailers]
    if audience != Survey.Audience.ALL and not rows:
        raise SurveyRefused(_("Choose at least one member of the audience."))
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
            raise SurveyRefused(_("Add at least one question before publishing."))
        survey.is_published = publish
        survey.save(update_fields=["is_published"])
        action = "extranet.survey_publish" if publish else "extranet.survey_unpublish"
        audit_record(actor=actor, action=action, target=survey)
        _notices_queue_if_open(survey)
    return survey


# Notices to the retailers ---------------------------------------------------------------------


def _notices_queue_if_open(survey, now=None):
    """A survey that is open now gets its notices sent by the worker once this commits; one
    that opens later is picked up by the scheduled `survey_notices_due`."""
    if survey.is_open(now):
        from extranet.surveys.tasks import survey_notices_task

        survey_id = survey.pk
        transaction.on_commit(lambda: survey_notices_task.enqueue(survey_id=survey_id))


def _notice_mail(survey) -> tuple[str, str]:
    from django.conf import settings
    from django.urls import reverse

    path = reverse("shop:survey", args=[survey.pk], urlconf=settings.PORTAL_URLCONFS["extranet"])
    closes = timezone.localtime(survey.closes_at).strftime("%Y-%m-%d %H:%M")
    subject = _("New survey for your store: %(title)s") % {"title": survey.title}
    body = _(
        "A new survey is open for your store: %(title)s\n\n"
        "Please answer it by %(closes)s on the retailer service site:\n%(url)s"
    ) % {
        "title": survey.title,
        "closes": closes,
        "url": settings.EXTRANET_BASE_URL.rstrip("/") + path,
    }
    return subject, body


def survey_notices_send(*, survey_id: int, now=None) -> int:
    """Tell every retailer a published, open survey is addressed to that it is open: a notice
    on its extranet home and one mail to its logins with an address (sent by the task queue).
    Once per retailer and survey (a database constraint); the survey row is locked so that two
    runs never interleave. Returns the number of retailers notified by this run."""
    from collections import defaultdict

    from django.db.models import Exists, OuterRef

    from extranet.models import RetailerLogin
    from extranet.surveys.models import SurveyNotice
    from extranet.surveys.selectors import audience_retailers
    from portal.tasks import email_send

    now = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
        if survey is None or not survey.is_open(now):
            return 0
        pending = audience_retailers(survey).exclude(
            Exists(SurveyNotice.objects.filter(survey_id=survey.pk, retailer_id=OuterRef("pk")))
        )
        ids = list(pending.order_by("pk").values_list("pk", flat=True))
        addresses = defaultdict(set)
        logins = (
            RetailerLogin.objects.filter(retailer__in=pending, user__is_active=True)
            .exclude(user__email="")
            .values_list("retailer_id", "user__email")
        )
        for retailer_id, email in logins:
            addresses[retailer_id].add(email)
        SurveyNotice.objects.bulk_create(
            [
                SurveyNotice(
                    survey=survey,
                    retailer_id=pk,
                    created_at=now,
                    emailed_to=len(addresses.get(pk, ())),
                )
                for pk in ids
            ],
            batch_size=2000,
        )
        survey.notified_at = now
        survey.save(update_fields=["notified_at"])
        subject, body = _notice_mail(survey)
        mails = [sorted(addresses[pk]) for pk in ids if addresses.get(pk)]

        def enqueue():
            for to in mails:
                email_send.enqueue(subject=subject, body=body, to=to)

        transaction.on_commit(enqueue)
    return len(ids)


def survey_notice_seen(*, survey, retailer, now=None) -> None:
    """The retailer opened the survey: its notice on the extranet home has done its work."""
    from extranet.surveys.models import SurveyNotice

    SurveyNotice.objects.filter(
        survey_id=survey.pk, retailer_id=retailer.pk, seen_at__isnull=True
    ).update(seen_at=now or timezone.now())


# The retailer fields that decide the surveys of each audience kind.
AUDIENCE_FIELDS = {
    "grade": Survey.Audience.GRADES,
    "region": Survey.Audience.REGIONS,
    "route": Survey.Audience.ROUTES,
}


def survey_audiences_changed(*, fields, now=None) -> int:
    """Retailers moved between grades, regions or routes (`fields` names what changed): the
    published surveys still open that address such a group are handed back to the scheduled
    job, which notifies the retailers who joined their audience (and nobody twice). Returns the
    number of surveys."""
    kinds = {AUDIENCE_FIELDS[name] for name in fields if name in AUDIENCE_FIELDS}
    if not kinds:
        return 0
    now = now or timezone.now()
    return Survey.objects.filter(
        is_published=True, closes_at__gt=now, audience__in=kinds, notified_at__isnull=False
    ).update(notified_at=None)


def survey_notices_due(*, now=None) -> int:
    """The scheduled job: notify the audiences of published surveys that are open and have not
    been notified (opened since the last run, or whose audience changed). Returns the number
    of surveys."""
    now = now or timezone.now()
    due = list(
        Survey.objects.filter(
            is_published=True, opens_at__lte=now, closes_at__gt=now, notified_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for survey_id in due:
        survey_notices_send(survey_id=survey_id, now=now)
    return len(due)


def structure_locked(survey) -> bool:
    return SurveyResponse.objects.filter(survey_id=survey.pk).exists()


def _lock_structure(survey):
    """Lock the survey row, then refuse if any response exists."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if structure_locked(survey):
        raise SurveyRefused(
            _(
                "Retailers have started answering this survey, so its questions can no "
                "longer be changed. Create a new survey to ask different questions."
            )
        )
    return survey


def _check_question(kind, *, choices, max_choices, min_value, max_value):
    if kind in Question.CHOICE_KINDS and len(choices) < 2:
        raise SurveyRefused(_("A choice question needs at least two choices."))
    if len(set(choices)) != len(choices):
        raise SurveyRefused(_("The choices must differ from each other."))
    if kind == Question.Kind.MULTIPLE and max_choices and max_choices > len(choices):
        raise SurveyRefused(_("The maximum number of choices is larger than the choices."))
    if kind == Question.Kind.NUMBER and None not in (min_value, max_value):
        if min_value > max_value:
            raise SurveyRefused(_("The smallest number is larger than the largest."))


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
    _check_question(
        kind, choices=choices, max_choices=max_choices, min_value=min_value, max_value=max_value
    )
    with transaction.atomic():
        survey = _lock_structure(survey)
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
    _check_question(
        kind, choices=choices, max_choices=max_choices, min_value=min_value, max_value=max_value
    )
    with transaction.atomic():
        survey = _lock_structure(question.survey)
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

    Raises SurveyRefused when the survey is not open or was already answered, AnswersInvalid
    when answers break their rules: invalid values save nothing; on a submission with
    required questions unanswered, the valid answers are kept as a draft (`saved`)."""
    now = now or timezone.now()
    if not survey.is_open(now):
        raise SurveyRefused(_("This survey is not open for answers."))
    questions = list(survey.questions.prefetch_related("choices"))
    cleaned, errors = answers_clean(questions, values, final=submit)
    if any(pk not in cleaned for pk in errors):  # a value that breaks its question's rules
        raise AnswersInvalid(errors=errors, saved=False)
    with transaction.atomic():
        response = _response_locked(survey, retailer, user, now)
        if response.status == SurveyResponse.Status.SUBMITTED:
            raise SurveyRefused(_("Your store has already answered this survey."))
        _write_answers(response, questions, cleaned)
        response.answered_by = user
        if submit and not errors:
            response.status = SurveyResponse.Status.SUBMITTED
            response.submitted_at = now
        response.save(update_fields=["answered_by", "status", "submitted_at"])
    if errors:
        raise AnswersInvalid(errors=errors, saved=True)
    return response
