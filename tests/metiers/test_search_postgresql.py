"""The PostgreSQL search is served by its indexes, and its migration can be undone."""

import pytest
from django.core.management import call_command
from django.db import connection

from core.search import search_words, tsquery
from metiers.models import Appellation, Metier
from tests.plans import plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")

INDEXES = {"metier_vecteur_recherche_gin", "metier_texte_titres_trgm"}


def index_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'metiers_metier'")
        return {name for (name,) in cursor.fetchall()}


def configuration_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'french_unaccent'")
        return cursor.fetchone()[0] == 1


def test_search_indexes_exist(db):
    assert INDEXES <= index_names()
    assert configuration_exists()


@pytest.fixture
def many_metiers(db):
    Metier.objects.bulk_create(
        Metier(
            titre=f"ingénieur/e numéro {n}", slug=f"metier-{n}", publication=Metier.Publication.PUBLIE,
            accroche=f"Un métier parmi d'autres, le {n}e.",
        )
        for n in range(2000)
    )
    Metier.objects.create(titre="ingénieur/e zorglub", slug="zorglub", publication="publie")
    Metier.objects.all().refresh_search_index()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metiers_metier")


def test_search_uses_the_vector_index_and_misspellings_the_trigram_index(many_metiers):
    assert "metier_vecteur_recherche_gin" in plan(Metier.objects.search("zorglub"))
    # A misspelling finds nothing in full text, and falls back on the titles' trigrams
    # (ordered by closeness, as the listing does).
    assert "metier_texte_titres_trgm" in plan(Metier.objects.search("zorglbu").order_by("-rank"))


def test_search_finds_among_many(many_metiers):
    assert [m.slug for m in Metier.objects.search("zorglub")] == ["zorglub"]
    assert Metier.objects.search("numéro 1234").order_by("-rank", "pk")[0].slug == "metier-1234"


@pytest.fixture
def titles_and_bodies(db):
    """Words in titles, in appellations only, in the body only, and split between them."""
    fiches = {
        "robot": ("Roboticien/ne", ["Ingénieur/e en robotique industrielle"], "Programme des cellules de soudure."),
        "soudeur": ("Soudeur/euse", [], "Travaille avec des robots et des capteurs."),
        "spatial": ("Ingénieur/e environnement dans le spatial", [], "Études d'impact des lanceurs."),
        "terre": ("Géologue", ["Ingénieur/e géotechnicien/ne"], "Environnement, sols, risques naturels dans le spatial."),
        "vide": ("Cartographe", [], ""),
    }
    for slug, (titre, appellations, accroche) in fiches.items():
        metier = Metier.objects.create(titre=titre, slug=slug, publication="publie", accroche=accroche)
        for libelle in appellations:
            Appellation.objects.create(metier=metier, libelle=libelle, genre="neutre")
    Metier.objects.all().refresh_search_index()


def slugs_where(condition, query):
    return set(Metier.objects.filter(**{condition: query}).values_list("slug", flat=True))


QUERIES = [
    "robot", "robotique", "robots", "rob", "soudure", "robot soudure", "ingénieur", "ingénieur/e environnement",
    "ingénieur/e environnement dans le spatial", "environnement spatial", "géotechnicien", "géo", "cartographe",
    "capteurs", "impact", "ingénieur robotique industrielle", "soudeur robots", "zorglub",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_titles_vector_finds_what_the_weighted_words_of_the_search_vector_find(titles_and_bodies, query):
    # The relevance order asks whether every word is in a title: `vecteur_titres` answers
    # it, as the words of weight A of `vecteur_recherche` did.
    words = search_words(query)
    assert slugs_where("vecteur_titres", tsquery(words)) == slugs_where("vecteur_recherche", tsquery(words, weight="A"))


def test_the_titles_vector_holds_titles_and_appellations_only(titles_and_bodies):
    found = lambda query: slugs_where("vecteur_titres", tsquery(search_words(query)))  # noqa: E731
    assert found("robotique") == {"robot"}  # an appellation
    assert found("robots") == {"robot"}  # the body of « soudeur » does not count
    assert slugs_where("vecteur_recherche", tsquery(["robots"])) == {"robot", "soudeur"}
    assert found("environnement spatial") == {"spatial"}
    assert found("géotechnicien") == {"terre"}
    assert found("robot soudure") == set()
    assert [m.slug for m in Metier.objects.search("robot").order_by("-rank", "slug")] == ["robot", "soudeur"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_titles_vector_migration_fills_the_existing_rows():
    Metier.objects.create(titre="Roboticien/ne", slug="robot", publication="publie", accroche="Soudure.")
    Metier.objects.create(titre="Géologue", slug="terre", publication="publie")
    Metier.objects.all().refresh_search_index()
    call_command("migrate", "metiers", "0009", verbosity=0)
    try:
        call_command("migrate", "metiers", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT slug FROM metiers_metier"
                " WHERE vecteur_titres = to_tsvector('french_unaccent', texte_titres) ORDER BY slug"
            )
            assert [slug for (slug,) in cursor.fetchall()] == ["robot", "terre"]
    finally:
        call_command("migrate", verbosity=0)
        Metier.objects.all().delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_search_migration_is_reversible():
    call_command("migrate", "metiers", "0001", verbosity=0)
    call_command("migrate", "formations", "0002", verbosity=0)
    try:
        assert not INDEXES & index_names()
        assert not configuration_exists()
    finally:
        call_command("migrate", verbosity=0)
    assert INDEXES <= index_names()
    assert configuration_exists()
