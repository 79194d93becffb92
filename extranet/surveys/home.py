"""The extranet home's panel of surveys waiting for the signed-in retailer's answers; the ones
the retailer was notified of and has not opened yet are marked new."""

from django.utils import timezone

from extranet.crm.selectors import retailer_of
from extranet.surveys.home_statements import own_states
from extranet.surveys.models import SurveyResponse
from extranet.surveys.selectors import is_addressed_to, surveys_open_or_coming

HOME_LIMIT = 5


def home_panel(request) -> dict | None:
    """Open surveys addressed to the retailer that it has not submitted yet, with `own_status`
    and `is_new` (notified, not opened yet); None when there is none or no retailer.

    Which surveys are open and addressed to the retailer is decided on the cached list of
    surveys (`surveys_open_or_coming`): the home of a retailer with none asks the database
    nothing, one with some asks only its own responses and notices of those surveys, in one
    statement (`home_statements.own_states`)."""
    retailer = retailer_of(request.user)
    if retailer is None:
        return None
    now = timezone.now()
    candidates = [
        survey
        for survey, criteria in surveys_open_or_coming()
        if survey.opens_at <= now < survey.closes_at and is_addressed_to(survey, criteria, retailer)
    ]
    if not candidates:
        return None
    statuses, unseen = own_states(
        retailer_id=retailer.pk, survey_ids=[survey.pk for survey in candidates]
    )
    surveys = []
    for survey in candidates:
        survey.own_status = statuses.get(survey.pk)
        if survey.own_status in (None, SurveyResponse.Status.DRAFT):
            surveys.append(survey)
    if not surveys:
        return None
    shown = surveys[:HOME_LIMIT]
    for survey in shown:
        survey.is_new = survey.pk in unseen
    return {
        "surveys": shown,
        "more": len(surveys) > HOME_LIMIT,
        "new_count": sum(1 for survey in shown if survey.is_new),
    }
