"""Reads for the extranet that depend on who asks."""

from extranet.models import Retailer


def retailer_of(user) -> Retailer | None:
    """The retailer a signed-in extranet user acts for, read once per request."""
    if not user.is_authenticated or not user.is_retailer:
        return None
    if not hasattr(user, "_portal_retailer"):
        user._portal_retailer = Retailer.objects.filter(logins__user_id=user.pk).first()
    return user._portal_retailer
