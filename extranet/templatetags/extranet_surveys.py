"""The extranet home's block of surveys waiting for the signed-in retailer's answers."""

from django import template
from django.db.models import Q

from extranet.selectors import retailer_of
from extranet.surveys.models import SurveyResponse
from extranet.surveys.selectors import surveys_for_retailer

register = template.Library()

HOME_LIMIT = 5


@register.inclusion_tag("extranet/surveys/home_block.html", takes_context=True)
def open_surveys(context):
    """Open surveys addressed to the retailer that it has not submitted yet (one query)."""
    request = context.get("request")
    retailer = retailer_of(request.user) if request is not None else None
    if retailer is None:
        return {"surveys": []}
    surveys = list(
        surveys_for_retailer(retailer=retailer).filter(
            Q(own_status__isnull=True) | Q(own_status=SurveyResponse.Status.DRAFT)
        )[: HOME_LIMIT + 1]
    )
    return {"surveys": surveys[:HOME_LIMIT], "more": len(surveys) > HOME_LIMIT}
