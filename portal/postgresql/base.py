"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection is plainly alive.

With CONN_HEALTH_CHECKS, Django sends ``SELECT 1`` before the first query of every
request that reuses a connection: on a page of two or three queries, a third or a
quarter of its round trips. A connection at rest has nothing to read: the server writes
to it only to answer a query, or to end it (a restart, an administrator or an idle
timeout terminating the session sends its error, then closes the socket). So while the
socket has nothing to read, the connection is taken as usable without asking; when it
has something, Django's own check decides, and a closed connection fails it, as before.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        if self.connection.closed or self.connection.broken:
            return False
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if not readable:
            return True
        return super().is_usable()
