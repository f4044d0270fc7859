"""The métier search on the seed fiches, on whichever backend the suite runs."""

import pytest
from django.db import connection

from metiers.models import Metier

IMAGE = "ingenieur-traitement-de-l-image"
EMBARQUE = "ingenieur-systemes-embarques-et-ia"
IA = "ingenieur-en-intelligence-artificielle"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and trigrams are PostgreSQL features"
)


def found(query):
    """Slugs of the published métiers found, best first."""
    results = Metier.objects.published().search(query).order_by("-rank", "pk")
    return [metier.slug for metier in results]


@pytest.mark.parametrize("query", ["ingenieur image", "traitement de l'image", "Traitement de l’Image"])
def test_image_processing_engineer_comes_first(portal_data, query):
    assert found(query)[0] == IMAGE


def test_accents_and_case_are_ignored(portal_data):
    assert sorted(found("INGÉNIEURE")) == sorted([IMAGE, EMBARQUE, IA])


@pytest.mark.parametrize("query", ["Edge AI", "embarqué", "EMBARQUE", "embedded ai engineer"])
def test_other_titles_are_searched(portal_data, query):
    assert found(query)[0] == EMBARQUE


def test_last_word_matches_as_a_prefix(portal_data):
    assert found("intelligence artif")[0] == IA
    assert found("embarq")[0] == EMBARQUE


@pytest.mark.parametrize("query", ["ingénieur/e robotique", "Ingénieur(e) robotique", "ingénieur·e robot"])
def test_a_title_written_without_the_feminine_ending_is_found_with_it(portal_data, query):
    # Titles write « ingénieur/e »; a query copied from one still finds « ingénieur ».
    Metier.objects.create(titre="ingénieur robotique", slug="robotique", publication=Metier.Publication.PUBLIE)
    Metier.objects.all().refresh_search_index()
    assert found(query)[0] == "robotique"


def test_every_word_must_match(portal_data):
    assert found("embarqué zzzzzz") == []


def test_a_query_matching_nothing_finds_nothing(portal_data):
    assert found("zzzzzz") == []


def test_title_match_outranks_body_only_match(portal_data):
    embarque, other = Metier.objects.get(slug=EMBARQUE), Metier.objects.get(slug=IA)
    other.accroche = "Travaille parfois sur des cartes nommées zorglub."
    other.save()
    embarque.titre = "ingénieur/e zorglub embarqué"
    embarque.save()
    Metier.objects.all().refresh_search_index()

    results = list(Metier.objects.search("zorglub").order_by("-rank", "pk"))

    assert [metier.slug for metier in results] == [EMBARQUE, IA]
    assert results[0].rank > results[1].rank


def test_drafts_are_not_published(portal_data):
    Metier.objects.filter(slug=IMAGE).update(publication=Metier.Publication.BROUILLON)
    assert IMAGE not in found("image")


@pytest.mark.parametrize(
    "query",
    [
        "ingenieur\x00image",
        "x" * 10_000,
        "!!! ??? ...",
        "& | ! : * ( ) '",
        "image:* & !ingenieur | (ia",
        "'; DROP TABLE metiers_metier; --",
        "1' OR '1'='1",
        "\\",
        "%_%",
        "",
        None,
    ],
)
def test_hostile_queries_are_harmless(portal_data, query):
    results = found(query)
    assert isinstance(results, list)
    assert Metier.objects.count() == 3


def test_nul_byte_separates_words(portal_data):
    assert found("ingenieur\x00image")[0] == IMAGE


def test_punctuation_only_finds_nothing(portal_data):
    assert found("& | ! : * ( ) '") == []


def test_percent_and_underscore_are_not_wildcards(portal_data):
    assert found("%") == []
    assert found("_") == []


def test_very_long_query_is_cut_not_refused(portal_data):
    assert found("embarqué " + "x" * 10_000) == []
    assert found("embarqué " * 2_000)[0] == EMBARQUE


@postgresql_only
def test_french_stemming(portal_data):
    assert IMAGE in found("ingénieurs")
    assert found("images traitements") == [IMAGE]


@postgresql_only
def test_misspelling_is_forgiven(portal_data):
    assert found("traitemnt de l'image")[0] == IMAGE


@postgresql_only
def test_search_vector_is_filled_by_refresh(portal_data):
    for column in ("vecteur_recherche", "vecteur_titres"):
        assert not Metier.objects.filter(**{f"{column}__isnull": True}).exists()
    Metier.objects.update(vecteur_recherche=None, vecteur_titres=None)
    Metier.objects.filter(slug=IMAGE).refresh_search_index()
    for column in ("vecteur_recherche", "vecteur_titres"):
        filled = Metier.objects.filter(**{f"{column}__isnull": False}).values_list("slug", flat=True)
        assert list(filled) == [IMAGE]


def test_refresh_is_bulk(portal_data, django_assert_max_num_queries):
    # Métiers, their appellations, their formations, the bulk update, the vector update; on
    # PostgreSQL, the flush of the indexes' pending lists, within a savepoint.
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 5):
        assert Metier.objects.all().refresh_search_index() == 3


@postgresql_only
def test_misspelling_fallback_only_when_full_text_finds_nothing(portal_data, django_assert_num_queries):
    # One EXISTS decides; trigram conditions, slow to plan, stay out of every search that finds.
    with django_assert_num_queries(2) as found_queries:
        assert IMAGE in [m.slug for m in Metier.objects.published().search("traitement image")]
    assert not any("%>" in q["sql"] for q in found_queries.captured_queries)
    with django_assert_num_queries(2) as fallback_queries:
        assert [m.slug for m in Metier.objects.published().search("traitemnt de l'image")] == [IMAGE]
    assert "%>" in fallback_queries.captured_queries[-1]["sql"]
