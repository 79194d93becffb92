"""The retailers' pages on the extranet face (URL namespace `shop`).

Thin: parse a form, call a selector or a service, render. Every page acts for the signed-in
login's own retailer; another retailer's order or feedback answers 404.
"""

from functools import wraps

from django.http import Http404

from extranet.crm.selectors import retailer_of

PAGE_SIZE = 20


def retailer_page(view):
    """The page acts for the login's retailer (a retailer login always has one), passed to the
    view after the request."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        retailer = retailer_of(request.user)
        if retailer is None:
            raise Http404
        return view(request, retailer, *args, **kwargs)

    return wrapper
