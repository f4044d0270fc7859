"""The PostgreSQL search is served by its indexes, and its migration can be undone."""

import pytest
from django.core.management import call_command
from django.db import connection

from metiers.models import Metier
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
