"""The retailers' survey pages decide on the cached list of open surveys: the list and one
survey's page answer exactly what the database's audience queries answer. The blank answer
form is kept as HTML per survey and language: it is what Django's form renders, it never holds
a retailer's answers, and it is forgotten when the survey's questions change."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from extranet.surveys import fragments, selectors
from extranet.surveys.forms import AnswersForm
from extranet.surveys.models import Choice, Question, Survey, SurveyNotice, SurveyResponse
from extranet.surveys.services import question_add, question_update
from tests.factories.extranet import DeliveryRouteFactory
from tests.factories.people import RetailerFactory, RetailerLoginFactory
from tests.factories.surveys import QuestionFactory, SurveyFactory, selected_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def retailers_and_surveys():
    route, other_route = DeliveryRouteFactory(), DeliveryRouteFactory()
    retailers = [
        RetailerFactory(grade=2, region="西湖区", route=route),
        RetailerFactory(grade=5, region="西湖区", route=other_route),
        RetailerFactory(grade=2, region="上城区", route=None),
        RetailerFactory(grade=3, region="", route=route),
    ]
    now = timezone.now()
    surveys = [
        SurveyFactory(audience=Survey.Audience.ALL, closes_at=now + timedelta(days=3)),
        SurveyFactory(audience=Survey.Audience.ALL, is_published=False),
        SurveyFactory(opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1)),
        SurveyFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2)),
        selected_survey(),
        selected_survey(grade=[1, 2, 3]),
        selected_survey(grade=[1, 2, 3], region=["西湖区"]),
        selected_survey(region=["上城区"]),
        selected_survey(route=[route]),
        selected_survey(retailer=[retailers[1]]),
        selected_survey(grade=[5], retailer=[retailers[1], retailers[2]]),
    ]
    SurveyResponse.objects.create(survey=surveys[0], retailer=retailers[0], status="draft")
    SurveyResponse.objects.create(
        survey=surveys[5], retailer=retailers[0], status="submitted", submitted_at=now
    )
    return retailers, surveys


def test_the_list_is_what_the_audience_query_lists(retailers_and_surveys):
    retailers, _surveys = retailers_and_surveys
    for retailer in retailers:
        expected = [
            (survey.pk, survey.own_status)
            for survey in selectors.surveys_for_retailer(retailer=retailer)
        ]
        listed = [
            (survey.pk, survey.own_status)
            for survey in selectors.open_surveys_for(retailer=retailer)
        ]
        assert listed == expected, retailer


def test_one_survey_and_its_states_as_the_database_answers(retailers_and_surveys):
    retailers, surveys = retailers_and_surveys
    # Some notices, one of them seen: the page marks an unseen one seen, and only then.
    SurveyNotice.objects.create(survey=surveys[0], retailer=retailers[0])
    SurveyNotice.objects.create(survey=surveys[1], retailer=retailers[0], seen_at=timezone.now())
    SurveyNotice.objects.create(survey=surveys[0], retailer=retailers[1])
    for retailer in retailers:
        for survey in surveys:
            expected = selectors.survey_addressed_to(retailer=retailer, survey_id=survey.pk)
            found, unseen = selectors.survey_and_states(retailer=retailer, survey_id=survey.pk)
            assert (found is None) == (expected is None), (retailer, survey)
            if found is not None:
                assert found.own_status == expected.own_status
                notice = SurveyNotice.objects.filter(
                    survey=survey, retailer=retailer, seen_at__isnull=True
                )
                if found.is_open():
                    assert unseen == notice.exists(), (retailer, survey)
                else:
                    assert unseen or not notice.exists()
                assert (
                    selectors.own_response(retailer=retailer, survey=found)
                    == SurveyResponse.objects.filter(survey=survey, retailer=retailer).first()
                )
    assert selectors.survey_and_states(retailer=retailers[0], survey_id=0) == (None, False)


def test_a_withdrawn_survey_leaves_the_list_at_once(retailers_and_surveys):
    retailers, surveys = retailers_and_surveys
    assert surveys[0].pk in {s.pk for s in selectors.open_surveys_for(retailer=retailers[0])}
    surveys[0].is_published = False
    surveys[0].save()
    assert surveys[0].pk not in {s.pk for s in selectors.open_surveys_for(retailer=retailers[0])}
    found, _unseen = selectors.survey_and_states(retailer=retailers[0], survey_id=surveys[0].pk)
    assert found is None


@pytest.fixture
def shop(client, extranet):
    login = RetailerLoginFactory()
    client.force_login(login.user)
    return client


def test_the_kept_form_is_the_rendered_form_and_escapes_question_text(shop):
    survey = SurveyFactory()
    QuestionFactory(survey=survey, kind="single", text="<b>好?</b> & 坏", labels=["<i>a</i>", "b"])
    QuestionFactory(survey=survey, kind="multiple", labels=["x", "y", "z"], max_choices=2)
    QuestionFactory(survey=survey, kind="number", help_text='"数" <br>', min_value=1)
    url = reverse("shop:survey", args=[survey.pk])
    first = shop.get(url).content.decode()  # renders and keeps
    kept = shop.get(url).content.decode()  # reads the kept HTML
    fresh = str(fragments.questions_html(AnswersForm(selectors.questions_of(survey))))
    assert fresh.count("<fieldset") == 3
    assert fresh in first and fresh in kept
    assert "&lt;b&gt;好?&lt;/b&gt; &amp; 坏" in kept and "<b>好?" not in kept
    assert "&lt;i&gt;a&lt;/i&gt;" in kept and "<i>a</i>" not in kept
    assert "&quot;数&quot; &lt;br&gt;" in kept


def test_the_kept_form_is_kept_per_language(shop):
    survey = SurveyFactory()
    QuestionFactory(survey=survey, kind="multiple", labels=["x", "y", "z"], max_choices=2)
    url = reverse("shop:survey", args=[survey.pk])
    shop.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = shop.get(url).content.decode()
    shop.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = shop.get(url).content.decode()
    assert "Choose at most 2." in english
    assert "Choose at most 2." not in chinese


def test_the_kept_form_never_holds_a_retailers_draft(client, extranet):
    survey = SurveyFactory()
    question = QuestionFactory(survey=survey, kind="short_text")
    url = reverse("shop:survey", args=[survey.pk])
    drafting, other = RetailerLoginFactory(), RetailerLoginFactory()
    client.force_login(other.user)
    client.get(url)  # keeps the blank form
    client.force_login(drafting.user)
    client.post(url, {f"q{question.pk}": "我的草稿", "draft": "1"})
    assert "我的草稿" in client.get(url).content.decode()
    client.force_login(other.user)
    assert "我的草稿" not in client.get(url).content.decode()


def test_the_kept_form_is_forgotten_when_questions_change(shop, settings):
    survey = SurveyFactory()
    question = QuestionFactory(survey=survey, kind="single", text="旧问题", labels=["甲", "乙"])
    url = reverse("shop:survey", args=[survey.pk])
    assert "旧问题" in shop.get(url).content.decode()

    question_update(
        question=question, actor=None, kind="single", text="新问题", choices=["丙", "丁"]
    )
    page = shop.get(url).content.decode()
    assert "新问题" in page and "丙" in page and "甲" not in page

    question_add(survey=survey, actor=None, kind="rating", text="打分")
    assert "打分" in shop.get(url).content.decode()

    # Saved outside the services: the signals forget the kept form.
    Question.objects.filter(survey=survey, kind="rating").get().delete()
    assert "打分" not in shop.get(url).content.decode()
    choice = Choice.objects.get(label="丁")
    choice.label = "戊"
    choice.save()
    assert "戊" in shop.get(url).content.decode()

    # A cleared cache keeps nothing stale either.
    cache.clear()
    assert "戊" in shop.get(url).content.decode()
