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

The session and the user each cost a round trip to the cache. A session key belongs to one user
for its whole life (signing in gives a new key), so once this process has read a session it
knows whose it is: the next read of that session (portal/sessions.py) asks for the user's cached
value and generations in the same round trip (`session_read`), and `user_cached` takes them
from there, in the same request only.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.signals import request_started

from portal.generations import Generation

EVERYONE = Generation("portal:users:generation")
_VALUE_KEY = "portal:user:{}"


def _generation(user_id) -> Generation:
    return Generation(f"portal:user:{user_id}:generation")


def _timeout() -> int:
    return getattr(settings, "USER_CACHE_SECONDS", 600)


def _keys(user_id: str) -> list[str]:
    """The user's cached value and the generations it is checked against."""
    return [_VALUE_KEY.format(user_id), EVERYONE.key, _generation(user_id).key]


# Whose each session read by this process is (a session key → its user's id), and what the
# current request's session read brought of that user (user id, the cache's answer).
_SESSION_USERS_MOST = 20000
_session_users: dict[str, str] = {}
_prefetched: ContextVar[tuple[str, dict] | None] = ContextVar("portal_prefetched", default=None)


def _prefetch_forget(**kwargs) -> None:
    _prefetched.set(None)


# A request that read its session but never its user leaves nothing to the next one.
request_started.connect(_prefetch_forget, dispatch_uid="portal_user_prefetch_forget")


def session_read(session_cache, session_cache_key: str, session_key: str):
    """The session's data from `session_cache` (None when it is not there), read together with
    its user's cached values when this process already knows whose session it is."""
    user_id = _session_users.get(session_key)
    same_cache = settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS
    if user_id is None or not same_cache or not _timeout():
        _prefetched.set(None)
        data = session_cache.get(session_cache_key)
    else:
        found = session_cache.get_many([session_cache_key, *_keys(user_id)])
        data = found.pop(session_cache_key, None)
        _prefetched.set((user_id, found) if data is not None else None)
    return data


def session_learn(session_key: str | None, data: dict) -> None:
    """Remember whose session this is (the data read or loaded for it)."""
    user_id = data.get(SESSION_KEY) if session_key else None
    if user_id is None:
        _prefetched.set(None)
        return
    user_id = str(user_id)
    prefetched = _prefetched.get()
    if prefetched is not None and prefetched[0] != user_id:
        _prefetched.set(None)
    if _session_users.get(session_key) != user_id:
        if len(_session_users) >= _SESSION_USERS_MOST:
            _session_users.clear()
        _session_users[session_key] = user_id


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
    prefetched = _prefetched.get()
    if prefetched is not None:
        _prefetched.set(None)  # once: a second read in the request asks the cache again
    if prefetched is not None and prefetched[0] == user_id:
        found = prefetched[1]
    else:
        found = cache.get_many(_keys(user_id))
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
