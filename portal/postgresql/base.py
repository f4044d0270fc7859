"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection is plainly alive, and prepared statements for the plain SQL reads written
once per process (`read_prepared`, `read_repeated`).

With CONN_HEALTH_CHECKS, Django sends ``SELECT 1`` before the first query of every
request that reuses a connection: on a page of two or three queries, a third or a
quarter of its round trips. A connection at rest has nothing to read: the server writes
to it only to answer a query, or to end it (a restart, an administrator or an idle
timeout terminating the session sends its error, then closes the socket). So while the
socket has nothing to read, the connection is taken as usable without asking; when it
has something, Django's own check decides, and a closed connection fails it, as before.
"""

import select
import time

from django.db.backends.postgresql import base
from psycopg import ClientCursor, Pipeline


class DatabaseWrapper(base.DatabaseWrapper):
    def prepares_statements(self):
        """Whether `read_prepared` can be used: prepared statements allowed on the connection
        (settings.DB_PREPARED_STATEMENTS) and a libpq with pipeline mode."""
        self.ensure_connection()
        return self.connection.prepare_threshold is not None and Pipeline.is_supported()

    def read_prepared(self, statements):
        """The rows of each ``(sql, params)`` of ``statements``, in order.

        They go together, in one round trip (psycopg's pipeline mode), and each is
        prepared once per connection: PostgreSQL then neither parses nor plans it again,
        which was more than half of what it spent on a fiche's six statements. Only for
        statements whose plan does not depend on their values (lookups by key): a
        prepared statement is soon planned once for all values.

        The round trip is logged as one query holding every statement, as Django logs
        several statements sent in one string.
        """
        self.validate_no_broken_transaction()
        start = time.monotonic()
        with self.wrap_database_errors:
            cursors = [PreparingCursor(self.connection) for _ in statements]
            try:
                with self.connection.pipeline():
                    for cursor, (sql, params) in zip(cursors, statements):
                        cursor.execute(sql, params)
                results = [cursor.fetchall() for cursor in cursors]
            finally:
                for cursor in cursors:
                    cursor.close()
        if self.queries_logged:
            self.queries_log.append({
                "sql": "; ".join(self.ops.compose_sql(sql, params) for sql, params in statements),
                "time": f"{time.monotonic() - start:.3f}",
            })
        return results

    def read_repeated(self, sql, params):
        """The rows of ``sql`` with ``params``, for a statement whose plan depends on its
        values (a listing's page: which index to walk depends on how common the options
        chosen are, and on the words searched).

        The values are written into the statement's text, as Django's cursors write them,
        and the text is prepared on the connection from its second execution (psycopg's
        ``prepare_threshold``): PostgreSQL plans it once for its own values, and the same
        page asked again is neither parsed nor planned (0.55 → 0.26 ms for the page of a
        listing with two filters at ×10). A statement seen once costs what it did; the
        connection keeps the last hundred texts prepared, and PostgreSQL plans them again
        when ANALYZE changes the statistics of their tables (a connection itself lasts
        DB_CONN_MAX_AGE, 60 s in production).
        """
        self.validate_no_broken_transaction()
        self.ensure_connection()
        # As Django's cursors bind on the client (`self.ops.compose_sql` would open one more).
        literal = ClientCursor(self.connection).mogrify(sql, params)
        start = time.monotonic()
        with self.wrap_database_errors:
            with base.ServerBindingCursor(self.connection) as cursor:
                cursor.execute(literal)
                rows = cursor.fetchall()
        if self.queries_logged:
            self.queries_log.append({"sql": literal, "time": f"{time.monotonic() - start:.3f}"})
        return rows

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


class PreparingCursor(base.ServerBindingCursor):
    """A cursor that binds its parameters on the server and has each statement prepared."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)
