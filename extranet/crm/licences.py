"""Which stores may buy (`rules.buying_refusal`): open for business, licence valid through its
last day. Reads for the store's own warning, the staff's retailer list filter and the account
manager's work list."""

from datetime import date, timedelta

from django.db.models import Q

from extranet import rules
from extranet.crm.models import Retailer

NOT_OPEN, EXPIRED, EXPIRING, MAY_NOT_BUY = "not_open", "expired", "expiring", "may_not_buy"


def licence_warning(retailer: Retailer, today: date) -> dict | None:
    """{"expires_on", "days_left", "expired"} when the store's licence has expired or expires
    within the warning days (`rules.licence_warning_days`), else None."""
    state = rules.licence_state(retailer.licence_expires_on, today)
    if state == rules.LICENCE_VALID:
        return None
    return {
        "expires_on": retailer.licence_expires_on,
        "days_left": (retailer.licence_expires_on - today).days,
        "expired": state == rules.LICENCE_EXPIRED,
    }


def buying_filter(state: str, today: date) -> Q:
    """The retailers in a buying state: not open for business, licence expired, licence
    expiring within the warning days (not expired yet), or any that may not buy now."""
    not_open = ~Q(business_status=rules.BUSINESS_OPEN)
    expired = Q(licence_expires_on__lt=today)
    if state == NOT_OPEN:
        return not_open
    if state == EXPIRED:
        return expired
    if state == EXPIRING:
        return Q(
            licence_expires_on__gte=today,
            licence_expires_on__lte=today + timedelta(days=rules.licence_warning_days()),
        )
    return not_open | expired


def needing_attention(retailers, today: date):
    """Of the given retailers, those that may not buy or whose licence expires within the
    warning days, the soonest expiry first."""
    return retailers.filter(
        buying_filter(MAY_NOT_BUY, today) | buying_filter(EXPIRING, today)
    ).order_by("licence_expires_on", "licence_number")


def buying_state(retailer: Retailer, today: date) -> dict:
    """What the staff see of a store's right to buy: `refusal` ("status", "licence" or None)
    and `licence` (rules.licence_state)."""
    return {
        "refusal": rules.buying_refusal(
            retailer.business_status, retailer.licence_expires_on, today
        ),
        "licence": rules.licence_state(retailer.licence_expires_on, today),
    }
