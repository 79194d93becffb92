"""The extranet home's panel of surveys waiting for the signed-in retailer's answers; the ones
the retailer was notified of and has not opened yet are marked new."""

from django.db.models import Exists, OuterRef, Q

from extranet.crm.selectors import retailer_of
from extranet.surveys.models import SurveyNotice, SurveyResponse
from extranet.surveys.selectors import surveys_for_retailer

HOME_LIMIT = 5


def home_panel(request) -> dict | None:
    """Open surveys addressed to the retailer that it has not submitted yet, with `is_new`
    (notified, not opened yet), in one query; None when there is none or no retailer."""
    retailer = retailer_of(request.user)
    if retailer is None:
        return None
    unseen = SurveyNotice.objects.filter(
        survey_id=OuterRef("pk"), retailer_id=retailer.pk, seen_at__isnull=True
    )
    surveys = list(
        surveys_for_retailer(retailer=retailer)
        .filter(Q(own_status__isnull=True) | Q(own_status=SurveyResponse.Status.DRAFT))
        .annotate(is_new=Exists(unseen))[: HOME_LIMIT + 1]
    )
    if not surveys:
        return None
    shown = surveys[:HOME_LIMIT]
    return {
        "surveys": shown,
        "more": len(surveys) > HOME_LIMIT,
        "new_count": sum(1 for survey in shown if survey.is_new),
    }
