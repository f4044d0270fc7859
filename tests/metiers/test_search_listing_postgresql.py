"""The listing's search on PostgreSQL: title matches first, read page by page from the
title index; misspellings only when full text finds nothing."""

import json
import random
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from core.listing import TitleFirstResults
from metiers.filters import MetierFilterSet
from metiers.models import Metier
from tests.plans import plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


def slugs(response):
    assert response.status_code == 200
    return re.findall(r'class="card__title"><a href="/metiers/([^/]+)/"', unescape(response.content.decode()))


def indexed():
    """The search columns of every métier filled, and the planner's statistics read."""
    Metier.objects.all().refresh_search_index()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metiers_metier")


@pytest.fixture
def acoustics(db):
    """25 métiers with « acoustique » in the title, 25 with it only in the text, 50 without."""
    rows = []
    for n in range(25):
        rows.append(Metier(titre=f"acousticien {n:02d} acoustique", slug=f"titre-{n:02d}",
                           accroche="<p>Un métier.</p>", publication="publie"))
        rows.append(Metier(titre=f"aaa métier {n:02d}", slug=f"texte-{n:02d}",
                           accroche="<p>On y parle d'acoustique.</p>", publication="publie"))
    rows += [Metier(titre=f"autre {n:02d}", slug=f"autre-{n:02d}", accroche="<p>Rien.</p>", publication="publie")
             for n in range(50)]
    Metier.objects.bulk_create(rows)
    indexed()


@pytest.mark.parametrize("sort_at_once", [0, 500], ids=["index-walk", "one-sort"])
def test_title_matches_come_first_then_the_others_each_in_title_order(client, acoustics, monkeypatch, sort_at_once):
    monkeypatch.setattr(TitleFirstResults, "SORT_AT_ONCE", sort_at_once)
    first, second, third = (slugs(client.get("/metiers/", {"q": "acoustique", "page": n})) for n in (1, 2, 3))
    assert first == [f"titre-{n:02d}" for n in range(20)]
    # Page 2 spans both groups: the last title matches, then the text matches, A → Z.
    assert second == [f"titre-{n:02d}" for n in range(20, 25)] + [f"texte-{n:02d}" for n in range(15)]
    assert third == [f"texte-{n:02d}" for n in range(15, 25)]
    assert "50 métiers trouvés" in unescape(client.get("/metiers/", {"q": "acoustique"}).content.decode())


@pytest.fixture
def common_word(db):
    """2 000 métiers whose titles all hold « acoustique »: the case of « ingénieur »."""
    Metier.objects.bulk_create(
        Metier(titre=f"acousticien {n:04d} acoustique", slug=f"m-{n:04d}", accroche="<p>Un métier.</p>",
               publication="publie")
        for n in range(2000)
    )
    indexed()


@pytest.fixture
def few_title_words(db):
    """2 000 métiers whose titles repeat a few words (as the synthetic catalogue's do: the
    planner then knows fewer than a hundred of them), with a body of a few kilobytes."""
    rng = random.Random(6)
    vocabulary = [f"mot{n}" for n in range(3000)]
    roles = ["architecte", "ingénieur/e", "technicien/ne", "chef/fe de projet", "responsable"]
    domaines = ["acoustique", "robotique", "réseaux", "matériaux", "énergie", "logiciel", "essais", "qualité"]
    secteurs = ["l'aéronautique", "la défense", "le spatial", "l'automobile", "la santé", "le bâtiment"]
    Metier.objects.bulk_create(
        Metier(
            titre=f"{rng.choices(roles, [1, 6, 1, 1, 1])[0]} {rng.choice(domaines)} dans {rng.choice(secteurs)}",
            slug=f"m-{n:04d}", publication="publie",
            **{section: " ".join(rng.choices(vocabulary, k=90)) for section in Metier.SECTIONS[:5]},
        )
        for n in range(2000)
    )
    indexed()


def test_titles_of_few_words_are_walked_in_the_title_index_too(few_title_words):
    # The title group of « ingénieur » starts past the first title (« architecte… »): the
    # page walks the index from there, rather than sorting the whole group.
    results = MetierFilterSet(QueryDict("q=ingenieur")).results("test")
    (first_page,) = results.queries(0, 20)
    explained = plan(first_page)
    assert "metier_titre_idx" in explained
    assert "Sort" not in explained.split("SubPlan")[0]


def test_a_common_word_walks_the_title_index_instead_of_ranking_every_match(common_word):
    results = MetierFilterSet(QueryDict("q=acoustique")).results("test")
    assert isinstance(results, TitleFirstResults)
    (first_page,) = results.queries(0, 20)
    # The title match alone, which implies the search.
    assert str(first_page.query).count("@@") == 0 and str(first_page.query).count("ts_match_vq(") == 1
    explained = plan(first_page)
    assert "metier_titre_idx" in explained
    assert "Sort" not in explained.split("SubPlan")[0]
    assert [m.slug for m in results[20:22]] == ["m-0020", "m-0021"]


def test_other_orders_still_sort_the_matches(client, acoustics):
    titles = slugs(client.get("/metiers/", {"q": "acoustique", "tri": "titre"}))
    assert titles[:3] == ["texte-00", "texte-01", "texte-02"]


def test_a_misspelling_falls_back_on_close_titles(client, portal_data):
    assert slugs(client.get("/metiers/", {"q": "traitemnt de l'image"}))[0] == "ingenieur-traitement-de-l-image"
    assert slugs(client.get("/metiers/", {"q": "zzzz qqqq"})) == []


@pytest.mark.parametrize("count_cache", [False, True])
def test_a_misspelling_is_searched_respelt_in_full_text_before_any_trigram(client, portal_data, settings, count_cache):
    # Comparing trigrams with every title close to a common word (« ingénieur ») cost about
    # a second at ×10, for each new misspelling; the respelt search reads the text index.
    # With the cache, « nothing found » for the words typed is kept apart from the answer
    # for their respelling.
    settings.COUNT_CACHE = count_cache
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/metiers/", {"q": "traitemnt de l'image", "tri": "pertinence"})
    assert slugs(response)[0] == "ingenieur-traitement-de-l-image"
    page = unescape(response.content.decode())
    assert "Aucune fiche ne contient tous ces mots\xa0: voici celles de «\xa0traitement de l'image\xa0»." in page
    assert "Vouliez-vous dire" in page  # the respelling, as its own search
    assert not [q["sql"] for q in queries.captured_queries if "%>" in q["sql"]]
    # The same search again: from the cache, the same answer.
    assert slugs(client.get("/metiers/", {"q": "traitemnt de l'image"}))[0] == "ingenieur-traitement-de-l-image"


def test_a_respelling_that_finds_nothing_leaves_the_close_titles(monkeypatch, portal_data):
    monkeypatch.setattr(MetierFilterSet, "respelt", lambda self: "qqqq zzzz")
    filterset = MetierFilterSet(QueryDict("q=traitemnt+de+l%27image"))
    found = list(filterset.results(count_key="test:respelling"))
    assert found[0].slug == "ingenieur-traitement-de-l-image"
    assert filterset.misspelt and filterset.respelling is None and filterset.approximate()


def test_whether_a_search_finds_anything_is_read_from_the_text_index(db):
    # Enough fiches, with text enough, for the planner to walk the table for one row
    # (2 000 short ones, as in `common_word`, are not).
    Metier.objects.bulk_create([
        Metier(titre=f"ingénieur {n:04d} acoustique", slug=f"m-{n:04d}", publication="publie",
               accroche="<p>Un métier de l'acoustique et des vibrations, du bruit et du son.</p>")
        for n in range(3000)
    ])
    indexed()
    for query, found in [("zqxwv", False), ("acoustique", True)]:
        filterset = MetierFilterSet(QueryDict(f"q={query}"))
        with CaptureQueriesContext(connection) as queries:
            matches = filterset.qs
        assert filterset.approximate() is not found
        assert bool(found) == matches.exists()
        first = queries.captured_queries[0]["sql"]  # whether the words typed find anything
        assert "@@" in first and "LIMIT 1" in first
        if found:
            continue  # a word every fiche holds: walking the table is right
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {first}")
            steps = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on metiers_metier" not in steps, steps


def test_exports_and_the_api_forgive_misspellings_too(client, portal_data):
    image = "ingenieur-traitement-de-l-image"
    exported = client.get("/metiers/export.csv", {"q": "traitemnt de l'image"})
    assert exported.status_code == 200
    assert image in b"".join(exported.streaming_content if exported.streaming else [exported.content]).decode()
    api = client.get("/api/metiers/", {"q": "traitemnt de l'image"})
    assert api.status_code == 200
    assert image in api.content.decode()


def test_a_rare_word_reads_its_page_in_one_query(acoustics, django_assert_num_queries):
    results = MetierFilterSet(QueryDict("q=acoustique")).results("test")
    results.count()  # cached from now on, like the paginator's
    with django_assert_num_queries(1):
        page = results[20:40]
    assert [m.slug for m in page] == [f"titre-{n:02d}" for n in range(20, 25)] + [f"texte-{n:02d}" for n in range(15)]


def test_the_exports_list_a_search_in_the_order_of_its_pages(client, db):
    # « zz » says the word three times: ranked by relevance alone, it would come first.
    Metier.objects.bulk_create([
        Metier(titre="zz acoustique acoustique acoustique", slug="zz", accroche="<p>Un métier.</p>", publication="publie"),
        Metier(titre="aa acoustique", slug="aa", accroche="<p>Un métier.</p>", publication="publie"),
        Metier(titre="mm autre", slug="mm", accroche="<p>De l'acoustique.</p>", publication="publie"),
    ])
    Metier.objects.all().refresh_search_index()
    assert slugs(client.get("/metiers/", {"q": "acoustique"})) == ["aa", "zz", "mm"]

    exported = json.loads(b"".join(client.get("/metiers/export.json", {"q": "acoustique"}).streaming_content))
    assert [row["adresse"].split("/")[-2] for row in exported["metiers"]] == ["aa", "zz", "mm"]
    csv_lines = b"".join(client.get("/metiers/export.csv", {"q": "acoustique"}).streaming_content).decode()
    assert re.findall(r"/metiers/(\w+)/", csv_lines) == ["aa", "zz", "mm"]


@pytest.mark.parametrize("tri", ["", "titre", "niveau", "salaire"])
def test_a_search_computes_no_rank_that_its_order_does_not_use(client, acoustics, tri):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/metiers/", {"q": "acoustique", "tri": tri})
    assert response.status_code == 200
    assert len(slugs(response)) == 20
    assert queries.captured_queries
    assert not [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
