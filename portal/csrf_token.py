"""The page's masked CSRF token, made once per page and cheaply.

Django masks the CSRF secret afresh each time `get_token` is called, with a mask of 32
characters drawn by `get_random_string`, which asks the operating system for randomness once per
character (`secrets.choice`): about a tenth of a millisecond on a quiet machine and several times
that on a busy one, on every page with a form (the header's language switch is one: every
page). `mask_secret` draws the whole mask from one `os.urandom` read and ciphers the secret the way
Django's `_unmask_cipher_token` reads it back, so Django's `CsrfViewMiddleware` checks the token
as its own.

A page whose forms are written in Python (the cart, an order) asks for the token for its forms
and the template asks again for the header: any masked token of the secret is valid for any form
of the page, so the page's first one is kept on the request and given to both
(`portal.templatetags.layout.site_header`). `portal.context_processors.csrf` gives templates this
token as `csrf_token`, in place of Django's built-in one.
"""

import os

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _add_new_csrf_cookie,
)

_ATTRIBUTE = "_portal_page_csrf_token"
_CHARS = CSRF_ALLOWED_CHARS
_COUNT = len(_CHARS)  # 62
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# Bytes at or above the largest multiple of 62 are drawn again, so every character of the mask
# is equally likely (a plain `byte % 62` would favour the first eight).
_LIMIT = 256 - 256 % _COUNT  # 248


def _mask() -> list[int]:
    """CSRF_SECRET_LENGTH uniform indexes into CSRF_ALLOWED_CHARS, from the system's randomness."""
    indexes: list[int] = []
    while len(indexes) < CSRF_SECRET_LENGTH:
        # 3 of 100 bytes are dropped on average; ask for a few more than needed.
        indexes.extend(b % _COUNT for b in os.urandom(CSRF_SECRET_LENGTH + 8) if b < _LIMIT)
    return indexes[:CSRF_SECRET_LENGTH]


def mask_secret(secret: str) -> str:
    """A masked token of `secret`, as Django's `_mask_cipher_secret` makes one."""
    mask = _mask()
    cipher = "".join(
        _CHARS[(_INDEX[char] + m) % _COUNT] for char, m in zip(secret, mask, strict=True)
    )
    return "".join(_CHARS[m] for m in mask) + cipher


def csrf_token(request) -> str:
    """What Django's `get_token` does (the cookie's secret, or a new one sent with the
    response), with the mask of `mask_secret`."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
        # The cookie is sent again with the response, as get_token asks.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:
        secret = _add_new_csrf_cookie(request)
    return mask_secret(secret)


def page_csrf_token(request) -> str:
    """The masked CSRF token for this request's page, made once."""
    token = getattr(request, _ATTRIBUTE, None)
    if token is None:
        token = csrf_token(request)
        setattr(request, _ATTRIBUTE, token)
    return token


def page_csrf_token_made(request) -> str | None:
    """The page's token if `page_csrf_token` made one for this request, else None."""
    return getattr(request, _ATTRIBUTE, None)
