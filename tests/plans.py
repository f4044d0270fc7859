"""Query plans, for the tests that check an index is usable."""

from django.db import connection


def plan(queryset):
    return plan_sql(*queryset.query.sql_with_params())


def plan_sql(sql, params):
    with connection.cursor() as cursor:
        # Small tables are scanned whatever the indexes; forbid it to see whether the
        # query can use them at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
