"""The store's own warnings on its home page: it may not buy (not open, licence expired), or
its licence expires within the warning days (`rules.licence_warning_days`)."""

from django.utils import timezone

from extranet import rules
from extranet.crm.licences import licence_warning
from extranet.crm.selectors import retailer_of
from extranet.ordering.services import buying_refused_message

__all__ = ["home_panel", "licence_warning"]


def home_panel(request) -> dict | None:
    """The warning panel of the extranet home for the signed-in store, or None."""
    retailer = retailer_of(request.user)
    if retailer is None:
        return None
    today = timezone.localdate()
    refusal = rules.buying_refusal(retailer.business_status, retailer.licence_expires_on, today)
    warning = licence_warning(retailer, today)
    if refusal is None and warning is None:
        return None
    return {
        "refused_message": buying_refused_message(refusal) if refusal else "",
        "licence_warning": warning,
    }
