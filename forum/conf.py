"""The forum's tunable numbers: a Django setting of the name, else the environment variable of
the same name, else the default."""

import os

from django.conf import settings

DEFAULTS = {
    "FORUM_POSTS_PER_MINUTE": 5,  # the flood limit, per pseudonym
    "FORUM_DELETE_WINDOW_MINUTES": 30,  # an author may delete their post for this long
    "FORUM_UNREAD_DAYS": 30,  # topics quiet for longer count as read
    "FORUM_RENAME_INTERVAL_DAYS": 365,  # a pseudonym is renamed at most this often
    "FORUM_MAIL_QUIET_MINUTES": 30,  # at most one notification mail per person this often
}


def forum_setting(name: str) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return int(value)
