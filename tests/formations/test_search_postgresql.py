"""On PostgreSQL the formation search reads its GIN index, and the listing order its btree."""

import pytest
from django.db import connection

from formations.filters import FormationFilterSet
from formations.models import Formation
from tests.plans import plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")


@pytest.fixture
def many_formations(db):
    Formation.objects.bulk_create(
        Formation(libelle=f"master numéro {n}", slug=f"f-{n}", type="master", etablissement="Université de Lyon")
        for n in range(3000)
    )
    Formation.objects.create(libelle="diplôme zorglub", slug="zorglub", type="autre", etablissement="École de Brest")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE formations_formation")


def test_search_uses_the_expression_index(many_formations):
    assert "formation_recherche_gin" in plan(Formation.objects.search("zorglub brest"))
    assert [f.slug for f in Formation.objects.search("zorglub brest")] == ["zorglub"]


def test_listing_order_uses_the_label_index(many_formations):
    queryset = FormationFilterSet({}).qs[:20]
    assert "formation_libelle_lower_idx" in plan(queryset)
