"""SQL queries per request, counted in-process with Django's test client.

Each page is requested as its face's process would serve it (the face's URL configuration and
cookie names), with the same session the load clients use. The first request of a process fills
per-process caches (the face's site, content types), so the count that matters is the one of a
request after it: that is what every request under load costs.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.pages import Page
from bench.sessions import session_cookie_name

REPEAT = 3


@dataclass
class QueryCount:
    status: int | None
    first: int | None
    steady: int | None
    error: str = ""


def _get(page: Page, session_key: str | None):
    # A new client per request, so that cookies a response sets (CSRF) are not sent back:
    # the load clients do not send them either.
    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies[session_cookie_name(page.face)] = session_key
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    return response.status_code, len(queries)


def count_queries(page: Page, session_key: str | None) -> QueryCount:
    face_settings = {
        "PORTAL_FACE": page.face,
        "ROOT_URLCONF": settings.PORTAL_URLCONFS[page.face],
        "SESSION_COOKIE_NAME": session_cookie_name(page.face),
        "CSRF_COOKIE_NAME": f"{page.face}_csrftoken",
    }
    counts = []
    status = None
    try:
        with override_settings(**face_settings):
            for _request in range(REPEAT):
                status, count = _get(page, session_key)
                counts.append(count)
    except Exception as error:  # a broken page is reported, not fatal
        return QueryCount(status=500, first=None, steady=None, error=repr(error)[:300])
    return QueryCount(status=status, first=counts[0], steady=counts[-1])
