"""Persistent connections with health checks (CONN_HEALTH_CHECKS): a connection the
server ended is found and replaced before the next request uses it."""

import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server to end a session")


@pytest.fixture
def other(db):
    """A second connection to the test database, apart from the test's own transaction."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def backend_pid(wrapper):
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(wrapper):
    pid = backend_pid(wrapper)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
    # The server says so on the socket, then closes it; wait until it has.
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Within a transaction, the activity view is read once and kept: read it anew.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if not cursor.fetchone()[0]:
                return pid
            time.sleep(0.02)
    raise AssertionError("the session was not terminated")


def test_a_connection_the_server_ended_fails_the_check_and_is_replaced(other):
    pid = terminate(other)
    assert not other.is_usable()
    other.health_check_enabled = True
    other.health_check_done = False
    # What Django does before the first query of a request: close it, then connect anew.
    assert backend_pid(other) != pid
    assert other.is_usable()


def test_a_closed_connection_is_not_usable(other):
    other.connection.close()
    assert not other.is_usable()
