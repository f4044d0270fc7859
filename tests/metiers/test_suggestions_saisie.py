"""/metiers/suggestions.json: what the search field proposes as one types (the métiers
whose title or appellations have words beginning with each word typed), and its answers
to what it cannot read."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metiers import views
from metiers.models import Metier
from tests.factories import make_catalogue
from tests.plans import plan

URL = "/metiers/suggestions.json"
IMAGE = "/metiers/ingenieur-traitement-de-l-image/"
EMBARQUE = "/metiers/ingenieur-systemes-embarques-et-ia/"


def suggestions(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_a_search_without_accents_proposes_the_fiche_with_its_title_capitalised(client, portal_data):
    data = suggestions(client, "ingenieur im")
    assert data == {
        "q": "ingenieur im",
        "suggestions": [{"titre": "Ingénieur/e traitement de l'image", "url": IMAGE}],
        "orthographe": None,
    }


def test_words_are_beginnings_of_words_not_stems_nor_inner_letters(client, portal_data):
    # « environnem » is longer than the stem of « environnement », a prefix of its words all the same.
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(titre="ingénieur/e environnement")
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").refresh_derived_columns()
    assert [s["url"] for s in suggestions(client, "ingenieur environnem")["suggestions"]] == [IMAGE]
    # « age » is inside « image », not the beginning of any word.
    assert suggestions(client, "age")["suggestions"] == []


def test_an_english_appellation_finds_its_metier(client, portal_data):
    assert [s["url"] for s in suggestions(client, "Edge AI")["suggestions"]] == [EMBARQUE]


def test_at_most_eight_are_proposed_in_title_order(client, db):
    make_catalogue(30)
    data = suggestions(client, "metier de test")
    assert [s["titre"] for s in data["suggestions"]] == [f"Métier de test {i:02d}" for i in range(views.SUGGESTIONS)]
    assert views.SUGGESTIONS == 8


def test_drafts_are_not_proposed(client, portal_data):
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(publication="brouillon")
    assert IMAGE not in [s["url"] for s in suggestions(client, "image")["suggestions"]]


def test_nothing_is_looked_up_before_two_letters(client, portal_data, django_assert_max_num_queries):
    for q in ("", "i", "   ", " i "):
        with django_assert_max_num_queries(1):  # the catalogue version, read by the page cache
            assert suggestions(client, q) == {"q": q, "suggestions": [], "orthographe": None}


def test_a_misspelt_search_proposes_its_spelling(client, portal_data):
    data = suggestions(client, "ingenier imge")
    assert data["suggestions"] == []
    assert data["orthographe"] == "ingénieur image"
    assert suggestions(client, "zzzz qqqq")["orthographe"] is None


def test_other_parameters_are_ignored(client, portal_data):
    plain = suggestions(client, "ingenieur")
    assert suggestions(client, "ingenieur", secteur="inconnu", page="abc", tri="salaire") == plain


@pytest.mark.parametrize(("q", "message"), [
    ("x" * 201, "la recherche dépasse 200 caractères."),
    ("ingénieur\x00image", "la recherche contient un caractère nul."),
])
def test_a_search_the_listing_refuses_is_a_400_saying_why(client, portal_data, q, message):
    response = client.get(URL, {"q": q})
    assert response.status_code == 400
    assert response.json() == {"erreur": message}


def test_only_reading_methods_are_allowed(client, portal_data):
    response = client.post(URL, {"q": "image"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_suggestion_costs_one_query_beside_the_catalogue_version(client, portal_data, django_assert_num_queries):
    suggestions(client, "ingenieur")
    with django_assert_num_queries(2):
        suggestions(client, "ingenieur image")


def test_the_page_cache_keeps_no_suggestion_and_the_browser_keeps_them_a_while(client, settings, portal_data):
    settings.PAGE_CACHE = True
    cache.clear()
    suggestions(client, "ingenieur")
    with CaptureQueriesContext(connection) as again:
        response = client.get(URL, {"q": "ingenieur"})
    assert [query for query in again.captured_queries if "metiers_metier" in query["sql"]]
    assert "private" in response["Cache-Control"] and f"max-age={views.SUGGESTIONS_MAX_AGE}" in response["Cache-Control"]
    cache.clear()


def test_a_new_fiche_is_proposed_at_once_with_the_page_cache_on(client, settings, portal_data):
    settings.PAGE_CACHE = True
    cache.clear()
    assert suggestions(client, "acousticien")["suggestions"] == []
    Metier.objects.create(titre="acousticien/ne", slug="acousticien", publication=Metier.Publication.PUBLIE)
    Metier.objects.filter(slug="acousticien").refresh_derived_columns()
    assert [s["url"] for s in suggestions(client, "acousticien")["suggestions"]] == ["/metiers/acousticien/"]
    cache.clear()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
def test_a_rare_word_is_found_from_the_titles_trigram_index(db):
    Metier.objects.bulk_create(
        Metier(titre=f"métier {n:04d}", slug=f"m-{n:04d}", publication="publie", texte_titres=f"metier {n:04d}")
        for n in range(2000)
    )
    Metier.objects.filter(slug="m-1500").update(texte_titres="metier 1500 acousticien")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metiers_metier")
    # The condition alone (a small table's publication index would otherwise do).
    assert "metier_texte_titres_trgm" in plan(Metier.objects.with_title_words(["acousti"]).order_by())
    rows = Metier.objects.published().with_title_words(["acousti"]).order_by("titre", "pk")[:8]
    assert [m.slug for m in rows] == ["m-1500"]
