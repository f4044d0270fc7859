"""A listing page without a search is read in plain SQL (metiers.cards): the same métiers,
in the same order and number, as the FilterSet's queryset, for every filter and order."""

from itertools import product

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from formations.models import Niveau
from metiers.cards import CardRows, SearchRows
from metiers.filters import MetierFilterSet
from metiers.models import Metier
from portal.listing import TitleFirstResults
from tests.factories import make_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied():
    """Métiers that differ in what the filters and orders look at, ties and gaps included."""
    catalogue = make_catalogue(36)
    metiers = catalogue.metiers
    demandes = [*Metier.Demande.values, ""]
    for i, metier in enumerate(metiers):
        Metier.objects.filter(pk=metier.pk).update(
            # Drafts, métiers without a level or a salary, equal salaries and equal titles.
            publication=Metier.Publication.BROUILLON if i % 9 == 4 else Metier.Publication.PUBLIE,
            niveau_acces_id=None if i % 7 == 3 else 2 + i % 7,
            salaire_debutant=None if i % 5 == 1 else 2000 + 100 * (i % 4),
            demande=demandes[i % len(demandes)],
            titre="titre partagé" if i % 8 == 2 else metier.titre,
        )
    # A métier in two sectors comes once; others are in none, or have no interest.
    Metier.secteurs.through.objects.create(metier=metiers[0], secteur=catalogue.secteurs[1])
    Metier.secteurs.through.objects.filter(metier__in=metiers[30:]).delete()
    Metier.centres_interet.through.objects.filter(metier__in=metiers[25:28]).delete()
    Metier.formations.through.objects.filter(metier__in=metiers[::3], formation=catalogue.formations[0]).delete()
    return catalogue


def queries(catalogue):
    """Query strings covering each filter alone, each order, and filters together."""
    niveaux = list(Niveau.objects.values_list("slug", flat=True))
    centres = [c.slug for c in catalogue.centres]
    secteurs = [s.slug for s in catalogue.secteurs]
    statuts = [s.slug for s in catalogue.statuts]
    formations = [f.slug for f in catalogue.formations]
    single = (
        [""]
        + [f"niveau={slug}" for slug in niveaux]
        + [f"niveau_max={slug}" for slug in niveaux]
        + [f"centre_interet={slug}" for slug in centres]
        + [f"centre_interet={centres[0]}&centre_interet={centres[2]}"]
        + [f"secteur={slug}" for slug in secteurs]
        + [f"statut={slug}" for slug in statuts]
        + [f"demande={value}" for value in ("tres_forte", "forte", "moyenne")]
        + [f"formation={slug}" for slug in formations]
        + [f"salaire_min={amount}" for amount in (0, 2100, 2250, 99999)]
        # Ignored values: the listing is then that of the other filters.
        + ["niveau=zz", "secteur=inconnu", "formation=inconnue", "salaire_min=abc"]
    )
    together = [
        f"niveau_max=bac-5&secteur={secteurs[1]}",
        f"centre_interet={centres[0]}&centre_interet={centres[1]}&statut={statuts[0]}&demande=moyenne",
        f"niveau=bac-4&formation={formations[1]}&salaire_min=2100",
        f"secteur={secteurs[0]}&statut={statuts[1]}&centre_interet={centres[2]}&niveau_max=bac-8",
    ]
    orders = ["", "tri=titre", "tri=niveau", "tri=salaire", "tri=pertinence"]
    return [
        "&".join(part for part in (query, order) if part)
        for query, order in [*product(single, orders[:2]), *product(together, orders)]
    ]


def test_each_filter_and_order_reads_the_querysets_metiers(varied, settings, monkeypatch):
    # From row 10 on, a page's rows are found by their ids first (deep pages).
    monkeypatch.setattr("metiers.cards.DEEP_OFFSET", 10)
    checked = 0
    for query in queries(varied):
        settings.COUNT_CACHE = bool(checked % 2)  # counted, or counted once and kept
        filterset = MetierFilterSet(QueryDict(query))
        assert filterset.is_valid() or filterset.form.errors, query
        rows = filterset.page_rows(count_key=f"/metiers/?{query}")
        assert isinstance(rows, CardRows), query
        expected = list(MetierFilterSet(QueryDict(query)).qs.values_list("pk", flat=True))
        assert rows.count() == len(expected), query
        for start, stop in [(0, 20), (20, 40), (7, 11)]:
            assert [metier.pk for metier in rows[start:stop]] == expected[start:stop], query
        checked += 1
    assert checked > 100


def test_the_cards_are_the_querysets_instances_with_their_level(varied):
    query = "tri=niveau"
    rows = MetierFilterSet(QueryDict(query)).page_rows(count_key=None)[0:40]
    expected = list(MetierFilterSet(QueryDict(query)).qs[0:40])
    shown = ("pk", "titre", "slug", "accroche", "niveau_acces_id", "salaire_debutant")
    assert [[getattr(m, name) for name in shown] for m in rows] == [[getattr(m, name) for name in shown] for m in expected]
    assert any(m.niveau_acces is None for m in rows)
    with CaptureQueriesContext(connection) as read:
        levels = [(m.niveau_acces.libelle, m.niveau_acces.slug) for m in rows if m.niveau_acces is not None]
        urls = [m.get_absolute_url() for m in rows]
    assert not read.captured_queries  # the level came with the row
    assert levels == [(m.niveau_acces.libelle, m.niveau_acces.slug) for m in expected if m.niveau_acces is not None]
    assert urls == [m.get_absolute_url() for m in expected]


def test_the_listing_page_shows_the_querysets_cards_in_one_query_for_its_rows(client, varied):
    query = f"niveau_max=bac-6&secteur={varied.secteurs[0].slug}&tri=salaire"
    expected = list(MetierFilterSet(QueryDict(query)).qs[0:20])
    with CaptureQueriesContext(connection) as read:
        response = client.get(f"/metiers/?{query}")
    html = response.content.decode()
    positions = [html.index(f'href="{m.get_absolute_url()}"') for m in expected]
    assert positions == sorted(positions) and len(expected) > 3
    rows = [q["sql"] for q in read.captured_queries if "metiers_metier" in q["sql"] and "LIMIT" in q["sql"]]
    assert len(rows) == 1 and "EXISTS (SELECT 1 FROM" in rows[0]


def test_only_slices_are_read(varied):
    rows = MetierFilterSet(QueryDict("")).page_rows(count_key=None)
    for window in (slice(0, 10, 2), slice(5, None), slice(-1, 3)):
        with pytest.raises(ValueError):
            rows[window]


def test_the_pages_of_a_level_and_an_interest_read_the_querysets_metiers(varied, monkeypatch):
    monkeypatch.setattr("metiers.cards.DEEP_OFFSET", 10)
    published = Metier.objects.published().order_by("titre", "pk")
    pages = [("niveau", niveau.rang, published.filter(niveau_acces=niveau)) for niveau in Niveau.objects.all()]
    pages += [("centre_interet", centre.pk, published.filter(centres_interet=centre)) for centre in varied.centres]
    for kind, pk, metiers in pages:
        rows = CardRows.of_option(kind, pk, count_key=None)
        expected = list(metiers.values_list("pk", flat=True))
        assert rows.count() == len(expected), (kind, pk)
        for start, stop in [(0, 20), (10, 30)]:
            assert [metier.pk for metier in rows[start:stop]] == expected[start:stop], (kind, pk)
    assert any(metiers.count() > 10 for _, _, metiers in pages)


@pytest.fixture
def robots(varied):
    """« robot » in the title of some métiers, only in the summary of others; titles
    without it sort among those with it (« titre partagé »)."""
    for i, metier in enumerate(varied.metiers):
        if i % 3 == 0:
            titre = f"roboticien {i:02d}" if i % 2 else f"zélateur des robots {i:02d}"
            Metier.objects.filter(pk=metier.pk).update(titre=titre)
        elif i % 3 == 1:
            Metier.objects.filter(pk=metier.pk).update(accroche="<p>Il programme des robots.</p>")
    Metier.objects.all().refresh_search_index()
    return varied


postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


@postgresql
@pytest.mark.parametrize("sort_at_once", [0, 500], ids=["index-walk", "one-sort"])
def test_a_search_reads_the_querysets_metiers_in_each_order(robots, settings, monkeypatch, sort_at_once):
    monkeypatch.setattr(TitleFirstResults, "SORT_AT_ONCE", sort_at_once)
    monkeypatch.setattr("metiers.cards.DEEP_OFFSET", 10)
    searches = ["q=robot", "q=robot&tri=titre", "q=robot&tri=niveau", "q=robot&tri=salaire", "q=metier+test",
                "q=robot&niveau_max=bac-6&tri=pertinence", f"q=robo&secteur={robots.secteurs[0].slug}"]
    for n, query in enumerate(searches):
        settings.COUNT_CACHE = bool(n % 2)
        rows = MetierFilterSet(QueryDict(query)).page_rows(count_key=f"/metiers/?{query}")
        assert isinstance(rows, CardRows), query
        expected = MetierFilterSet(QueryDict(query)).results(count_key=None)
        assert rows.count() == expected.count() > 0, query
        for start, stop in [(0, 20), (5, 16), (12, 30)]:
            assert [m.pk for m in rows[start:stop]] == [m.pk for m in expected[start:stop]], (query, start)
    # In relevance order, both groups on one page: titles first.
    rows = MetierFilterSet(QueryDict("q=robot")).page_rows(count_key=None)
    assert isinstance(rows, SearchRows)
    titles = [m.titre.startswith(("roboticien", "zélateur")) for m in rows[0:30]]
    assert titles == sorted(titles, reverse=True) and True in titles and False in titles


@postgresql
def test_a_search_that_finds_nothing_is_left_to_the_queryset(robots, settings):
    settings.COUNT_CACHE = True
    for query in ["q=robotx", f"q=robot&niveau=bac-2&formation={robots.formations[0].slug}&salaire_min=99999"]:
        rows = MetierFilterSet(QueryDict(query)).page_rows(count_key=f"/metiers/?{query}")
        assert not isinstance(rows, CardRows), query


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's search")
def test_a_search_on_sqlite_is_read_by_the_queryset(robots):
    rows = MetierFilterSet(QueryDict("q=robot")).page_rows(count_key=None)
    assert not isinstance(rows, CardRows)
    assert rows.count() > 0
