"""{% load layout %}: the parts of the base layout that every page shows.

`{% site_header "intranet" %}` renders `includes/site_header.html` once per face, language and
kind of user (signed in or not, the module the page belongs to, may administer, the cart's count
and whether this is the cart page) and keeps that text for the life of the process; the values of
the request itself — the CSRF token, the path the language switch returns to, the user's name,
the search query — are rendered as markers and put in, escaped, on every page. The header
template therefore must not read anything else of the request or the user (its comment says so).
What it shows is fixed in code (navigation, labels, URLs, languages), so nothing is to forget.
"""

import secrets
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.csrf_token import page_csrf_token_made
from portal.modules import MODULES_BY_FACE

register = template.Library()

# Markers of the request's own values: letters and digits only, so that escaping leaves them as
# they are; random per process, so that no value a user can type matches one.
_MARK = "m" + secrets.token_hex(8)
CSRF, PATH, NAME, QUERY = (f"{_MARK}{name}" for name in ("csrf", "path", "name", "query"))

# Entries are small and few (faces × languages × modules × a few cart counts); a bound anyway.
_MOST = 2000
_rendered: dict[tuple, str] = {}


def _header_html(key, face, signed_in, active_module, may_administer, cart_count, on_cart, csrf):
    html = _rendered.get(key)
    if html is None:
        html = render_to_string(
            "includes/site_header.html",
            {
                "face": face,
                "user": SimpleNamespace(is_authenticated=signed_in, display_name=NAME),
                "nav_modules": MODULES_BY_FACE[face],
                "active_module": active_module,
                "may_administer": may_administer,
                "search_query": QUERY,
                "csrf_token": CSRF if csrf else None,
                "request": SimpleNamespace(get_full_path=PATH),
                "cart_count": cart_count,
                "on_cart_page": on_cart,
            },
        )
        if len(_rendered) >= _MOST:
            _rendered.clear()
        _rendered[key] = html
    return html


@register.simple_tag(takes_context=True)
def site_header(context, face):
    request = context.get("request")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    active_module = context.get("active_module") if signed_in else None
    may_administer = signed_in and face == "intranet" and bool(context.get("may_administer"))
    cart_count = context.get("cart_count") if face == "extranet" else None
    match = getattr(request, "resolver_match", None)
    on_cart = cart_count is not None and match is not None and match.view_name == "shop:cart"
    # The page's token when its view made one for its own forms (`page_csrf_token`), else
    # the template's: one masking per page.
    token = (page_csrf_token_made(request) if request is not None else None) or context.get(
        "csrf_token"
    )
    token = str(token) if token else ""
    csrf = token not in ("", "NOTPROVIDED")  # as {% csrf_token %}: no field without a token
    key = (
        face,
        translation.get_language(),
        str(get_urlconf() or settings.ROOT_URLCONF),  # the links' URLs (tests switch faces)
        signed_in,
        active_module,
        may_administer,
        cart_count,
        on_cart,
        csrf,
    )
    html = _header_html(key, face, *key[3:])
    query = context.get("search_query")
    html = (
        html.replace(CSRF, token)
        .replace(PATH, escape(request.get_full_path()) if request is not None else "")
        .replace(NAME, escape(user.display_name) if signed_in else "")
        .replace(QUERY, escape(query) if query else "")
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, values escaped above


@register.simple_tag
def asset(name):
    """The URL of a static file, as `{% static %}` gives it, for the base layout's three files.

    `{% static %}` first asks `apps.is_installed("django.contrib.staticfiles")`, a walk over
    every installed app, on each call; the storage is the one `{% static %}` uses."""
    return staticfiles_storage.url(name)
