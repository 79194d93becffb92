"""Surveys: building (and the structure lock once answers exist), audience targeting, the
one-response rule with drafts, answer validation for each question kind, the results' figures
against hand-computed expectations, the Excel export, and query counts."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from extranet.models import Retailer
from extranet.surveys import selectors
from extranet.surveys.models import Answer, Question, Survey, SurveyResponse, SurveyTarget
from extranet.surveys.services import (
    answer_clean,
    question_add,
    question_delete,
    question_move,
    question_update,
    response_save,
    survey_create,
    survey_publish,
)
from portal.refusals import Refusal
from tests.conftest import make_role_user
from tests.factories.extranet import DeliveryRouteFactory
from tests.factories.people import RetailerFactory, RetailerLoginFactory
from tests.factories.surveys import QuestionFactory, SurveyFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def login():
    return RetailerLoginFactory(retailer=RetailerFactory(grade=3, region="西湖区"))


@pytest.fixture
def shop(client, extranet, login):
    client.force_login(login.user)
    return client


@pytest.fixture
def admin_client(client, intranet):
    client.force_login(make_role_user("sales_administrator"))
    return client


def full_survey(**kwargs):
    survey = SurveyFactory(**kwargs)
    questions = {
        "single": QuestionFactory(survey=survey, kind="single", labels=["好", "一般", "差"]),
        "multiple": QuestionFactory(
            survey=survey, kind="multiple", labels=["利群", "中华", "玉溪"], max_choices=2
        ),
        "rating": QuestionFactory(survey=survey, kind="rating"),
        "number": QuestionFactory(
            survey=survey, kind="number", min_value=Decimal("0"), max_value=Decimal("100")
        ),
        "short_text": QuestionFactory(survey=survey, kind="short_text", required=False),
        "long_text": QuestionFactory(survey=survey, kind="long_text", required=False),
    }
    return survey, questions


def choice(question, label):
    return question.choices.get(label=label).pk


def complete_values(q):
    return {
        q["single"].pk: str(choice(q["single"], "好")),
        q["multiple"].pk: [str(choice(q["multiple"], "利群"))],
        q["rating"].pk: "4",
        q["number"].pk: "12.5",
        q["short_text"].pk: "",
        q["long_text"].pk: "希望增加配送次数",
    }


def form_data(q, values=None, action="submit"):
    data = {f"q{pk}": value for pk, value in (values or complete_values(q)).items()}
    data[action] = "1"
    return data


# One response per retailer, drafts ----------------------------------------------------------


def test_retailer_answers_once_and_sees_the_thank_you_page(shop, login):
    survey, q = full_survey()
    url = reverse("shop:survey", args=[survey.pk])
    response = shop.post(url, form_data(q))
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:survey_thanks", args=[survey.pk])
    saved = SurveyResponse.objects.get()
    assert saved.status == "submitted" and saved.retailer == login.retailer
    assert shop.get(response["Location"]).status_code == 200

    again = shop.post(url, form_data(q, {**complete_values(q), q["rating"].pk: "1"}))
    assert again["Location"] == reverse("shop:survey_thanks", args=[survey.pk])
    assert Answer.objects.get(question=q["rating"]).number == 4
    with pytest.raises(Refusal):
        response_save(
            survey=survey,
            retailer=login.retailer,
            user=login.user,
            values=complete_values(q),
            submit=True,
        )


def test_the_database_allows_one_response_per_survey_and_retailer(login):
    survey = SurveyFactory()
    SurveyResponse.objects.create(
        survey=survey, retailer=login.retailer, status="submitted", submitted_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, retailer=login.retailer)


def test_a_draft_is_kept_and_finished_later(shop, login):
    survey, q = full_survey()
    url = reverse("shop:survey", args=[survey.pk])
    partial = {q["single"].pk: str(choice(q["single"], "差")), q["long_text"].pk: "下次再说"}
    response = shop.post(url, form_data(q, partial, action="draft"))
    assert response["Location"] == url
    draft = SurveyResponse.objects.get()
    assert draft.status == "draft" and draft.submitted_at is None
    page = shop.get(url)
    assert page.status_code == 200
    assert "下次再说" in page.content.decode()
    assert page.context["form"].initial[f"q{q['single'].pk}"] == choice(q["single"], "差")

    finished = shop.post(url, form_data(q))
    assert finished.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert SurveyResponse.objects.count() == 1
    assert list(
        Answer.objects.get(question=q["single"]).choices.values_list("label", flat=True)
    ) == ["好"]


def test_submitting_with_required_questions_unanswered_keeps_a_draft(shop):
    survey, q = full_survey()
    values = {**complete_values(q), q["rating"].pk: ""}
    response = shop.post(reverse("shop:survey", args=[survey.pk]), form_data(q, values))
    assert response.status_code == 400
    assert "This question needs an answer." in response.content.decode()
    draft = SurveyResponse.objects.get()
    assert draft.status == "draft"
    assert Answer.objects.filter(response=draft).count() == 4
    assert "saved as a draft" in response.content.decode()


def test_a_closed_survey_takes_no_answers(shop):
    survey, q = full_survey(closes_at=timezone.now() - timedelta(minutes=1))
    url = reverse("shop:survey", args=[survey.pk])
    assert shop.get(url).status_code == 200
    assert shop.post(url, form_data(q)).status_code == 409
    assert not SurveyResponse.objects.exists()


# Answer validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("single", "999999", "Choose one of the listed answers."),
        ("single", "abc", "Choose one of the listed answers."),
        ("multiple", ["999999"], "Choose among the listed answers."),
        ("multiple", "TOO_MANY", "Choose at most 2 answers."),
        ("rating", "6", "Give a rating from 1 to 5."),
        ("rating", "0", "Give a rating from 1 to 5."),
        ("rating", "2.5", "Give a rating from 1 to 5."),
        ("number", "-1", "Enter a number of at least 0."),
        ("number", "100.01", "Enter a number of at most 100."),
        ("number", "十二", "Enter a number."),
        ("number", "NaN", "Enter a number."),
        ("number", "1.234", "Enter a number with at most two decimal places."),
        ("short_text", "字" * 201, "Keep the answer to 200 characters."),
        ("long_text", "字" * 4001, "Keep the answer to 4000 characters."),
    ],
)
def test_answers_break_their_questions_rules(kind, value, message):
    survey, q = full_survey()
    question = q[kind]
    if value == "TOO_MANY":
        value = [str(c.pk) for c in question.choices.all()]
    with pytest.raises(ValueError, match=message):
        answer_clean(question, value)


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("rating", "5", Decimal("5")),
        ("number", "0", Decimal("0")),
        ("number", "100", Decimal("100")),
        ("short_text", "  好  ", "好"),
        ("long_text", "", None),
    ],
)
def test_answers_within_the_rules(kind, value, stored):
    survey, q = full_survey()
    assert answer_clean(q[kind], value) == stored


def test_a_bad_answer_is_a_400_with_its_message_and_the_draft_is_kept(shop, login):
    survey, q = full_survey()
    url = reverse("shop:survey", args=[survey.pk])
    shop.post(url, form_data(q, {q["long_text"].pk: "草稿内容"}, action="draft"))
    bad = {**complete_values(q), q["number"].pk: "250", q["long_text"].pk: "改过的"}
    response = shop.post(url, form_data(q, bad))
    assert response.status_code == 400
    assert "Enter a number of at most 100." in response.content.decode()
    draft = SurveyResponse.objects.get()
    assert draft.status == "draft"
    assert Answer.objects.get(response=draft).text == "草稿内容"
    # Too many choices through the page too.
    too_many = {
        **complete_values(q),
        q["multiple"].pk: [str(c.pk) for c in q["multiple"].choices.all()],
    }
    response = shop.post(url, form_data(q, too_many))
    assert response.status_code == 400
    assert "Choose at most 2 answers." in response.content.decode()


# Audience ---------------------------------------------------------------------------------


def _target(survey, **member):
    survey.audience = Survey.Audience.SELECTED
    survey.save()
    SurveyTarget.objects.create(survey=survey, **member)


@pytest.mark.parametrize("kind", ["grade", "region", "route", "retailer"])
def test_audience_targeting(kind, shop, login):
    route = DeliveryRouteFactory()
    mine = login.retailer
    mine.route = route
    mine.save()
    other_route = DeliveryRouteFactory()
    inside, outside = SurveyFactory(), SurveyFactory()
    member = {"grade": 3, "region": "西湖区", "route": route, "retailer": mine}[kind]
    stranger = {
        "grade": 5,
        "region": "上城区",
        "route": other_route,
        "retailer": RetailerFactory(grade=3, region="西湖区"),
    }[kind]
    _target(inside, **{kind: member})
    _target(outside, **{kind: stranger})
    listed = {survey.pk for survey in selectors.surveys_for_retailer(retailer=mine)}
    assert listed == {inside.pk}
    assert shop.get(reverse("shop:survey", args=[inside.pk])).status_code == 200
    assert shop.get(reverse("shop:survey", args=[outside.pk])).status_code == 404
    assert shop.post(reverse("shop:survey", args=[outside.pk]), {"submit": "1"}).status_code == 404
    assert set(selectors.audience_retailers(inside)) >= {mine}
    assert mine not in set(selectors.audience_retailers(outside))


def test_audience_criteria_combine_grades_one_to_three_in_one_region(shop, login):
    """ "Grades 1–3 in 西湖区": a store must match a grade AND the region."""
    mine = login.retailer
    Retailer.objects.filter(pk=mine.pk).update(grade=2, region="西湖区")
    mine.refresh_from_db()
    survey = SurveyFactory()
    for grade in (1, 2, 3):
        _target(survey, grade=grade)
    _target(survey, region="西湖区")
    same_grade_elsewhere = RetailerFactory(grade=2, region="上城区")
    same_region_lower_grade = RetailerFactory(grade=5, region="西湖区")
    another_inside = RetailerFactory(grade=3, region="西湖区")
    assert set(selectors.audience_retailers(survey)) == {mine, another_inside}
    assert [s.pk for s in selectors.surveys_for_retailer(retailer=mine)] == [survey.pk]
    for stranger in (same_grade_elsewhere, same_region_lower_grade):
        assert not selectors.surveys_for_retailer(retailer=stranger).exists()
    # A store without a region never meets a region criterion.
    no_region = RetailerFactory(grade=1, region="")
    assert not selectors.surveys_for_retailer(retailer=no_region).exists()
    assert survey.pk not in {
        s.pk for s in selectors.surveys_addressed_to(retailer=same_grade_elsewhere)
    }


def test_the_staff_form_saves_combined_criteria_and_needs_at_least_one(admin_client):
    now = timezone.localtime()
    RetailerFactory(region="西湖区")
    form = {
        "title": "新品试销反馈",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "audience": "selected",
    }
    refused = admin_client.post(reverse("sales:survey_new"), form)
    assert refused.status_code == 400
    assert "Choose at least one criterion of the audience." in refused.content.decode()
    assert not Survey.objects.exists()
    response = admin_client.post(
        reverse("sales:survey_new"), {**form, "grades": ["1", "2", "3"], "regions": ["西湖区"]}
    )
    survey = Survey.objects.get()
    assert response["Location"] == reverse("sales:survey", args=[survey.pk])
    assert selectors.audience_criteria(survey) == {"grade": {1, 2, 3}, "region": {"西湖区"}}
    page = admin_client.get(response["Location"]).content.decode()
    assert "1, 2, 3" in page and "西湖区" in page


def test_unpublished_and_not_yet_open_surveys_are_not_listed(shop, login):
    hidden = SurveyFactory(is_published=False)
    later = SurveyFactory(opens_at=timezone.now() + timedelta(days=1))
    shown = SurveyFactory()
    listed = {survey.pk for survey in selectors.surveys_for_retailer(retailer=login.retailer)}
    assert listed == {shown.pk}
    assert shop.get(reverse("shop:survey", args=[hidden.pk])).status_code == 404
    assert later.pk not in listed


def test_the_extranet_home_shows_open_surveys_not_yet_submitted(shop, login):
    waiting = SurveyFactory(title="门店经营情况调查")
    done = SurveyFactory(title="已经答过的调查")
    SurveyResponse.objects.create(
        survey=done, retailer=login.retailer, status="submitted", submitted_at=timezone.now()
    )
    page = shop.get("/").content.decode()
    assert waiting.title in page
    assert reverse("shop:survey", args=[waiting.pk]) in page
    assert done.title not in page


# Building and the structure lock ----------------------------------------------------------


def test_an_administrator_builds_and_publishes_a_survey(admin_client):
    route = DeliveryRouteFactory()
    now = timezone.localtime()
    response = admin_client.post(
        reverse("sales:survey_new"),
        {
            "title": "新品试销反馈",
            "introduction": "谢谢",
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "audience": "selected",
            "routes": [route.pk],
        },
    )
    survey = Survey.objects.get()
    assert response["Location"] == reverse("sales:survey", args=[survey.pk])
    assert list(survey.targets.values_list("route", flat=True)) == [route.pk]
    refused = admin_client.post(reverse("sales:survey_publish", args=[survey.pk]), {"publish": "1"})
    assert refused.status_code == 302
    survey.refresh_from_db()
    assert not survey.is_published
    added = admin_client.post(
        reverse("sales:question_new", args=[survey.pk]),
        {"text": "口味如何？", "kind": "single", "required": "on", "choices": "好\n一般\n差"},
    )
    assert added.status_code == 302
    assert list(survey.questions.get().choices.values_list("label", flat=True)) == [
        "好",
        "一般",
        "差",
    ]
    admin_client.post(reverse("sales:survey_publish", args=[survey.pk]), {"publish": "1"})
    survey.refresh_from_db()
    assert survey.is_published


def test_bad_survey_and_question_input_is_a_400_with_a_message(admin_client):
    now = timezone.localtime()
    response = admin_client.post(
        reverse("sales:survey_new"),
        {
            "title": "x",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "audience": "selected",
            "licences": "NOPE-1",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "The survey must close after it opens." in content
    assert "Unknown licence numbers: NOPE-1" in content
    assert not Survey.objects.exists()
    survey = SurveyFactory()
    response = admin_client.post(
        reverse("sales:question_new", args=[survey.pk]),
        {"text": "选一个", "kind": "single", "choices": "只有一个"},
    )
    assert response.status_code == 400
    assert "A choice question needs at least two choices." in response.content.decode()
    response = admin_client.post(
        reverse("sales:question_new", args=[survey.pk]),
        {"text": "数量", "kind": "number", "min_value": "10", "max_value": "1"},
    )
    assert response.status_code == 400
    assert not survey.questions.exists()


def test_questions_are_locked_once_a_response_exists(admin_client, login):
    survey, q = full_survey()
    actor = make_role_user("sales_administrator")
    question_move(question=q["rating"], actor=actor, offset=-1)
    order = list(survey.questions.values_list("pk", flat=True))
    assert order.index(q["rating"].pk) == order.index(q["multiple"].pk) - 1
    response_save(
        survey=survey,
        retailer=login.retailer,
        user=login.user,
        values={q["single"].pk: str(choice(q["single"], "好"))},
        submit=False,
    )
    with pytest.raises(Refusal, match="can no longer be changed"):
        question_add(survey=survey, actor=actor, kind="rating", text="新问题")
    with pytest.raises(Refusal):
        question_update(
            question=q["single"], actor=actor, kind="single", text="改", choices=["a", "b"]
        )
    with pytest.raises(Refusal):
        question_delete(question=q["single"], actor=actor)
    with pytest.raises(Refusal):
        question_move(question=q["single"], actor=actor, offset=1)
    assert list(q["single"].choices.values_list("label", flat=True)) == ["好", "一般", "差"]
    page = admin_client.get(reverse("sales:survey", args=[survey.pk]))
    assert "can no longer be changed" in page.content.decode()
    edit = admin_client.post(
        reverse("sales:question_edit", args=[survey.pk, q["single"].pk]),
        {"text": "改", "kind": "single", "choices": "a\nb"},
    )
    assert edit.status_code == 409
    assert "can no longer be changed" in edit.content.decode()
    delete = admin_client.post(reverse("sales:question_delete", args=[survey.pk, q["single"].pk]))
    assert delete.status_code == 302
    assert Question.objects.filter(pk=q["single"].pk).exists()


def test_survey_create_service_refuses_an_empty_audience():
    now = timezone.now()
    with pytest.raises(Refusal):
        survey_create(
            actor=None,
            title="t",
            opens_at=now,
            closes_at=now + timedelta(days=1),
            audience="selected",
            grades=[],
        )
    assert not Survey.objects.exists()
    survey = survey_create(actor=None, title="t", opens_at=now, closes_at=now + timedelta(days=1))
    with pytest.raises(Refusal):
        survey_publish(survey=survey, actor=None)


# Results ----------------------------------------------------------------------------------


@pytest.fixture
def answered():
    """Audience: grades 2 and 3. Five retailers in it (grade 2: A, B in 西湖区; grade 3: C, D,
    E in 上城区 except E in 西湖区) and one outside (grade 5). Submitted: A, C, D; E has a
    draft only; the outsider answered before the audience changed (does not count)."""
    survey, q = full_survey(audience="selected")
    for grade in (2, 3):
        SurveyTarget.objects.create(survey=survey, grade=grade)
    people = {
        "A": RetailerFactory(grade=2, region="西湖区"),
        "B": RetailerFactory(grade=2, region="西湖区"),
        "C": RetailerFactory(grade=3, region="上城区"),
        "D": RetailerFactory(grade=3, region="上城区"),
        "E": RetailerFactory(grade=3, region="西湖区"),
        "X": RetailerFactory(grade=5, region="上城区"),
    }
    good, fair, bad = (choice(q["single"], label) for label in ("好", "一般", "差"))
    lq, zh, yx = (choice(q["multiple"], label) for label in ("利群", "中华", "玉溪"))
    answers = {
        "A": (good, [lq, zh], "5", "10", "送货快"),
        "C": (good, [zh], "4", "20", ""),
        "D": (fair, [zh, yx], "4", "33", "价格高"),
        "E": (bad, [yx], "1", "99", "草稿"),
    }
    for key, (single, multiple, rating, number, text) in answers.items():
        values = {
            q["single"].pk: str(single),
            q["multiple"].pk: [str(pk) for pk in multiple],
            q["rating"].pk: rating,
            q["number"].pk: number,
            q["long_text"].pk: text,
        }
        response_save(
            survey=survey, retailer=people[key], user=None, values=values, submit=key != "E"
        )
    SurveyResponse.objects.create(
        survey=survey, retailer=people["X"], status="submitted", submitted_at=timezone.now()
    )
    return survey, q, people


def test_response_rates_overall_and_by_grade_and_region(answered):
    survey, q, people = answered
    rates = selectors.response_rates(survey)
    assert rates["overall"] == {"total": 5, "responded": 3, "rate": 60.0}
    by_grade = {
        row["key"]: (row["total"], row["responded"], row["rate"]) for row in rates["by_grade"]
    }
    assert by_grade == {2: (2, 1, 50.0), 3: (3, 2, 66.7)}
    by_region = {
        row["key"]: (row["total"], row["responded"], row["rate"]) for row in rates["by_region"]
    }
    assert by_region == {"上城区": (2, 2, 100.0), "西湖区": (3, 1, 33.3)}


def test_per_question_figures(answered):
    survey, q, people = answered
    results = {
        item["question"].kind: item
        for item in selectors.question_results(survey, selectors.questions_of(survey))
    }
    assert results["single"]["data"] == [2, 1, 0] and results["single"]["chart"] == "pie"
    assert results["multiple"]["data"] == [1, 3, 1] and results["multiple"]["chart"] == "bar"
    assert results["multiple"]["count"] == 3
    assert results["rating"]["data"] == [0, 0, 0, 2, 1]
    stats = results["number"]["stats"]
    assert (stats["n"], stats["low"], stats["high"]) == (3, Decimal("10"), Decimal("33"))
    assert stats["average"] == pytest.approx(Decimal("21"))
    assert results["long_text"]["count"] == 2
    texts = [answer.text for answer in selectors.text_answers(q["long_text"])]
    assert sorted(texts) == ["价格高", "送货快"]


def test_results_page_shows_the_chart_data_and_rates(admin_client, answered):
    survey, q, people = answered
    response = admin_client.get(reverse("sales:survey_results", args=[survey.pk]))
    assert response.status_code == 200
    charts = {chart["id"]: chart for chart in response.context["charts"]}
    assert charts[q["single"].pk]["data"] == [2, 1, 0]
    content = response.content.decode()
    assert 'id="survey-charts"' in content
    assert "extranet/vendor/chartjs/chart.umd.min.js" in content
    assert "60.0 %" in content
    text_page = admin_client.get(
        reverse("sales:survey_text_answers", args=[survey.pk, q["long_text"].pk])
    )
    assert "价格高" in text_page.content.decode() and "草稿" not in text_page.content.decode()


def test_excel_export_lists_submitted_responses_with_formulas_neutralised(admin_client, answered):
    from openpyxl import load_workbook

    survey, q, people = answered
    SurveyResponse.objects.filter(retailer=people["A"]).update()
    Answer.objects.filter(question=q["long_text"], response__retailer=people["A"]).update(
        text='=HYPERLINK("http://x")'
    )
    response = admin_client.get(reverse("sales:survey_export", args=[survey.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5:] == tuple(question.text for question in selectors.questions_of(survey))
    assert len(rows) == 1 + 4  # A, C, D and the outsider X; E's draft is not exported
    by_licence = {row[0]: row for row in rows[1:]}
    a = by_licence[people["A"].licence_number]
    texts = [q["single"], q["multiple"], q["rating"], q["number"], q["short_text"], q["long_text"]]
    order = [question.pk for question in selectors.questions_of(survey)]
    cells = dict(zip(order, a[5:], strict=True))
    assert cells[texts[0].pk] == "好"
    assert cells[texts[1].pk] == "利群; 中华"
    assert cells[texts[2].pk] == 5
    assert cells[texts[5].pk] == '\'=HYPERLINK("http://x")'


# Query counts -----------------------------------------------------------------------------


def _grow_responses(survey, q, n):
    while survey.responses.count() < n:
        retailer = RetailerFactory(grade=survey.responses.count() % 3 + 1, region=f"区{n % 4}")
        response_save(
            survey=survey, retailer=retailer, user=None, values=complete_values(q), submit=True
        )


def test_staff_pages_query_counts(admin_client):
    survey, q = full_survey()

    def grow(n):
        _grow_responses(survey, q, n)
        while Survey.objects.count() < n:
            full_survey()

    assert_bounded_queries(admin_client, reverse("sales:surveys"), grow, max_queries=12)
    assert_bounded_queries(
        admin_client, reverse("sales:survey_results", args=[survey.pk]), grow, max_queries=16
    )
    assert_bounded_queries(
        admin_client, reverse("sales:survey", args=[survey.pk]), grow, max_queries=12
    )
    assert_bounded_queries(
        admin_client,
        reverse("sales:survey_text_answers", args=[survey.pk, q["long_text"].pk]),
        grow,
        max_queries=12,
    )
    assert_bounded_queries(
        admin_client, reverse("sales:survey_export", args=[survey.pk]), grow, max_queries=14
    )


def test_shop_pages_query_counts(shop, login):
    survey, q = full_survey()
    url = reverse("shop:survey", args=[survey.pk])
    shop.post(url, form_data(q, {q["long_text"].pk: "草稿"}, action="draft"))

    def grow(n):
        while Survey.objects.count() < n:
            other, questions = full_survey()
            retailer = RetailerFactory()
            response_save(
                survey=other,
                retailer=retailer,
                user=None,
                values=complete_values(questions),
                submit=True,
            )

    assert_bounded_queries(shop, reverse("shop:surveys"), grow, max_queries=10)
    assert_bounded_queries(shop, url, grow, max_queries=12)
    assert_bounded_queries(shop, "/", grow, max_queries=14)


def test_bench_generator_makes_answered_surveys_once():
    import random

    from bench.generators.surveys import SURVEY_ID
    from bench.generators.surveys import surveys as generate
    from bench.scales import SCALES

    RetailerLoginFactory()
    RetailerFactory.create_batch(6)
    scale = SCALES["small"].__class__(**{**SCALES["small"].as_dict(), "retailers": 8})
    generate(scale, random.Random(1))
    generate(scale, random.Random(1))
    survey = Survey.objects.get(pk=SURVEY_ID)
    assert survey.responses.filter(status="submitted").count() == 4
    assert not survey.responses.filter(retailer__logins__isnull=False).exists()
    results = selectors.question_results(survey, selectors.questions_of(survey))
    single = next(item for item in results if item["question"].kind == "single")
    assert sum(single["data"]) == 4
