import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from formations.models import Formation
from metiers.models import Appellation, Metier
from sources.models import Source


def generate(**options):
    call_command("generate_catalogue", metiers=40, formations=80, seed=7, stdout=None, **options)


def synthetic_metiers():
    return Metier.objects.filter(sources__code="catalogue-synthetique")


def test_builds_the_requested_sizes_marked_as_fictitious(portal_data):
    generate(appellations=300)
    assert synthetic_metiers().count() == 40
    assert Formation.objects.filter(sources__code="catalogue-synthetique").count() == 80
    assert Appellation.objects.filter(metier__in=synthetic_metiers()).count() == 300
    assert all("fictive" in accroche for accroche in synthetic_metiers().values_list("accroche", flat=True))
    # Credited to a source of an ordinary nature whose title says the data are fictitious.
    source = Source.objects.get(code="catalogue-synthetique")
    assert source.nature == Source.Nature.SAISIE
    assert "fictif" in source.titre
    counts = synthetic_metiers().annotate(n=Count("formations")).values_list("n", flat=True)
    assert min(counts) >= 5 and max(counts) <= 30
    # The seed fiches are left alone.
    assert Metier.objects.exclude(pk__in=synthetic_metiers()).count() == 3
    # Every beginner salary is stored, and is the best monthly lower bound of the métier's own.
    for metier in synthetic_metiers().prefetch_related("salaires"):
        debutants = [s.montant_min for s in metier.salaires.all() if s.experience == "debutant"]
        assert metier.salaire_debutant == max(debutants)


def test_same_seed_same_catalogue_and_no_duplicates_on_rerun(db):
    generate()
    first = list(synthetic_metiers().order_by("slug").values_list("titre", "niveau_acces_id"))
    generate()
    assert list(synthetic_metiers().order_by("slug").values_list("titre", "niveau_acces_id")) == first
    assert Metier.objects.count() == 40


def test_the_catalogue_is_searchable(db):
    generate()
    metier = synthetic_metiers().first()
    assert metier.texte_titres
    assert Metier.objects.published().search(metier.titre).filter(pk=metier.pk).exists()


def test_refuses_impossible_sizes(db):
    with pytest.raises(CommandError):
        call_command("generate_catalogue", metiers=0, formations=80)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes and statistics")
def test_leaves_gin_indexes_folded_and_statistics_fresh(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
    generate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, (pgstatginindex(c.oid)).pending_tuples FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
            " WHERE a.amname = 'gin' AND i.indrelid = 'metiers_metier'::regclass"
        )
        pending = dict(cursor.fetchall())
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'metiers_metier'")
        (estimated,) = cursor.fetchone()
    assert pending and set(pending.values()) == {0}
    assert estimated == Metier.objects.count()
