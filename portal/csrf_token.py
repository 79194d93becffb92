"""One masked CSRF token per page.

Django masks the CSRF secret afresh each time `get_token` is called (32 random characters
and a cipher, about a tenth of a millisecond), and a page whose forms are written in Python
(the cart, an order) called it once for its forms and once more, through the template's
`csrf_token`, for the language switch in the header. Any masked token of the secret is valid
for any form of the page, so the page's first one is kept on the request and given to the
header too (`portal.templatetags.layout.site_header`)."""

from django.middleware.csrf import get_token

_ATTRIBUTE = "_portal_page_csrf_token"


def page_csrf_token(request) -> str:
    """The masked CSRF token for this request's page, made once."""
    token = getattr(request, _ATTRIBUTE, None)
    if token is None:
        token = get_token(request)
        setattr(request, _ATTRIBUTE, token)
    return token


def page_csrf_token_made(request) -> str | None:
    """The page's token if `page_csrf_token` made one for this request, else None."""
    return getattr(request, _ATTRIBUTE, None)
