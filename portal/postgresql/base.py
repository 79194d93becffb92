"""Django's PostgreSQL backend, with the persistent connection's health check skipped while the
server answered on it a moment ago.

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` before the first query of every request that
reuses a connection, so that a connection the server dropped (a restart, an idle timeout) is
replaced instead of failing the request. Under load that is one more round trip on every
request (about a tenth of the server's time on the order path, waiting for the database's
process to be scheduled). A connection on which a request's queries went through less than
`RECENT_SECONDS` ago is taken as alive; an older one is checked as before. What this gives up:
a server restart within that second fails the next request of each worker (as it fails the
requests in flight anyway), after which the connection is replaced.
"""

import time

from django.db.backends.postgresql import base

RECENT_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    # When a request last finished its queries on this connection without an error.
    answered_at = None

    def connect(self):
        self.answered_at = None
        super().connect()

    def close_if_unusable_or_obsolete(self):
        # Called as each request starts and ends. `health_check_done` is set when the request
        # opened a cursor (or the connection is new), so at the end it says the request used
        # the connection.
        used = self.connection is not None and self.health_check_done and not self.errors_occurred
        super().close_if_unusable_or_obsolete()
        if used and self.connection is not None:
            self.answered_at = time.monotonic()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.answered_at is not None
            and time.monotonic() - self.answered_at < RECENT_SECONDS
            and not self.connection.broken
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
