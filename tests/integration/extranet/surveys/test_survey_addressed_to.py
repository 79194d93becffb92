"""One survey's page checks its audience on the survey's own criteria: it answers for exactly
the surveys that the list of surveys addressed to the retailer holds, with the same status."""

import pytest

from extranet.surveys import selectors
from extranet.surveys.models import Survey, SurveyResponse
from tests.factories.extranet import DeliveryRouteFactory
from tests.factories.people import RetailerFactory
from tests.factories.surveys import SurveyFactory, selected_survey

pytestmark = pytest.mark.django_db


def test_one_survey_is_addressed_exactly_when_the_list_holds_it():
    route, other_route = DeliveryRouteFactory(), DeliveryRouteFactory()
    retailers = [
        RetailerFactory(grade=2, region="西湖区", route=route),
        RetailerFactory(grade=5, region="西湖区", route=other_route),
        RetailerFactory(grade=2, region="上城区", route=None),
        RetailerFactory(grade=3, region="", route=route),
    ]
    surveys = [
        SurveyFactory(audience=Survey.Audience.ALL),
        SurveyFactory(audience=Survey.Audience.ALL, is_published=False),
        selected_survey(),
        selected_survey(grade=[1, 2, 3]),
        selected_survey(grade=[1, 2, 3], region=["西湖区"]),
        selected_survey(region=["上城区"]),
        selected_survey(route=[route]),
        selected_survey(retailer=[retailers[1]]),
        selected_survey(grade=[5], retailer=[retailers[1], retailers[2]]),
    ]
    SurveyResponse.objects.create(
        survey=surveys[3], retailer=retailers[0], status=SurveyResponse.Status.DRAFT
    )
    for retailer in retailers:
        listed = {s.pk: s.own_status for s in selectors.surveys_addressed_to(retailer=retailer)}
        for survey in surveys:
            one = selectors.survey_addressed_to(retailer=retailer, survey_id=survey.pk)
            assert (one is not None) == (survey.pk in listed), (retailer, survey)
            if one is not None:
                assert one.own_status == listed[survey.pk]
    assert selectors.survey_addressed_to(retailer=retailers[0], survey_id=0) is None
