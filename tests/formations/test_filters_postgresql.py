"""The formations listing's type and level filters on PostgreSQL: the first page is read
from an index in label order and the read stops there, however many formations of other
types or levels come earlier in the alphabet."""

import pytest
from django.db import connection
from django.http import QueryDict

from formations.filters import FormationFilterSet
from formations.models import Formation
from tests.plans import plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")


@pytest.fixture
def catalogue(db):
    """3 000 formations whose labels start with their type, as real ones do: 2 700
    « bachelor … » at bac + 3, then 300 « master … » at bac + 5."""
    Formation.objects.bulk_create(
        [Formation(libelle=f"bachelor {n:04d}", slug=f"b-{n:04d}", type="bachelor", niveau_id=3)
         for n in range(2700)]
        + [Formation(libelle=f"master {n:04d}", slug=f"m-{n:04d}", type="master", niveau_id=5)
           for n in range(300)]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE formations_formation")


def page(params):
    return FormationFilterSet(QueryDict(params)).qs[:20]


@pytest.mark.parametrize(("params", "index"), [
    ("type=master", "formation_type_libelle_idx"),
    ("niveau=bac-5", "formation_niveau_libelle_idx"),
])
def test_a_filter_reads_its_first_page_in_label_order_from_its_index(catalogue, params, index):
    explained = plan(page(params))
    assert index in explained
    assert "Sort" not in explained
    assert [f.slug for f in page(params)] == [f"m-{n:04d}" for n in range(20)]


def test_both_filters_together_still_keep_only_what_both_allow(catalogue):
    assert [f.slug for f in page("type=master&niveau=bac-5")] == [f"m-{n:04d}" for n in range(20)]
    assert list(page("type=master&niveau=bac-3")) == []
