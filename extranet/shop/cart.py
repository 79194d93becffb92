"""The retailer's cart, kept in the session: its lines {product id: cartons}, and its identity
— an id, new after each order, and a version, one more at each change — that the checkout form
carries (`CartIdentity`), so that one cart version becomes at most one order however many tabs
submit it, and a form shown before the last change never places or discards the newer cart."""

import uuid

from extranet.ordering.services import CartIdentity

CART_KEY = "extranet_cart"
CART_ID_KEY = "extranet_cart_id"
CART_VERSION_KEY = "extranet_cart_version"


def cart_lines(session) -> dict:
    cart = session.get(CART_KEY)
    return cart if isinstance(cart, dict) else {}


def cart_identity(session) -> CartIdentity:
    """The current cart's identity; a cart that has none yet (a new session) is given one."""
    cart_id, version = session.get(CART_ID_KEY), session.get(CART_VERSION_KEY)
    if not isinstance(cart_id, str) or not cart_id or not isinstance(version, int):
        cart_id, version = uuid.uuid4().hex, 1
        session[CART_ID_KEY], session[CART_VERSION_KEY] = cart_id, version
    return CartIdentity(cart_id, version)


def cart_change(session, lines: dict) -> None:
    """Replace the cart's lines: a new version of the same cart (the same one when nothing
    changed)."""
    identity = cart_identity(session)
    if lines == cart_lines(session):
        return
    session[CART_KEY] = lines
    session[CART_VERSION_KEY] = identity.version + 1


def cart_renew(session, lines: dict) -> None:
    """Start a new cart (after an order, or to submit again what was reviewed after its cart
    was ordered already) with these lines."""
    session[CART_KEY] = lines
    session[CART_ID_KEY], session[CART_VERSION_KEY] = uuid.uuid4().hex, 1


def cart_count(session) -> int:
    """How many products (lines) the cart holds."""
    return len(cart_lines(session))
