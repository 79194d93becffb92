"""The extranet home's surveys panel decides on the cached list of open surveys which are open
and addressed to the retailer: it lists exactly what the database's own audience query lists,
and a survey published, re-addressed or opening shows at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from extranet.models import RetailerLogin
from extranet.surveys import home, selectors, services
from extranet.surveys.models import Survey, SurveyNotice, SurveyResponse
from tests.factories.extranet import DeliveryRouteFactory
from tests.factories.people import RetailerLoginFactory
from tests.factories.surveys import QuestionFactory, SurveyFactory, selected_survey

pytestmark = pytest.mark.django_db


def _panel(retailer):
    request = RequestFactory().get("/")
    request.user = RetailerLogin.objects.get(retailer=retailer).user
    return home.home_panel(request)


def _shown(retailer):
    panel = _panel(retailer)
    return [] if panel is None else [survey.pk for survey in panel["surveys"]]


def _by_the_database(retailer):
    """What the panel listed before it read the cache: the audience query of the list page."""
    return [
        survey.pk
        for survey in selectors.surveys_for_retailer(retailer=retailer)
        if survey.own_status in (None, SurveyResponse.Status.DRAFT)
    ][: home.HOME_LIMIT]


def _retailer(**fields):
    return RetailerLoginFactory(**{f"retailer__{name}": value for name, value in fields.items()})


def test_the_panel_lists_what_the_audience_query_lists():
    route, other_route = DeliveryRouteFactory(), DeliveryRouteFactory()
    logins = [
        _retailer(grade=2, region="西湖区", route=route),
        _retailer(grade=5, region="西湖区", route=other_route),
        _retailer(grade=2, region="上城区", route=None),
        _retailer(grade=3, region="", route=route),
    ]
    retailers = [login.retailer for login in logins]
    now = timezone.now()
    surveys = [
        SurveyFactory(audience=Survey.Audience.ALL),
        SurveyFactory(is_published=False),
        SurveyFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=3)),
        SurveyFactory(opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1)),
        selected_survey(grade=[1, 2, 3]),
        selected_survey(grade=[1, 2, 3], region=["西湖区"]),
        selected_survey(region=["上城区"]),
        selected_survey(route=[route]),
        selected_survey(retailer=[retailers[1]]),
        selected_survey(grade=[5], retailer=[retailers[1], retailers[2]]),
    ]
    SurveyResponse.objects.create(
        survey=surveys[4], retailer=retailers[0], status=SurveyResponse.Status.DRAFT
    )
    SurveyResponse.objects.create(
        survey=surveys[0],
        retailer=retailers[0],
        status=SurveyResponse.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    for retailer in retailers:
        assert _shown(retailer) == _by_the_database(retailer), retailer
    assert surveys[4].pk in _shown(retailers[0]) and surveys[0].pk not in _shown(retailers[0])
    draft = next(s for s in _panel(retailers[0])["surveys"] if s.pk == surveys[4].pk)
    assert draft.own_status == SurveyResponse.Status.DRAFT


def test_new_marks_the_surveys_notified_and_not_opened():
    login = _retailer(grade=2)
    notified, opened, plain = SurveyFactory(), SurveyFactory(), SurveyFactory()
    SurveyNotice.objects.create(survey=notified, retailer=login.retailer)
    SurveyNotice.objects.create(survey=opened, retailer=login.retailer, seen_at=timezone.now())
    panel = _panel(login.retailer)
    assert {s.pk for s in panel["surveys"] if s.is_new} == {notified.pk}
    assert panel["new_count"] == 1 and plain.pk in _shown(login.retailer)


def test_a_change_of_survey_or_audience_shows_at_once(django_capture_on_commit_callbacks):
    login = _retailer(grade=2, region="西湖区")
    retailer = login.retailer
    first = SurveyFactory()
    assert _shown(retailer) == [first.pk]
    with django_capture_on_commit_callbacks(execute=True):
        second = services.survey_create(
            actor=None,
            title="新品调查",
            opens_at=timezone.now() - timedelta(hours=1),
            closes_at=timezone.now() + timedelta(days=2),
        )
        QuestionFactory(survey=second)
        services.survey_publish(survey=second, actor=None)
    assert _shown(retailer) == [second.pk, first.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_update(
            survey=second,
            actor=None,
            title="新品调查",
            opens_at=second.opens_at,
            closes_at=second.closes_at,
            audience=Survey.Audience.SELECTED,
            grades=[5],
        )
    assert _shown(retailer) == [first.pk]
    first.delete()
    assert _panel(retailer) is None


def test_a_survey_opening_later_shows_when_it_opens(monkeypatch):
    login = _retailer()
    now = timezone.now()
    coming = SurveyFactory(opens_at=now + timedelta(hours=2), closes_at=now + timedelta(days=1))
    assert _panel(login.retailer) is None
    later = now + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _shown(login.retailer) == [coming.pk]


def test_a_home_without_open_surveys_asks_the_database_nothing_once_cached():
    login = _retailer()
    SurveyFactory(is_published=False)
    request = RequestFactory().get("/")
    request.user = login.user
    home.home_panel(request)
    with CaptureQueriesContext(connection) as queries:
        assert home.home_panel(request) is None
    assert len(queries) == 0


@pytest.mark.parametrize("surveys", [3, 8])
def test_the_retailers_own_responses_and_notices_are_read_in_one_statement(surveys):
    login = _retailer(grade=2)
    opened = [SurveyFactory() for _ in range(surveys)]
    other = _retailer(grade=2).retailer
    SurveyNotice.objects.create(survey=opened[0], retailer=login.retailer)
    SurveyNotice.objects.create(survey=opened[1], retailer=other)
    SurveyResponse.objects.create(
        survey=opened[1], retailer=login.retailer, status=SurveyResponse.Status.DRAFT
    )
    SurveyResponse.objects.create(
        survey=opened[-1],
        retailer=login.retailer,
        status=SurveyResponse.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    SurveyResponse.objects.create(
        survey=opened[0], retailer=other, status=SurveyResponse.Status.DRAFT
    )
    request = RequestFactory().get("/")
    request.user = login.user
    home.home_panel(request)  # the cached list of open surveys
    with CaptureQueriesContext(connection) as queries:
        panel = home.home_panel(request)
    assert len(queries) == 1
    shown = {survey.pk: survey for survey in panel["surveys"]}
    assert opened[-1].pk not in shown  # submitted
    assert shown[opened[0].pk].is_new and shown[opened[0].pk].own_status is None
    assert not shown[opened[1].pk].is_new and shown[opened[1].pk].own_status == "draft"
    assert panel["new_count"] == 1 and panel["more"] == (surveys - 1 > home.HOME_LIMIT)
