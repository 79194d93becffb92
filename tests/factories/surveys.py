"""Factories of surveys (extranet/surveys)."""

from datetime import timedelta

import factory
from django.utils import timezone

from extranet.surveys.models import Choice, Question, Survey, SurveyTarget


class SurveyFactory(factory.django.DjangoModelFactory):
    """A published survey, open now, addressed to all retailers."""

    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"满意度调查{n}")
    introduction = "请花两分钟回答。"
    audience = Survey.Audience.ALL
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    is_published = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(int)
    kind = Question.Kind.SHORT_TEXT
    text = factory.Sequence(lambda n: f"问题{n}")
    required = True

    @factory.post_generation
    def labels(self, create, extracted, **kwargs):
        """QuestionFactory(kind="single", labels=["好", "一般", "差"])"""
        for index, label in enumerate(extracted or []):
            Choice.objects.create(question=self, position=index, label=label)


def selected_survey(**criteria):
    """A survey for selected retailers: selected_survey(grade=[2, 3], region=["西湖区"])."""
    survey = SurveyFactory(audience=Survey.Audience.SELECTED)
    for kind, values in criteria.items():
        for value in values:
            SurveyTarget.objects.create(survey=survey, **{kind: value})
    return survey
