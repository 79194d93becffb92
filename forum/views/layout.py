"""What every forum page has: the forum's own navigation around its content, who may open it
(employees; to anyone else the forum does not exist) and the way to a pseudonym."""

from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from forum import selectors
from forum.permissions import (
    is_identity_auditor,
    is_moderator,
    may_rename_pseudonyms,
    may_use_forum,
)
from portal.permissions import require

# Every forum page: 404 for anyone who may not use the forum.
forum_page = require(may_use_forum, deny=Http404)
# Moderators' pages (inside `forum_page`): 403 for other employees.
moderator_page = require(is_moderator)


def page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except ValueError:
        return 1


NAVIGATION = (
    "index",
    "unread",
    "notifications",
    "moderation",
    "reveals",
    "pseudonym_admin",
    "settings",
    "pseudonym_choose",
)


@cache
def _navigation_urls(urlconf, script_prefix) -> dict[str, str]:
    return {name: reverse(f"forum:{name}", urlconf=urlconf) for name in NAVIGATION}


def navigation_urls() -> dict[str, str]:
    """The URLs of the forum's navigation, reversed once per URLconf and script prefix rather
    than on every page."""
    return _navigation_urls(get_urlconf(settings.ROOT_URLCONF), get_script_prefix())


def forum_context(request, **extra):
    """What every forum page shows around its content (the forum's own navigation)."""
    pseudonym = selectors.pseudonym_of(request.user)
    if "notification_count" not in extra:  # a page may have read it with its own data
        extra["notification_count"] = selectors.unread_notification_count(pseudonym=pseudonym)
    return {
        "active_module": "forum",
        "forum_urls": navigation_urls(),
        "pseudonym": pseudonym,
        "is_moderator": is_moderator(request.user),
        "is_identity_auditor": is_identity_auditor(request.user),
        "may_rename_pseudonyms": may_rename_pseudonyms(request.user),
        **extra,
    }


def choose_pseudonym_first(request):
    """Send someone without a pseudonym to choose one, then back here."""
    messages.info(request, _("Choose your pseudonym first: it is the only name others see."))
    return redirect(
        reverse("forum:pseudonym_choose") + "?" + urlencode({"next": request.get_full_path()})
    )
