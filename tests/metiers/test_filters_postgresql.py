"""The listing's sector, status and interest filters on PostgreSQL: a common one reads
the first page from the title index and stops there, whatever the catalogue's size."""

import pytest
from django.db import connection
from django.http import QueryDict

from metiers.filters import MetierFilterSet
from metiers.models import Metier, Secteur
from tests.plans import plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")


@pytest.fixture
def sectors(db):
    """3 000 métiers: every other one in « commun », three in « rare »."""
    commun = Secteur.objects.create(libelle="commun", slug="commun")
    rare = Secteur.objects.create(libelle="rare", slug="rare")
    metiers = Metier.objects.bulk_create(
        Metier(titre=f"métier {n:04d}", slug=f"m-{n:04d}", publication="publie") for n in range(3000)
    )
    link = Metier.secteurs.through
    link.objects.bulk_create(
        [link(metier=m, secteur=commun) for m in metiers[::2]]
        + [link(metier=m, secteur=rare) for m in (metiers[5], metiers[1500], metiers[2999])]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metiers_metier; ANALYZE metiers_metier_secteurs")


def page(params):
    return MetierFilterSet(QueryDict(params)).qs[:20]


def test_a_common_sector_walks_the_title_index_and_stops_at_the_page(sectors):
    explained = plan(page("secteur=commun"))
    assert "metier_titre_idx" in explained
    assert "Sort" not in explained.split("SubPlan")[0]
    assert [m.slug for m in page("secteur=commun")] == [f"m-{n:04d}" for n in range(0, 40, 2)]


def test_a_deep_page_of_the_whole_listing_reads_its_ids_from_the_title_index_alone(sectors):
    # How `core.listing.rows_between` reads page 50: its ids first.
    listing = MetierFilterSet(QueryDict("")).qs
    explained = plan(listing.values_list("pk", flat=True)[980:1000])
    assert "Index Only Scan using metier_titre_idx" in explained
    assert "Sort" not in explained
    assert list(listing.values_list("slug", flat=True)[980:1000]) == [f"m-{n:04d}" for n in range(980, 1000)]


def test_a_rare_sector_finds_its_few_metiers(sectors):
    assert [m.slug for m in page("secteur=rare")] == ["m-0005", "m-1500", "m-2999"]


@pytest.fixture
def salaries(db):
    """3 000 métiers with a stored beginner salary each, every tenth one without."""
    Metier.objects.bulk_create(
        Metier(titre=f"métier {n:04d}", slug=f"m-{n:04d}", publication="publie",
               salaire_debutant=None if n % 10 == 0 else 2000 + n)
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metiers_metier")


def test_the_salary_order_reads_its_page_from_the_salary_index(salaries):
    explained = plan(page("tri=salaire"))
    assert "metier_salaire_idx" in explained
    assert "Sort" not in explained
    assert [m.salaire_debutant for m in page("tri=salaire")] == [2000 + n for n in range(2999, -1, -1) if n % 10][:20]
    last = MetierFilterSet(QueryDict("tri=salaire")).qs.reverse()[:1]
    assert [m.salaire_debutant for m in last] == [None]


@pytest.fixture
def demands(db):
    """3 000 métiers whose sources say nothing of the demand, but three: one « très forte »,
    two « forte »."""
    metiers = Metier.objects.bulk_create(
        Metier(titre=f"métier {n:04d}", slug=f"m-{n:04d}", publication="publie") for n in range(3000)
    )
    Metier.objects.filter(pk=metiers[2999].pk).update(demande=Metier.Demande.TRES_FORTE)
    Metier.objects.filter(pk__in=[metiers[7].pk, metiers[1500].pk]).update(demande=Metier.Demande.FORTE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metiers_metier")


def test_a_rare_demand_is_found_from_its_index_not_by_walking_every_title(demands):
    explained = plan(page("demande=forte"))
    assert "metier_demande_idx" in explained
    assert [m.slug for m in page("demande=forte")] == ["m-0007", "m-1500", "m-2999"]
    assert [m.slug for m in page("demande=tres_forte")] == ["m-2999"]
