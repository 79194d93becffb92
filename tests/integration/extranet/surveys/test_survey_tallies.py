"""The survey results' tallies read in one written-out statement (extranet.surveys.tallies):
the same figures as the ORM selectors they mirror, for every kind of audience, and the results
page's SQL count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from extranet.surveys import selectors
from extranet.surveys.models import SurveyResponse, SurveyTarget
from extranet.surveys.services import response_save
from extranet.surveys.tallies import survey_tallies
from tests.conftest import make_role_user
from tests.factories.extranet import DeliveryRouteFactory
from tests.factories.people import RetailerFactory
from tests.integration.extranet.surveys.test_surveys import choice, full_survey
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


def _answer(survey, q, retailer, *, single, multiple, rating, number, text="", submit=True):
    values = {
        q["single"].pk: str(choice(q["single"], single)),
        q["multiple"].pk: [str(choice(q["multiple"], label)) for label in multiple],
        q["rating"].pk: rating,
        q["number"].pk: number,
        q["long_text"].pk: text,
    }
    response_save(survey=survey, retailer=retailer, user=None, values=values, submit=submit)


def _survey_with_answers(**kwargs):
    """Retailers in two regions and three grades, four submitted responses, one draft and one
    submitted response from outside a chosen audience."""
    survey, q = full_survey(**kwargs)
    route = DeliveryRouteFactory()
    people = {
        "A": RetailerFactory(grade=2, region="西湖区", route=route),
        "B": RetailerFactory(grade=2, region="西湖区"),
        "C": RetailerFactory(grade=3, region="上城区", route=route),
        "D": RetailerFactory(grade=3, region="上城区"),
        "E": RetailerFactory(grade=3, region="西湖区"),
        "X": RetailerFactory(grade=5, region="上城区"),
    }
    _answer(survey, q, people["A"], single="好", multiple=["利群", "中华"], rating="5", number="10")
    _answer(survey, q, people["C"], single="好", multiple=["中华"], rating="4", number="20.25")
    _answer(
        survey, q, people["D"], single="一般", multiple=["中华", "玉溪"], rating="4", number="33"
    )
    _answer(
        survey,
        q,
        people["E"],
        single="差",
        multiple=["玉溪"],
        rating="1",
        number="99",
        submit=False,
    )
    SurveyResponse.objects.create(
        survey=survey, retailer=people["X"], status="submitted", submitted_at=timezone.now()
    )
    return survey, q, people


def _same_as_the_selectors(survey):
    questions = selectors.questions_of(survey)
    results, rates = survey_tallies(survey, questions)
    assert results == selectors.question_results(survey, questions)
    assert rates == selectors.response_rates(survey)
    return results, rates


def test_tallies_of_a_survey_for_all_retailers_are_the_selectors():
    survey, q, people = _survey_with_answers(audience="all")
    results, rates = _same_as_the_selectors(survey)
    assert rates["overall"] == {"total": 6, "responded": 4, "rate": 66.7}
    assert [row["key"] for row in rates["by_grade"]] == [2, 3, 5]
    by_kind = {item["question"].kind: item for item in results}
    assert by_kind["single"]["data"] == [2, 1, 0]
    assert by_kind["multiple"]["data"] == [1, 3, 1]
    assert by_kind["rating"]["data"] == [0, 0, 0, 2, 1]
    stats = by_kind["number"]["stats"]
    assert (stats["n"], stats["low"], stats["high"]) == (3, Decimal("10"), Decimal("33"))
    assert stats["average"] == pytest.approx(Decimal("21.0833333"))


@pytest.mark.parametrize(
    ("criteria", "responded"),
    [
        ({"grade": [2, 3]}, 3),  # A, C, D; X is outside, E only drafted
        ({"grade": [3], "region": ["上城区"]}, 2),  # C, D
        ({"route": True}, 2),  # A, C
        ({"retailer": ["A", "B"]}, 1),  # A
    ],
)
def test_tallies_of_a_chosen_audience_are_the_selectors(criteria, responded):
    survey, q, people = _survey_with_answers(audience="selected")
    for grade in criteria.get("grade", []):
        SurveyTarget.objects.create(survey=survey, grade=grade)
    for region in criteria.get("region", []):
        SurveyTarget.objects.create(survey=survey, region=region)
    if criteria.get("route"):
        SurveyTarget.objects.create(survey=survey, route=people["A"].route)
    for key in criteria.get("retailer", []):
        SurveyTarget.objects.create(survey=survey, retailer=people[key])
    results, rates = _same_as_the_selectors(survey)
    assert rates["overall"]["responded"] == responded


def test_tallies_of_an_empty_audience_and_of_no_answer_are_the_selectors():
    survey, q, people = _survey_with_answers(audience="selected")
    results, rates = _same_as_the_selectors(survey)
    empty = {"total": 0, "responded": 0, "rate": None}
    assert rates == {"overall": empty, "by_grade": [], "by_region": []}
    unanswered, q = full_survey(audience="all")
    results, rates = _same_as_the_selectors(unanswered)
    assert all(item["count"] == 0 for item in results)


def test_results_page_reads_its_tallies_in_one_statement(client, intranet):
    client.force_login(make_role_user("sales_administrator"))
    survey, q, people = _survey_with_answers(audience="all")
    url = reverse("sales:survey_results", args=[survey.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    tallies = [query for query in queries if "extranet_answer" in query["sql"]]
    assert len(tallies) == 1 and "extranet_retailer" in tallies[0]["sql"]
    assert response.context["rates"]["overall"]["responded"] == 4
    assert "66.7 %" in response.content.decode()
    # The next request reads the kept body (extranet/surveys/results_kept.py): no query.
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url)
    # (The test cache may have culled the session, which is then read from the database.)
    read = [query["sql"] for query in queries if "django_session" not in query["sql"]]
    assert read == []
    assert "66.7 %" in kept.content.decode()

    def grow(n):
        while survey.responses.count() < n:
            _answer(
                survey, q, RetailerFactory(), single="差", multiple=["玉溪"], rating="2", number="1"
            )

    assert_bounded_queries(client, url, grow, max_queries=10)
