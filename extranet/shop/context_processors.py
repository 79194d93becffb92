"""What the extranet's header shows on every page: the cart with its count."""

from django.conf import settings

from extranet.shop.cart import cart_count


def cart(request):
    """`cart_count` for a retailer signed in on the extranet (None for anyone else, and on the
    intranet). Read from the session, which signing in loaded already: no query."""
    face = getattr(request, "face", settings.PORTAL_FACE)
    user = getattr(request, "user", None)
    if face != "extranet" or user is None or not user.is_authenticated or not user.is_retailer:
        return {"cart_count": None}
    return {"cart_count": cart_count(request.session)}
