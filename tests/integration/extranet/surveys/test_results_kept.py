"""A survey's results page keeps its body as HTML (extranet/surveys/results_kept.py): each
test changes what the page shows and checks that the next request shows it."""

import re

import pytest
from django.urls import reverse

from extranet.surveys.models import Survey
from extranet.surveys.services import question_update, response_save
from tests.conftest import make_role_user
from tests.factories.people import RetailerFactory
from tests.integration.extranet.surveys.test_surveys import choice, full_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, intranet):
    client.force_login(make_role_user("sales_administrator"))
    return client


def _results(client, survey_id):
    return client.get(reverse("sales:survey_results", args=[survey_id]))


def _page(client, survey_id):
    """The page, its masked CSRF tokens (new on every request) blanked."""
    html = _results(client, survey_id).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _submit(survey, q, retailer, label="好"):
    response_save(
        survey=survey,
        retailer=retailer,
        user=None,
        values={
            q["single"].pk: str(choice(q["single"], label)),
            q["multiple"].pk: [str(choice(q["multiple"], "利群"))],
            q["rating"].pk: "4",
            q["number"].pk: "12",
        },
        submit=True,
    )


def test_the_kept_body_is_the_body_written_afresh(staff):
    from django.core.cache import cache

    survey, q = full_survey(audience="all")
    _submit(survey, q, RetailerFactory())
    first = _page(staff, survey.pk)
    kept = _page(staff, survey.pk)
    cache.clear()
    assert first == kept == _page(staff, survey.pk)


def test_a_submitted_response_shows_at_once(staff):
    survey, q = full_survey(audience="all")
    RetailerFactory.create_batch(3)
    assert ">0</strong> / 3 " in _results(staff, survey.pk).content.decode()
    _submit(survey, q, RetailerFactory())
    assert ">1</strong> / 4 " in _results(staff, survey.pk).content.decode()


def test_a_retailer_joining_the_audience_and_an_edited_question_show_at_once(staff):
    survey, q = full_survey(audience="all")
    retailer = RetailerFactory()
    assert ">0</strong> / 1 " in _results(staff, survey.pk).content.decode()
    RetailerFactory()
    assert ">0</strong> / 2 " in _results(staff, survey.pk).content.decode()
    retailer.region = "新的区域"
    retailer.save()
    assert "新的区域" in _results(staff, survey.pk).content.decode()
    question_update(
        question=q["number"],
        actor=make_role_user("sales_administrator"),
        kind="number",
        text="每周进货多少条？",
    )
    assert "每周进货多少条？" in _results(staff, survey.pk).content.decode()


def test_a_deleted_survey_is_a_404_and_others_are_refused(staff, client):
    survey, q = full_survey(audience="all")
    assert _results(staff, survey.pk).status_code == 200
    assert _results(staff, 0).status_code == 404
    Survey.objects.filter(pk=survey.pk).get().delete()
    assert _results(staff, survey.pk).status_code == 404
    other, q = full_survey(audience="all")
    assert _results(staff, other.pk).status_code == 200  # kept now
    for role in ("employee", "account_manager"):
        client.force_login(make_role_user(role))
        assert _results(client, other.pk).status_code in (302, 403, 404)
