import os

from django.db import connection


def test_runs_on_the_database_named_by_the_environment(db):
    """The PostgreSQL run of CI must never fall back silently to SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    expected = os.environ.get("EXPECT_DB_VENDOR") or (
        "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    )
    assert connection.vendor == expected
