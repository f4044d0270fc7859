"""On PostgreSQL the formation search reads its GIN index, and the listing order its btree."""

import json
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from core.listing import TitleFirstResults
from formations.filters import FormationFilterSet
from formations.models import Formation
from tests.plans import plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")


def indexed(rows):
    """Write formations in bulk as an import does: then their vectors, then the statistics."""
    Formation.objects.bulk_create(rows)
    Formation.objects.all().refresh_search_vector()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE formations_formation")


@pytest.fixture
def many_formations(db):
    rows = [
        Formation(libelle=f"master numéro {n}", slug=f"f-{n}", type="master", etablissement="Université de Lyon")
        for n in range(3000)
    ]
    rows.append(Formation(libelle="diplôme zorglub", slug="zorglub", type="autre", etablissement="École de Brest"))
    indexed(rows)


def test_search_uses_the_vector_index(many_formations):
    assert "formation_vecteur_gin" in plan(Formation.objects.search("zorglub brest"))
    assert [f.slug for f in Formation.objects.search("zorglub brest")] == ["zorglub"]


def test_listing_order_uses_the_label_index(many_formations):
    queryset = FormationFilterSet({}).qs[:20]
    assert "formation_libelle_idx" in plan(queryset)


@pytest.fixture
def robotics(db):
    """25 formations with « robotique » in the label, 25 with it only in the description,
    and 2 000 others."""
    rows = [Formation(libelle=f"master {n:02d} robotique", slug=f"label-{n:02d}", type="master") for n in range(25)]
    rows += [Formation(libelle=f"aaa licence {n:02d}", slug=f"texte-{n:02d}", type="licence",
                       description="Un parcours de robotique.") for n in range(25)]
    rows += [Formation(libelle=f"bts {n:04d}", slug=f"autre-{n:04d}", type="autre") for n in range(2000)]
    indexed(rows)


def slugs(response):
    assert response.status_code == 200
    return re.findall(r'href="/formations/([^/]+)/"', response.content.decode())


@pytest.mark.parametrize("sort_at_once", [0, 500], ids=["index-walk", "one-sort"])
def test_label_matches_come_first_then_the_others_each_in_label_order(client, robotics, monkeypatch, sort_at_once):
    monkeypatch.setattr(TitleFirstResults, "SORT_AT_ONCE", sort_at_once)
    first, second, third = (slugs(client.get("/formations/", {"q": "robotique", "page": n})) for n in (1, 2, 3))
    assert first == [f"label-{n:02d}" for n in range(20)]
    assert second == [f"label-{n:02d}" for n in range(20, 25)] + [f"texte-{n:02d}" for n in range(15)]
    assert third == [f"texte-{n:02d}" for n in range(15, 25)]


@pytest.fixture
def common_word(db):
    """2 000 formations whose labels all hold « robotique »."""
    indexed(Formation(libelle=f"master {n:04d} robotique", slug=f"m-{n:04d}", type="master") for n in range(2000))


def test_a_common_word_walks_the_label_index_and_counts_from_the_vector_index(common_word):
    results = FormationFilterSet(QueryDict("q=robotique")).results("test")
    assert isinstance(results, TitleFirstResults)
    (first_page,) = results.queries(0, 20)
    explained = plan(first_page)
    assert "formation_libelle_idx" in explained
    assert "Sort" not in explained.split("SubPlan")[0]
    assert "formation_vecteur_gin" in plan(results.matches.filter(results.in_title))
    assert [f.slug for f in results[20:22]] == ["m-0020", "m-0021"]


@pytest.fixture
def clustered(db):
    """1 500 labels without « robotique » first in label order, then 600 with it."""
    rows = [Formation(libelle=f"bts {n:04d}", slug=f"bts-{n:04d}", type="autre") for n in range(1500)]
    rows += [Formation(libelle=f"master robotique {n:04d}", slug=f"m-{n:04d}", type="master") for n in range(600)]
    indexed(rows)


def test_a_page_walks_the_label_index_from_the_first_match(clustered):
    results = FormationFilterSet(QueryDict("q=robotique")).results("test")
    assert results.sizes == {"n": 600, "titres": 600, "debut_titres": "master robotique 0000", "debut_autres": None}
    (first_page,) = results.queries(0, 20)
    explained = plan(first_page)
    assert "Index Cond: ((libelle)::text >= 'master robotique 0000'::text)" in explained
    assert "Sort" not in explained
    assert [f.slug for f in results[0:3]] == ["m-0000", "m-0001", "m-0002"]
    assert [f.slug for f in results[580:600]] == [f"m-{n:04d}" for n in range(580, 600)]


@pytest.fixture
def common_first_word(db):
    """3 000 labels without « robotique », then 1 000 that begin with it: a quarter of the
    formations, as « master » at ten times the catalogue's size."""
    rows = [Formation(libelle=f"bts {n:04d}", slug=f"bts-{n:04d}", type="autre") for n in range(3000)]
    rows += [Formation(libelle=f"robotique {n:04d}", slug=f"r-{n:04d}", type="master") for n in range(1000)]
    indexed(rows)


def test_the_label_group_of_a_search_asks_for_the_words_once(common_first_word):
    results = FormationFilterSet(QueryDict("q=robotique")).results("test")
    results.count()
    (walk,) = results.queries(780, 800)
    # The search's own condition is left to the label match, which implies it: given both,
    # PostgreSQL multiplied the word's frequency by itself, expected 60 rows instead of
    # 1 000, and (at 200 000 formations) sorted the whole group for a deep page.
    assert str(walk.query).count("@@") == 1
    assert "robotique:*A" in str(walk.query)
    assert [f.slug for f in results[780:783]] == ["r-0780", "r-0781", "r-0782"]
    assert [f.slug for f in FormationFilterSet(QueryDict("q=robotique")).in_listing_order()[:2]] == [
        "r-0000", "r-0001",
    ]


@pytest.fixture
def deep_results(db):
    """230 formations with « robotique » in the label, 30 with it only in the description."""
    rows = [Formation(libelle=f"master {n:03d} robotique", slug=f"label-{n:03d}", type="master") for n in range(230)]
    rows += [Formation(libelle=f"aaa licence {n:02d}", slug=f"texte-{n:02d}", type="licence",
                       description="Un parcours de robotique.") for n in range(30)]
    indexed(rows)


@pytest.mark.parametrize("sort_at_once", [0, 500], ids=["index-walk", "one-sort"])
def test_a_deep_page_of_a_search_skips_its_offset_without_ranking_the_skipped_rows(
    client, deep_results, monkeypatch, sort_at_once
):
    monkeypatch.setattr(TitleFirstResults, "SORT_AT_ONCE", sort_at_once)
    with CaptureQueriesContext(connection) as queries:
        page = slugs(client.get("/formations/", {"q": "robotique", "page": 12}))  # rows 220 to 239
    assert page == [f"label-{n:03d}" for n in range(220, 230)] + [f"texte-{n:02d}" for n in range(10)]
    # The walk over the offset reads ids alone: only the page's own rows are read whole.
    walks = [query["sql"] for query in queries.captured_queries if "OFFSET 220" in query["sql"]]
    assert len(walks) == 1
    assert walks[0].startswith('SELECT "formations_formation"."id" AS "pk" FROM')
    assert not any("ts_rank" in query["sql"] for query in queries.captured_queries)


def test_the_api_reads_a_search_like_the_listing(client, deep_results):
    with CaptureQueriesContext(connection) as queries:
        data = client.get("/api/formations/", {"q": "robotique", "page": 12}).json()
    # Read before the next request, which empties the connection's query log.
    walks = [query["sql"] for query in queries.captured_queries if "OFFSET 220" in query["sql"]]
    assert len(walks) == 1
    assert "ts_rank" not in walks[0]
    listing = slugs(client.get("/formations/", {"q": "robotique", "page": 12}))
    assert [f["slug"] for f in data["formations"]] == listing
    assert data["nombre"] == 260


@pytest.mark.parametrize("sort_at_once", [0, 500], ids=["index-walk", "one-sort"])
def test_the_api_s_next_links_go_from_the_label_matches_to_the_others_without_an_offset(
    client, deep_results, monkeypatch, sort_at_once
):
    monkeypatch.setattr(TitleFirstResults, "SORT_AT_ONCE", sort_at_once)
    params = {"q": "robotique", "par_page": 40}
    followed, data, offsets = [], client.get("/api/formations/", params).json(), []
    while True:
        followed += [f["slug"] for f in data["formations"]]
        if data["suivante"] is None:
            break
        with CaptureQueriesContext(connection) as queries:
            data = client.get(data["suivante"]).json()
        offsets += [query["sql"] for query in queries.captured_queries if "OFFSET" in query["sql"]]
    assert followed == [f"label-{n:03d}" for n in range(230)] + [f"texte-{n:02d}" for n in range(30)]
    assert data["page"] == 7 and offsets == []


def pending_pages(index):
    """Pages of the index's pending list that a call moves (0 when it is empty)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        return cursor.fetchone()[0]


def test_a_bulk_write_leaves_nothing_in_the_pending_lists_of_the_search_indexes(db):
    from metiers.models import Metier

    indexed(Formation(libelle=f"master {n:04d} robotique", slug=f"m-{n:04d}", type="master",
                      description="Capteurs, actionneurs et commande. " * 20) for n in range(600))
    Metier.objects.bulk_create(
        Metier(titre=f"roboticien {n:03d}", slug=f"r-{n:03d}", accroche="<p>Des robots.</p>" * 20,
               publication="publie") for n in range(300)
    )
    Metier.objects.all().refresh_search_index()
    assert pending_pages("formation_vecteur_gin") == 0
    assert pending_pages("metier_vecteur_recherche_gin") == 0
    assert pending_pages("metier_texte_titres_trgm") == 0
    assert [f.slug for f in Formation.objects.search("robotique")][:2] == ["m-0000", "m-0001"]


def test_a_role_that_may_not_flush_the_pending_lists_still_writes(db, monkeypatch, caplog):
    from core import search

    # A role that does not own the indexes gets an error from PostgreSQL, as an unknown table does.
    monkeypatch.setattr(search, "FLUSH_PENDING_SQL", "SELECT gin_clean_pending_list(('absent_' || %s)::regclass)")
    indexed([Formation(libelle="master robotique", slug="m", type="master")])
    assert [f.slug for f in Formation.objects.search("robotique")] == ["m"]
    assert "non tassés" in caplog.text


def test_a_saved_formation_is_found_by_its_new_label_at_once(db):
    formation = Formation.objects.create(libelle="master acoustique", slug="m", type="master")
    assert [f.slug for f in Formation.objects.search("acoustique")] == ["m"]
    formation.libelle = "master photonique"
    formation.save()
    assert [f.slug for f in Formation.objects.search("photonique")] == ["m"]
    assert not Formation.objects.search("acoustique").exists()


def test_formations_written_in_bulk_are_searchable(db):
    from django.core.management import call_command

    from tests.metiers.test_import_command import SAMPLES

    call_command("import_fiches", str(SAMPLES / "fiche_quirks.txt"), stdout=None)
    assert [f.onisep_id for f in Formation.objects.search("BUT informatique")] == ["FOR.700"]
    call_command("generate_catalogue", metiers=10, formations=30, seed=3, stdout=None)
    synthetic = Formation.objects.filter(sources__code="catalogue-synthetique")
    assert synthetic.count() == 30
    assert not synthetic.filter(vecteur__isnull=True).exists()


def test_the_exports_list_a_search_in_the_order_of_its_pages(client, db):
    # « zz » says the word three times: ranked by relevance alone, it would come first.
    indexed([
        Formation(libelle="zz robotique robotique robotique", slug="zz", type="master"),
        Formation(libelle="aa robotique", slug="aa", type="master"),
        Formation(libelle="mm autre", slug="mm", type="master", description="De la robotique."),
    ])
    assert slugs(client.get("/formations/", {"q": "robotique"}))[:3] == ["aa", "zz", "mm"]

    exported = json.loads(b"".join(client.get("/formations/export.json", {"q": "robotique"}).streaming_content))
    assert [row["adresse"].split("/")[-2] for row in exported["formations"]] == ["aa", "zz", "mm"]


def test_a_search_computes_no_rank_that_its_order_does_not_use(client, robotics):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/formations/", {"q": "robotique", "page": 2})
    assert slugs(response)[:5] == [f"label-{n:02d}" for n in range(20, 25)]
    assert queries.captured_queries
    assert not [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
