"""PostgreSQL: the plain SQL reads of a fiche are prepared once per connection and sent
together, one round trip for the métier, one for the rest (portal.postgresql, read_prepared);
a listing's page, with its values written in, from its second execution (repeated_reads).
What goes over the wire is read from libpq's protocol trace."""

import re
import tempfile
from urllib.parse import quote

import pytest
from django.db import DatabaseError, connection, transaction

from formations.models import Formation
from metiers.fiche import published_fiche
from metiers.models import Secteur
from portal.rows import fetch, read_together, repeated_reads

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


def cards(response):
    """The addresses of the fiches a listing page shows, in order."""
    assert response.status_code == 200
    return re.findall(r'class="card__title"><a href="([^"]+)"', response.content.decode())


def page_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%%LIMIT%%' ORDER BY statement")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_listing_page_asked_again_is_neither_parsed_nor_planned_again(client, portal_data):
    address = "/metiers/?niveau=bac-5&secteur=robotique-et-objets-connectes"
    first, sent_first = traced(lambda: client.get(address))
    second, sent_second = traced(lambda: client.get(address))
    third, sent_third = traced(lambda: client.get(address))
    # Its statements go as they did the first time (one query string each); the second
    # time they are prepared (parsed and named on the connection), and from then on only
    # bound to run: PostgreSQL keeps their plans.
    assert "Parse" not in sent_first
    assert sent_second.count("Parse") >= 1
    assert "Parse" not in sent_third and sent_third.count("Bind") == sent_second.count("Parse")
    assert cards(first) == cards(second) == cards(third) != []


def test_a_prepared_page_statement_holds_its_own_values(client, portal_data):
    # Each is planned for its values: a common option and a rare one are two statements.
    ids = {}
    for secteur in ("robotique-et-objets-connectes", "recherche"):
        ids[secteur] = Secteur.objects.get(slug=secteur).pk
        for _ in range(2):
            client.get(f"/metiers/?secteur={secteur}")
    statements = page_statements()
    assert len(statements) == 2
    assert not any("$1" in statement for statement in statements)
    assert sorted(re.findall(r"secteur_id\" IN \((\d+)\)", " ".join(statements))) == sorted(map(str, ids.values()))


@pytest.mark.parametrize("query", ["traitement de l'image", "Edge AI", "ingénieur"])
def test_a_search_reads_the_same_rows_prepared_or_not(client, portal_data, monkeypatch, query):
    address = f"/metiers/?q={quote(query)}"
    prepared = [cards(client.get(address)) for _ in range(3)]
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)  # DB_PREPARED_STATEMENTS=0
    plain, sent = traced(lambda: cards(client.get(address)))
    assert prepared[0] == prepared[2] == plain != []
    assert "Bind" not in sent


def test_a_repeated_read_is_logged_with_its_values(portal_data, django_assert_num_queries):
    # Sent as text, then prepared, then by the name of the prepared statement: each time
    # logged as the statement with its values.
    with django_assert_num_queries(3) as captured:
        rows = [fetch(connection, "SELECT %s::int, %s", [7, "l'a"]) for _ in range(3)]
    assert rows == [[(7, "l'a")]] * 3
    assert [query["sql"] for query in captured.captured_queries] == ["SELECT 7::int, 'l''a'"] * 3


def test_an_error_in_a_repeated_read_is_a_database_error_and_the_connection_goes_on(fiche):
    for _ in range(2):
        with pytest.raises(DatabaseError), transaction.atomic():
            fetch(connection, "SELECT 1 / %s::int", [0])
    assert fetch(connection, "SELECT 1 / %s::int", [1]) == [(1,)]
    assert published_fiche(fiche).titre.startswith("ingénieur")


def test_a_formation_search_page_asked_again_is_neither_parsed_nor_planned_again(client, portal_data):
    # Its page is read by the ORM, within portal.rows.repeated_reads.
    address = "/formations/?q=informatique"
    sent = [traced(lambda: client.get(address))[1] for _ in range(3)]
    assert "Parse" not in sent[0] and sent[1].count("Parse") >= 1
    assert "Parse" not in sent[2] and sent[2].count("Bind") == sent[1].count("Parse")
    pages = [client.get(address).content.decode() for _ in range(2)]
    titles = [re.findall(r'class="card__title"><a href="([^"]+)"', page) for page in pages]
    assert titles[0] == titles[1] != []


def test_orm_statements_read_the_same_rows_within_repeated_reads(portal_data):
    def read():
        return [
            sorted(Formation.objects.filter(libelle__icontains="informatique").values_list("slug", flat=True)),
            list(Formation.objects.filter(libelle__contains="100%").values_list("slug", flat=True)),
            list(Formation.objects.extra(where=["libelle LIKE %s"], params=["%%informatique%%"]).values_list("pk", flat=True)),
        ]

    plain = read()
    factory = connection.connection.cursor_factory
    with repeated_reads(connection):
        repeated = [read() for _ in range(3)]
        with pytest.raises(DatabaseError), transaction.atomic():
            fetch(connection, "SELECT 1 / %s::int", [0])
    assert repeated == [plain] * 3 and plain[0] != []
    assert connection.connection.cursor_factory is factory
