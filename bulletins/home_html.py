"""The intranet home page's notices panel, its shared part kept as finished HTML.

The pinned and latest notices, the factory news and the open discussions are the same for
everyone whose notices come from the same departments (`selectors.home_shared_lists`, cached in
the shared cache). Writing them out — the loops, a date and a link per line — was about a third
of the home page, the busiest page of the intranet. This process keeps the written-out part
under everything it shows: the notices' generation (a new one whenever a notice or a
discussion changes), the audience's departments, the language, the time zone of the dates, the
URL configuration of the links, and the half-minute it was written in, so that what changes
with no save (a notice expiring, a discussion closing) shows within the minute and a half the
shared lists already allow. It is written without the request: nothing of the user reaches it.

The user's own list — notices waiting for their acknowledgement — is read per request and
written in one pass (`notice_rows.home_rows_html`).
"""

import time

from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils import timezone, translation

from bulletins import selectors
from bulletins.notice_rows import home_rows_html
from portal.generations import Generation

# Entries are few (departments × languages × time zones) and small; a bound anyway.
_MOST = 500
_kept: dict[tuple, str] = {}


def _moment() -> int:
    return int(time.time() // (selectors.HOME_CACHE_SECONDS // 2))


def shared_html(department_ids, generation) -> str:
    """The panel's sections shown to every member of the audience, as HTML."""
    key = (
        generation,
        department_ids,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_urlconf(),
        _moment(),
    )
    html = _kept.get(key)
    if html is None:
        lists = selectors.home_shared_lists(department_ids, generation)
        html = render_to_string("bulletins/home_shared.html", {"notices": lists})
        if len(_kept) >= _MOST:
            _kept.clear()
        _kept[key] = html
    return html


def home_panel(request) -> dict | None:
    """The context of the notices panel (`bulletins/home_notices.html`); employees only."""
    user = request.user
    if not user.is_authenticated or not user.is_employee:
        return None
    generation, acknowledged = Generation.current_many(
        selectors.NOTICES_GENERATION, selectors.acknowledgements_generation(user.pk)
    )
    department_ids = selectors.audience_department_ids(user)
    unacknowledged = selectors.home_unacknowledged(
        user=user, generation=generation, acknowledged=acknowledged
    )
    return {
        "unacknowledged": bool(unacknowledged),
        "unacknowledged_rows": home_rows_html(unacknowledged),
        "shared_html": shared_html(department_ids, generation),
    }
