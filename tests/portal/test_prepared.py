"""PostgreSQL: the plain SQL reads of a fiche are prepared once per connection and sent
together, one round trip for the métier, one for the rest (portal.postgresql, read_prepared).
What goes over the wire is read from libpq's protocol trace."""

import tempfile

import pytest
from django.db import DatabaseError, connection, transaction

from metiers.fiche import published_fiche
from portal.rows import read_together

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
    pytest.mark.django_db,
]


def traced(read):
    """What ``read()`` returns, and the protocol messages the client sent meanwhile."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        try:
            result = read()
        finally:
            pgconn.untrace()
        trace.seek(0)
        sent = [line.split("\t")[3] for line in trace.read().splitlines() if line.split("\t")[1:2] == ["F"]]
    return result, sent


@pytest.fixture
def fiche(portal_data):
    return "ingenieur-traitement-de-l-image"


def test_a_fiche_is_read_in_two_round_trips_of_statements_prepared_once(fiche):
    first, sent_first = traced(lambda: published_fiche(fiche))
    again, sent_again = traced(lambda: published_fiche(fiche))
    # The first read prepares the métier's statement and its five others...
    assert sent_first.count("Parse") == 6
    # ...which the next read only binds to its values: no statement is parsed again.
    assert "Parse" not in sent_again
    assert sent_again.count("Bind") == 6
    # One Sync per round trip: the métier, then its appellations, salaries, formations,
    # associated métiers and links together.
    assert sent_again.count("Sync") == 2
    assert again.titre == first.titre
    assert [a.libelle for a in again.appellations.all()] == [a.libelle for a in first.appellations.all()]
    assert again.etiquettes == first.etiquettes


def test_without_prepared_statements_the_same_rows_come_in_one_query_string(fiche, monkeypatch):
    prepared = read_together(connection, [("SELECT %s::int + 1", [1]), ("SELECT %s", ["l'a ; b"])])
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)  # DB_PREPARED_STATEMENTS=0
    plain, sent = traced(lambda: read_together(connection, [("SELECT %s::int + 1", [1]), ("SELECT %s", ["l'a ; b"])]))
    assert plain == prepared == [[(2,)], [("l'a ; b",)]]
    assert sent == ["Query"]  # both statements in one string, bound on the client


def test_an_error_in_a_prepared_read_is_a_database_error_and_the_connection_goes_on(fiche):
    with pytest.raises(DatabaseError), transaction.atomic():
        read_together(connection, [("SELECT 1", []), ("SELECT 1 / %s::int", [0])])
    assert published_fiche(fiche).titre.startswith("ingénieur")


def test_a_prepared_read_is_logged_as_one_query_with_its_values(fiche, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        read_together(connection, [("SELECT %s::int", [7]), ("SELECT %s", ["sept"])])
    assert captured.captured_queries[0]["sql"] == "SELECT 7::int; SELECT 'sept'"
