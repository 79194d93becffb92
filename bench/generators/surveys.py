"""Surveys: one open survey for all retailers (id SURVEY_ID, six questions of every kind) that
half of the retailers without a login have answered, so that its results aggregate real
volumes; the retailers with logins (the bench's clients) have not answered and see its form.
Plus a handful of closed past surveys for the lists."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bench.generators import generator
from extranet.models import Retailer
from extranet.surveys.models import Answer, Choice, Question, Survey, SurveyResponse

SURVEY_ID = 900_000
PAST_SURVEYS = 12
BATCH = 2000
PREFIX = "[bench] "

QUESTIONS = [
    ("single", "新品口味如何？", ["很好", "较好", "一般", "较差"]),
    ("multiple", "您店里最畅销的品牌（最多选两个）", ["利群", "中华", "玉溪", "黄鹤楼", "芙蓉王"]),
    ("rating", "对配送服务的满意度", []),
    ("number", "每周平均客流（人）", []),
    ("short_text", "您所在商圈的特点", []),
    ("long_text", "其他意见和建议", []),
]


def _survey(pk, title, opens_at, closes_at):
    survey, created = Survey.objects.get_or_create(
        pk=pk,
        defaults={
            "title": f"{PREFIX}{title}",
            "introduction": "请花两分钟回答以下问题。",
            "opens_at": opens_at,
            "closes_at": closes_at,
            "is_published": True,
        },
    )
    if created:
        for position, (kind, text, labels) in enumerate(QUESTIONS):
            question = Question.objects.create(
                survey=survey,
                position=position,
                kind=kind,
                text=text,
                required=kind not in ("short_text", "long_text"),
                max_choices=2 if kind == "multiple" else None,
                min_value=Decimal("0") if kind == "number" else None,
                max_value=Decimal("5000") if kind == "number" else None,
            )
            Choice.objects.bulk_create(
                Choice(question=question, position=index, label=label)
                for index, label in enumerate(labels)
            )
    return survey


@generator("surveys")
def surveys(scale, rng):
    now = timezone.now()
    survey = _survey(
        SURVEY_ID, "门店经营情况调查", now - timedelta(days=3), now + timedelta(days=365)
    )
    for number in range(PAST_SURVEYS):
        opens = now - timedelta(days=30 * (number + 1))
        _survey(SURVEY_ID + 1 + number, f"往期调查 {number + 1}", opens, opens + timedelta(days=14))
    wanted = scale.retailers // 2
    done = SurveyResponse.objects.filter(survey=survey).count()
    if done >= wanted:
        return
    questions = {question.kind: question for question in survey.questions.all()}
    choices = {
        kind: list(questions[kind].choices.values_list("pk", flat=True))
        for kind in ("single", "multiple")
    }
    answered = SurveyResponse.objects.filter(survey=survey).values("retailer_id")
    retailers = list(
        Retailer.objects.filter(logins__isnull=True)
        .exclude(pk__in=answered)
        .order_by("pk")
        .values_list("pk", flat=True)[: wanted - done]
    )
    through = Answer.choices.through
    for start in range(0, len(retailers), BATCH):
        with transaction.atomic():
            responses = SurveyResponse.objects.bulk_create(
                SurveyResponse(
                    survey=survey,
                    retailer_id=retailer_id,
                    status="submitted",
                    started_at=now - timedelta(days=2),
                    submitted_at=now - timedelta(minutes=rng.randrange(3 * 24 * 60)),
                )
                for retailer_id in retailers[start : start + BATCH]
            )
            answers, ticks = [], []
            for response in responses:
                for kind, question in questions.items():
                    answer = Answer(response=response, question=question)
                    if kind == "rating":
                        answer.number = Decimal(rng.choices(range(1, 6), [1, 2, 5, 9, 6])[0])
                    elif kind == "number":
                        answer.number = Decimal(rng.randrange(20, 800))
                    elif kind == "short_text":
                        answer.text = rng.choice(["学校旁", "社区", "商业街", "车站附近"])
                    elif kind == "long_text":
                        if rng.random() > 0.3:
                            continue
                        answer.text = f"{PREFIX}建议 {response.retailer_id}"
                    answers.append(answer)
            Answer.objects.bulk_create(answers)
            for answer in answers:
                kind = answer.question.kind
                if kind == "single":
                    ticks.append(through(answer_id=answer.pk, choice_id=rng.choice(choices[kind])))
                elif kind == "multiple":
                    for choice_id in rng.sample(choices[kind], rng.randrange(1, 3)):
                        ticks.append(through(answer_id=answer.pk, choice_id=choice_id))
            through.objects.bulk_create(ticks)
