"""The signed-in user of every request, kept in the shared cache between requests.

Every page reads its user with the employee (department, position) or retailer login (store)
that the header shows, and the user's roles that the navigation and the permission checks ask
for: two queries whose building alone costs about a third of a simple page's CPU. The user, with
those relations and roles loaded, is cached under its id together with the generations it was
read under; it is used only while both are still current:

* the user's own generation (`user_forget(user_id)`), bumped when the user row, their employee
  record or retailer login, or their group memberships change (receivers in portal/signals.py
  and the apps' signals; a service that writes users with `QuerySet.update()` calls it itself);
* the generation of everyone (`users_forget_all()`), bumped when what many users share
  changes: a department, a position, a group, or many rows at once (imports).

A value is written with the generations read *before* the database, so a change committed while
a request was reading makes that request's value stale at once. `USER_CACHE_SECONDS` bounds how
long a value lives anyway (0 turns the cache off).
"""

from django.conf import settings
from django.core.cache import cache

from portal.generations import Generation

EVERYONE = Generation("portal:users:generation")
_VALUE_KEY = "portal:user:{}"


def _generation(user_id) -> Generation:
    return Generation(f"portal:user:{user_id}:generation")


def _timeout() -> int:
    return getattr(settings, "USER_CACHE_SECONDS", 600)


def user_cached(user_id, load):
    """The user `user_id` as `load(user_id)` reads it (None if there is none), from the cache
    when the cached copy is current. The roles are read before caching, so they come along."""
    from portal.permissions import roles_of

    timeout = _timeout()
    if not timeout:
        return load(user_id)
    user_id = str(user_id)
    mine = _generation(user_id)
    key = _VALUE_KEY.format(user_id)
    found = cache.get_many([key, EVERYONE.key, mine.key])
    current = (found.get(EVERYONE.key), found.get(mine.key))
    cached = found.get(key)
    if cached is not None and None not in current and cached[0] == current:
        return cached[1]
    if None in current:
        current = Generation.current_many(EVERYONE, mine)
    user = load(user_id)
    if user is not None:
        roles_of(user)  # cached on the object, and so in the cache
        cache.set(key, (current, user), timeout)
    return user


def user_forget(*user_ids) -> None:
    """Forget the cached copies of these users (now and when the transaction commits)."""
    for user_id in user_ids:
        if user_id is not None:
            _generation(str(user_id)).bump()


def users_forget_all() -> None:
    """Forget every cached user: what many of them share has changed."""
    EVERYONE.bump()
