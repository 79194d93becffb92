"""The one-response rule under real concurrency, on PostgreSQL: threads with their own database
connections submit the same retailer's answers at once; exactly one response is recorded."""

import pytest
from django.db import connection

from extranet.surveys.models import Answer, SurveyResponse
from extranet.surveys.services import response_save
from portal.refusals import Refusal
from tests.concurrency import race
from tests.factories.people import RetailerFactory
from tests.factories.surveys import QuestionFactory, SurveyFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_submits_of_one_retailer_make_one_response():
    assert connection.vendor == "postgresql"
    survey = SurveyFactory()
    question = QuestionFactory(survey=survey, kind="rating")
    retailer = RetailerFactory()

    def submit(index):
        return response_save(
            survey=survey,
            retailer=retailer,
            user=None,
            values={question.pk: str(index % 5 + 1)},
            submit=True,
        ).pk

    results, errors = race(12, submit)
    assert all(isinstance(error, Refusal) for error in errors), errors
    assert len([pk for pk in results if pk]) == 1
    assert len(errors) == 11
    response = SurveyResponse.objects.get()
    assert response.status == "submitted"
    assert Answer.objects.filter(response=response).count() == 1
