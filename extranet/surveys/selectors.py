"""Reads of surveys: which surveys a retailer sees, the audience of a survey, and the results,
aggregated in the database."""

from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet.models import Retailer
from extranet.surveys.home_statements import own_states
from extranet.surveys.models import Answer, Question, Survey, SurveyResponse, SurveyTarget
from portal.generations import Generation

SUBMITTED = SurveyResponse.Status.SUBMITTED


# The kinds of audience criteria: which target rows are of the kind, and the retailer field
# that a row of the kind matches.
CRITERIA = {
    "grade": (Q(grade__isnull=False), "grade", "grade"),
    "region": (~Q(region=""), "region", "region"),
    "route": (Q(route__isnull=False), "route_id", "route_id"),
    "retailer": (Q(retailer__isnull=False), "retailer_id", "pk"),
}


def _addressed_to(retailer) -> Q:
    """Surveys whose audience includes `retailer`: all retailers, or chosen criteria that the
    retailer meets, each kind of criterion the survey has (grade, region, route, list)."""
    chosen = Q(audience=Survey.Audience.SELECTED)
    for kind, target_field, retailer_field in CRITERIA.values():
        rows = SurveyTarget.objects.filter(kind, survey_id=OuterRef("pk"))
        value = getattr(retailer, retailer_field)
        matching = rows.filter(**{target_field: value}) if value not in (None, "") else None
        chosen &= ~Exists(rows) | (Exists(matching) if matching is not None else Q(pk__in=[]))
    return Q(audience=Survey.Audience.ALL) | chosen


def _with_own_status(surveys, retailer):
    status = SurveyResponse.objects.filter(survey_id=OuterRef("pk"), retailer_id=retailer.pk)
    return surveys.annotate(own_status=Subquery(status.values("status")[:1]))


def surveys_for_retailer(*, retailer, now=None):
    """Published surveys addressed to the retailer and open now, with the retailer's own
    response status (None, "draft" or "submitted") as `own_status`."""
    now = now or timezone.now()
    surveys = Survey.objects.filter(
        _addressed_to(retailer), is_published=True, opens_at__lte=now, closes_at__gt=now
    )
    return _with_own_status(surveys, retailer).order_by("closes_at", "pk")


def surveys_addressed_to(*, retailer):
    """Published surveys addressed to the retailer, open or not (a closed one shows that it is
    closed), with the retailer's own response status as `own_status`. Any other survey is
    none of the retailer's business: its pages answer 404."""
    surveys = Survey.objects.filter(_addressed_to(retailer), is_published=True)
    return _with_own_status(surveys, retailer)


def survey_addressed_to(*, retailer, survey_id):
    """The survey `survey_id` if `surveys_addressed_to` lists it for the retailer (with
    `own_status`), None otherwise. One survey's audience is checked on its own criteria (one
    small query, for a chosen audience only), which costs less to build than the list's
    subqueries for every kind of criterion."""
    surveys = _with_own_status(Survey.objects.filter(is_published=True), retailer)
    survey = surveys.filter(pk=survey_id).first()
    if survey is None:
        return None
    criteria = audience_criteria(survey) if survey.audience == Survey.Audience.SELECTED else {}
    return survey if is_addressed_to(survey, criteria, retailer) else None


def questions_of(survey):
    return list(survey.questions.prefetch_related("choices"))


def kept_questions_of(survey):
    """`questions_of` from the cache, kept per survey until any survey or any question or
    choice changes (`SURVEYS_GENERATION`, `QUESTIONS_GENERATION`)."""
    surveys, questions = Generation.current_many(SURVEYS_GENERATION, QUESTIONS_GENERATION)
    key = f"extranet:surveys:question-list:{survey.pk}:{surveys}:{questions}"
    found = cache.get(key)
    if found is None:
        found = questions_of(survey)
        cache.set(key, found, OPEN_SURVEYS_TIMEOUT)
    return found


TARGET_FIELDS = ("grade", "region", "route_id", "retailer_id")


def _add_target(criteria: dict[str, set], grade, region, route_id, retailer_id) -> None:
    """One target row's criterion (the one field it sets) into `criteria` by kind."""
    for kind, value in (
        ("grade", grade),
        ("region", region),
        ("route", route_id),
        ("retailer", retailer_id),
    ):
        if value not in (None, ""):
            criteria.setdefault(kind, set()).add(value)


def audience_criteria(survey) -> dict[str, set]:
    """The survey's criteria by kind ("grade", "region", "route", "retailer"): value sets,
    kinds not chosen left out."""
    criteria = {}
    for row in survey.targets.values_list(*TARGET_FIELDS):
        _add_target(criteria, *row)
    return criteria


def audience_parts(survey) -> list[tuple[str, list[str]]]:
    """The survey's criteria for people to read: (kind, [values]) in a fixed order."""
    parts = {"grade": [], "region": [], "route": [], "retailer": []}
    for target in survey.targets.select_related("route", "retailer").order_by("pk"):
        if target.grade is not None:
            parts["grade"].append(str(target.grade))
        elif target.region:
            parts["region"].append(target.region)
        elif target.route_id:
            parts["route"].append(str(target.route))
        elif target.retailer_id:
            parts["retailer"].append(str(target.retailer))
    labels = {
        "grade": pgettext_lazy("survey", "Grades"),
        "region": _("Regions"),
        "route": pgettext_lazy("survey", "Delivery routes"),
        "retailer": pgettext_lazy("survey", "Retailers"),
    }
    return [(labels[kind], values) for kind, values in parts.items() if values]


def audience_retailers(survey):
    """The retailers a survey is addressed to, as one queryset."""
    retailers = Retailer.objects.all()
    if survey.audience == Survey.Audience.ALL:
        return retailers
    criteria = audience_criteria(survey)
    if not criteria:
        return retailers.none()
    for kind, values in criteria.items():
        retailers = retailers.filter(**{f"{CRITERIA[kind][2]}__in": values})
    return retailers


def surveys_for_staff():
    submitted = (
        SurveyResponse.objects.filter(survey_id=OuterRef("pk"), status=SUBMITTED)
        .order_by()
        .values("survey_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Survey.objects.annotate(
        submitted_count=Coalesce(Subquery(submitted, output_field=IntegerField()), Value(0)),
        question_count=Count("questions"),
    ).order_by("-opens_at", "-pk")


def _rate(responded, total):
    return round(100 * responded / total, 1) if total else None


def response_rates(survey):
    """Overall and by grade and region: audience size, submitted responses and the rate, in %.
    One aggregate query by region and grade, summed here: regions in the database's order,
    grades in number order."""
    answered = SurveyResponse.objects.filter(
        survey_id=survey.pk, retailer_id=OuterRef("pk"), status=SUBMITTED
    )
    counts = {"total": Count("pk"), "responded": Count("pk", filter=Q(Exists(answered)))}
    overall = {"total": 0, "responded": 0}
    by_grade, by_region = {}, {}
    for region, grade, total, responded in (
        audience_retailers(survey)
        .order_by()
        .values("region", "grade")
        .annotate(**counts)
        .order_by("region", "grade")
        .values_list("region", "grade", "total", "responded")
    ):
        for sums, field, key in ((by_region, "region", region), (by_grade, "grade", grade)):
            row = sums.setdefault(key, {field: key, "total": 0, "responded": 0, "key": key})
            row["total"] += total
            row["responded"] += responded
        overall["total"] += total
        overall["responded"] += responded

    def rows(sums):
        for row in sums:
            row["rate"] = _rate(row["responded"], row["total"])
        return sums

    overall["rate"] = _rate(overall["responded"], overall["total"])
    return {
        "overall": overall,
        "by_grade": rows([by_grade[grade] for grade in sorted(by_grade)]),
        "by_region": rows(list(by_region.values())),
    }


def question_results(survey, questions):
    """Per question the figures its chart shows, from two aggregate queries: the count of
    each choice, and per question the number of respondents who answered it with
    average/min/max of numbers, rating questions grouped by their rating (the count of each).
    Only submitted responses count."""
    choice_counts = dict(
        Answer.choices.through.objects.filter(
            answer__response__status=SUBMITTED, answer__question__survey_id=survey.pk
        )
        .order_by()
        .values_list("choice_id")
        .annotate(n=Count("pk"))
    )
    rating_ids = [question.pk for question in questions if question.kind == Question.Kind.RATING]
    rows = (
        Answer.objects.filter(response__status=SUBMITTED, question__survey_id=survey.pk)
        .order_by()
        .annotate(
            rating=Case(When(question_id__in=rating_ids, then="number"), default=None)
            if rating_ids
            else Value(None, output_field=DecimalField())
        )
        .values("question_id", "rating")
        .annotate(n=Count("pk"), average=Avg("number"), low=Min("number"), high=Max("number"))
    )
    ratings, stats = {}, {}
    for row in rows:
        question_id = row["question_id"]
        if row["rating"] is not None:
            ratings.setdefault(question_id, {})[int(row["rating"])] = row["n"]
        if question_id in stats:  # a rating question: one row per rating
            stats[question_id]["n"] += row["n"]
        else:
            stats[question_id] = row
    return question_result_items(questions, choice_counts, ratings, stats)


def question_result_items(questions, choice_counts, ratings, stats) -> list[dict]:
    """The per-question items of `question_results` from its tallies (choice counts by choice
    id, rating counts by question and value, number statistics by question); shared with
    `tallies.survey_tallies`, which reads the same tallies in one written-out statement."""
    results = []
    for question in questions:
        item = {"question": question, "count": stats.get(question.pk, {}).get("n", 0)}
        if question.has_choices:
            choices = list(question.choices.all())
            item["labels"] = [choice.label for choice in choices]
            item["data"] = [choice_counts.get(choice.pk, 0) for choice in choices]
            item["chart"] = "pie" if question.kind == Question.Kind.SINGLE else "bar"
            item["pairs"] = list(zip(item["labels"], item["data"], strict=True))
        elif question.kind == Question.Kind.RATING:
            item["labels"] = [str(value) for value in range(1, 6)]
            item["data"] = [ratings.get(question.pk, {}).get(value, 0) for value in range(1, 6)]
            item["chart"] = "bar"
            item["pairs"] = list(zip(item["labels"], item["data"], strict=True))
        elif question.kind == Question.Kind.NUMBER:
            item["stats"] = stats.get(question.pk)
        results.append(item)
    return results


def chart_data(results):
    """What the page's charts read (json_script)."""
    return [
        {
            "id": item["question"].pk,
            "type": item["chart"],
            "title": item["question"].text,
            "labels": item["labels"],
            "data": item["data"],
        }
        for item in results
        if "chart" in item
    ]


def text_answers(question):
    return (
        Answer.objects.filter(question=question, response__status=SUBMITTED)
        .exclude(text="")
        .select_related("response__retailer")
        .order_by("-response__submitted_at", "-pk")
    )


def submitted_responses(survey):
    return (
        SurveyResponse.objects.filter(survey=survey, status=SUBMITTED)
        .select_related("retailer")
        .prefetch_related("answers__choices")
        .order_by("submitted_at", "pk")
    )


# Published surveys not closed yet, with their audience criteria, are the same for every
# retailer: the extranet home reads them from the cache under this generation, which any change
# of a survey or of its audience bumps (extranet.surveys.signals), and decides in Python which
# are open now and addressed to the retailer.
SURVEYS_GENERATION = Generation("extranet:surveys:generation")
OPEN_SURVEYS_TIMEOUT = 3600
# The questions and choices of every survey: the blank answer forms kept as HTML
# (extranet.surveys.fragments) are forgotten when it is bumped.
QUESTIONS_GENERATION = Generation("extranet:surveys:questions:generation")


def surveys_open_or_coming() -> list[tuple[Survey, dict[str, set]]]:
    """Published surveys that have not closed yet (open now or opening later), in the order of
    `surveys_for_retailer`, each with its `audience_criteria`."""
    key = f"extranet:surveys:open-or-coming:{SURVEYS_GENERATION.current()}"
    found = cache.get(key)
    if found is not None:
        return found
    surveys = list(
        Survey.objects.filter(is_published=True, closes_at__gt=timezone.now()).order_by(
            "closes_at", "pk"
        )
    )
    criteria = {survey.pk: {} for survey in surveys}
    rows = SurveyTarget.objects.filter(survey_id__in=list(criteria)).values_list(
        "survey_id", *TARGET_FIELDS
    )
    for survey_id, *target in rows:
        _add_target(criteria[survey_id], *target)
    found = [(survey, criteria[survey.pk]) for survey in surveys]
    cache.set(key, found, OPEN_SURVEYS_TIMEOUT)
    return found


def open_surveys_for(*, retailer, now=None) -> list[Survey]:
    """`surveys_for_retailer` decided on the cached list of open surveys: the same surveys in
    the same order, with `own_status`, for one query (the retailer's own responses to them;
    none when no survey is open for it)."""
    now = now or timezone.now()
    surveys = [
        survey
        for survey, criteria in surveys_open_or_coming()
        if survey.opens_at <= now < survey.closes_at and is_addressed_to(survey, criteria, retailer)
    ]
    statuses = {}
    if surveys:
        statuses = dict(
            SurveyResponse.objects.filter(
                retailer_id=retailer.pk, survey_id__in=[survey.pk for survey in surveys]
            ).values_list("survey_id", "status")
        )
    for survey in surveys:
        survey.own_status = statuses.get(survey.pk)
    return surveys


def survey_and_states(*, retailer, survey_id):
    """(`survey_addressed_to` with `own_status`, whether the retailer's notice of it may be
    unseen). A survey still open or opening later is found in the cached list of open
    surveys, which leaves one statement: the retailer's response status and unseen notice
    (`home_statements.own_states`). Any other (closed, withdrawn, unknown) is read from the
    database as `survey_addressed_to` does; its notice is not looked up (True: it may be
    unseen)."""
    for survey, criteria in surveys_open_or_coming():
        if survey.pk == survey_id:
            if not is_addressed_to(survey, criteria, retailer):
                return None, False
            statuses, unseen = own_states(retailer_id=retailer.pk, survey_ids=[survey.pk])
            survey.own_status = statuses.get(survey.pk)
            return survey, survey.pk in unseen
    survey = survey_addressed_to(retailer=retailer, survey_id=survey_id)
    return survey, survey is not None


def own_response(*, retailer, survey):
    """The retailer's response to the survey, or None."""
    return SurveyResponse.objects.filter(survey_id=survey.pk, retailer_id=retailer.pk).first()


def is_addressed_to(survey, criteria: dict[str, set], retailer) -> bool:
    """`_addressed_to` for one survey and its criteria, in Python: all retailers, or each kind
    of criterion the survey has met by the retailer."""
    if survey.audience == Survey.Audience.ALL:
        return True
    if survey.audience != Survey.Audience.SELECTED:
        return False
    return all(getattr(retailer, CRITERIA[kind][2]) in values for kind, values in criteria.items())
