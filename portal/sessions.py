"""The session engine: Django's cached database sessions, saved in one statement.

A retailer's cart lives in the session, so adding to it and checking out each save the
session. Django's database store saves through the model in a transaction of its own: BEGIN,
UPDATE, COMMIT and the model machinery, about a fifth of a checkout's CPU. An existing session
is saved here with the single UPDATE (atomic on its own); when no row is updated (the session
was deleted meanwhile, by signing out elsewhere) it is the same `UpdateError` as Django's. New
sessions, and saves inside a transaction (where Django's savepoint keeps a failure from
breaking the outer transaction), go Django's way.
"""

from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connections, router

from portal import user_cache


class _SessionRowUpdate(db.SessionStore):
    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create)
        using = router.db_for_write(self.model)
        connection = connections[using]
        if connection.in_atomic_block:
            return super().save(must_create)
        ops = connection.ops
        table = ops.quote_name(self.model._meta.db_table)
        expires = ops.adapt_datetimefield_value(self.get_expiry_date())
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET session_data = %s, expire_date = %s"  # noqa: S608 - table name from the model
                    " WHERE session_key = %s",
                    [self.encode(self._get_session()), expires, self.session_key],
                )
                updated = cursor.rowcount
        except DatabaseError as error:
            raise UpdateError from error
        if updated != 1:
            raise UpdateError


class SessionStore(cached_db.SessionStore, _SessionRowUpdate):
    """Sessions read from the shared cache, kept in the database (`cached_db`); a session this
    process has read before is read with its user's cached values (portal/user_cache.py)."""

    def load(self):
        try:
            data = user_cache.session_read(self._cache, self.cache_key, self.session_key)
        except Exception:  # as Django's: a key the cache refuses resets the session
            data = None
        if data is None:
            data = super().load()
        user_cache.session_learn(self.session_key, data)
        return data
