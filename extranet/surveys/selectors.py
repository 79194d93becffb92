"""Reads of surveys: which surveys a retailer sees, the audience of a survey, and the results,
aggregated in the database."""

from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from extranet.models import Retailer
from extranet.surveys.models import Answer, Choice, Question, Survey, SurveyResponse, SurveyTarget

SUBMITTED = SurveyResponse.Status.SUBMITTED


def _addressed_to(retailer) -> Q:
    """Surveys whose audience includes `retailer`."""
    member = Q(retailer_id=retailer.pk) | Q(grade=retailer.grade)
    if retailer.region:
        member |= Q(region=retailer.region)
    if retailer.route_id:
        member |= Q(route_id=retailer.route_id)
    targets = SurveyTarget.objects.filter(member, survey_id=OuterRef("pk"))
    return Q(audience=Survey.Audience.ALL) | (~Q(audience=Survey.Audience.ALL) & Exists(targets))


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


def response_of(*, survey, retailer):
    return (
        SurveyResponse.objects.filter(survey=survey, retailer=retailer)
        .prefetch_related("answers__choices")
        .first()
    )


def questions_of(survey):
    return list(survey.questions.prefetch_related("choices"))


def audience_retailers(survey):
    """The retailers a survey is addressed to, as one queryset."""
    retailers = Retailer.objects.all()
    targets = SurveyTarget.objects.filter(survey_id=survey.pk)
    match survey.audience:
        case Survey.Audience.GRADES:
            return retailers.filter(Exists(targets.filter(grade=OuterRef("grade"))))
        case Survey.Audience.REGIONS:
            return retailers.filter(Exists(targets.filter(region=OuterRef("region"))))
        case Survey.Audience.ROUTES:
            return retailers.filter(Exists(targets.filter(route_id=OuterRef("route_id"))))
        case Survey.Audience.RETAILERS:
            return retailers.filter(Exists(targets.filter(retailer_id=OuterRef("pk"))))
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
    Three aggregate queries."""
    answered = SurveyResponse.objects.filter(
        survey_id=survey.pk, retailer_id=OuterRef("pk"), status=SUBMITTED
    )
    retailers = audience_retailers(survey).order_by()
    counts = {"total": Count("pk"), "responded": Count("pk", filter=Q(Exists(answered)))}

    def rows(field):
        result = []
        for row in retailers.values(field).annotate(**counts).order_by(field):
            result.append({**row, "key": row[field], "rate": _rate(row["responded"], row["total"])})
        return result

    overall = retailers.aggregate(**counts)
    overall["rate"] = _rate(overall["responded"], overall["total"])
    return {"overall": overall, "by_grade": rows("grade"), "by_region": rows("region")}


def question_results(survey, questions):
    """Per question the figures its chart shows, from three aggregate queries: the count of
    each choice, the count of each rating, and per question the number of respondents who
    answered it with average/min/max of numbers. Only submitted responses count."""
    submitted = Q(response__status=SUBMITTED)
    choice_counts = dict(
        Choice.objects.filter(question__survey_id=survey.pk)
        .annotate(n=Count("answers", filter=Q(answers__response__status=SUBMITTED)))
        .values_list("pk", "n")
    )
    answers = Answer.objects.filter(submitted, question__survey_id=survey.pk).order_by()
    ratings = {}
    for question_id, number, n in (
        answers.filter(question__kind=Question.Kind.RATING)
        .values_list("question_id", "number")
        .annotate(n=Count("pk"))
    ):
        ratings.setdefault(question_id, {})[int(number)] = n
    stats = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            n=Count("pk"), average=Avg("number"), low=Min("number"), high=Max("number")
        )
    }
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
