"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection is plainly alive, and prepared statements for the plain SQL reads written
once per process (`read_prepared`) and for listings' pages (`repeated_reads`).

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
from contextlib import contextmanager

from django.db.backends.postgresql import base, operations
from psycopg import ClientCursor, Pipeline


class RepeatingCursor(base.ServerBindingCursor):
    """A cursor that writes its parameters into the statement, as Django's own cursors do
    (psycopg's ``ClientCursor``), and leaves psycopg to prepare the text once it repeats."""

    # The statement as sent, values written in: what Django logs (a prepared statement
    # is sent by name, and psycopg then keeps no text of it).
    statement = None

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if params is not None:
            query = ClientCursor(self.connection).mogrify(query, params)
        self.statement = query
        return super().execute(query, prepare=prepare, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        if isinstance(cursor, RepeatingCursor):
            return cursor.statement
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def prepares_statements(self):
        """Whether `read_prepared` and `repeated_reads` can be used: prepared statements
        allowed on the connection (settings.DB_PREPARED_STATEMENTS) and a libpq with
        pipeline mode."""
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

    @contextmanager
    def repeated_reads(self):
        """Within it, the statements of this connection's cursors, the ORM's included, have
        their values written into their text, as Django's cursors write them, and each text
        is prepared from its second execution (psycopg's ``prepare_threshold``).

        For the statements whose plan depends on their values (a listing's page: which
        index to walk depends on how common the options chosen are, and on the words
        searched), which a statement with parameters would soon plan once for all values.
        PostgreSQL plans each text once, for its own values, and the same page asked again
        is neither parsed nor planned (0.55 → 0.26 ms for the page of the métiers listing
        with two filters at ×10, 0.28 → 0.13 ms for a formation search). A statement seen
        once costs what it did; the connection keeps the last hundred texts prepared, and
        PostgreSQL plans them again when ANALYZE changes the statistics of their tables (a
        connection itself lasts DB_CONN_MAX_AGE, 60 s in production).
        """
        self.ensure_connection()
        factory = self.connection.cursor_factory
        self.connection.cursor_factory = RepeatingCursor
        try:
            yield
        finally:
            self.connection.cursor_factory = factory

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
