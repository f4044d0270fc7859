"""A formation's page read in plain SQL (formations/fiche.py) gives what the ORM reads."""

import pytest

from formations.fiche import formation_page
from formations.models import Formation, Niveau
from metiers.models import Metier
from portal.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def formation():
    formation = Formation.objects.create(
        libelle="master essais", slug="master-essais", type=Formation.Type.MASTER, onisep_id="FOR.9001",
        niveau=Niveau.objects.get(rang=5), etablissement="Université d'ici", description="Deux ans.",
    )
    metiers = Metier.objects.bulk_create([
        Metier(titre=titre, slug=slug, publication=publication, niveau_acces_id=rang, salaire_debutant=salaire)
        for titre, slug, publication, rang, salaire in [
            ("technicien/ne", "technicien", Metier.Publication.PUBLIE, 2, 1900),
            ("brouillon", "brouillon", Metier.Publication.BROUILLON, 5, None),
            ("architecte", "architecte", Metier.Publication.PUBLIE, None, None),
            ("ingénieur/e d'essais", "essais", Metier.Publication.PUBLIE, 5, 2800),
            ("chef/fe de projet", "chef", Metier.Publication.PUBLIE, 5, None),
        ]
    ])
    formation.metiers.set(metiers)
    formation.sources.set([
        Source.objects.create(code="zeta", titre="Zêta", nature="article"),
        Source.objects.create(code="alpha", titre="Alpha", nature="article"),
    ])
    return formation


def test_the_page_has_the_rows_and_order_the_orm_reads(formation):
    page = formation_page("master-essais", apercu=3)
    expected = Formation.objects.get(pk=formation.pk)
    for name in ("libelle", "slug", "onisep_id", "type", "etablissement", "description", "cree_le", "modifie_le"):
        assert getattr(page.formation, name) == getattr(expected, name), name
    assert page.formation.niveau.libelle == "bac + 5"
    published = expected.metiers.published().order_by("titre", "pk")
    assert [m.pk for m in page.metiers] == [m.pk for m in published[:3]]
    assert page.nb_metiers == published.count() == 4
    assert [s.code for s in page.sources] == [s.code for s in expected.sources.all()] == ["alpha", "zeta"]


def test_cards_come_with_their_level_and_nothing_else(formation, django_assert_num_queries):
    page = formation_page("master-essais", apercu=10)
    with django_assert_num_queries(0):
        cards = [(m.titre, m.niveau_acces and m.niveau_acces.libelle, m.salaire_debutant) for m in page.metiers]
        assert page.formation.niveau.get_absolute_url()
    assert cards == [
        ("architecte", None, None), ("chef/fe de projet", "bac + 5", None),
        ("ingénieur/e d'essais", "bac + 5", 2800), ("technicien/ne", "bac + 2", 1900),
    ]
    assert page.formation.get_deferred_fields() == {"vecteur"}
    assert page.metiers[0].get_deferred_fields() == {f.attname for f in Metier._meta.concrete_fields} - {
        "id", *(Metier._meta.get_field(name).attname for name in Metier.CARD_COLUMNS)
    }


def test_a_formation_without_level_metiers_nor_sources(db):
    Formation.objects.create(libelle="seule", slug="seule", type=Formation.Type.AUTRE)
    page = formation_page("seule", apercu=12)
    assert page.formation.niveau is None
    assert page.metiers == [] and page.nb_metiers == 0 and page.sources == []


def test_an_unknown_address_has_no_page(formation):
    assert formation_page("inconnue", apercu=12) is None
    assert formation_page("'; DROP TABLE formations_formation; --", apercu=12) is None
    assert Formation.objects.filter(pk=formation.pk).exists()
