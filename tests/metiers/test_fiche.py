"""The fiche's read (`MetierQuerySet.for_fiche`): everything the page shows, in the models' order,
in a number of queries that does not grow with the fiche."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from formations.models import Formation, Niveau
from metiers.models import Appellation, Metier, Salaire, Secteur
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche():
    """A métier with every relation in more than one row, in an order that differs from
    insertion order, and a relation of each kind without a level."""
    bac5 = Niveau.objects.get(rang=5)
    metier = Metier.objects.create(
        titre="ingénieur/e d'essais", slug="essais", accroche="<p>Tester.</p>", onisep_id="MET.9001",
        niveau_acces=bac5, demande=Metier.Demande.FORTE, perspectives="Bonnes.",
        publication=Metier.Publication.PUBLIE,
    )
    Appellation.objects.bulk_create([
        Appellation(metier=metier, libelle="testeur", genre="neutre"),
        Appellation(metier=metier, libelle="ingénieure d'essais", genre="feminin", principale=True),
        Appellation(metier=metier, libelle="ingénieur d'essais", genre="masculin", principale=True),
    ])
    onisep = Source.objects.create(
        code="onisep", titre="ONISEP", nature="fiche_onisep", consulte_le=datetime.date(2026, 3, 1),
    )
    article = Source.objects.create(code="article", titre="Un article", nature="article")
    Salaire.objects.bulk_create([
        Salaire(metier=metier, experience="debutant", periode="annuel", nature="brut",
                montant_min=30000, pays="CH", source=article),
        Salaire(metier=metier, experience="debutant", periode="mensuel", nature="brut",
                montant_min=2500, montant_max=3000, source=onisep),
        Salaire(metier=metier, experience="confirme", periode="mensuel", nature="net",
                montant_max=5000, source=article),
    ])
    formations = Formation.objects.bulk_create([
        Formation(libelle="master essais", slug="master-essais", type=Formation.Type.MASTER, niveau=bac5),
        Formation(libelle="BUT mesures", slug="but-mesures", type=Formation.Type.LICENCE,
                  niveau=Niveau.objects.get(rang=3)),
        Formation(libelle="certificat maison", slug="certificat", type=Formation.Type.MASTER),
    ])
    metier.formations.set(formations)
    associes = Metier.objects.bulk_create([
        Metier(titre="technicien/ne d'essais", slug="technicien", publication=Metier.Publication.PUBLIE,
               niveau_acces=Niveau.objects.get(rang=2), salaire_debutant=1900),
        Metier(titre="chef/fe de projet", slug="chef", publication=Metier.Publication.PUBLIE),
        Metier(titre="brouillon associé", slug="brouillon", publication=Metier.Publication.BROUILLON),
    ])
    metier.metiers_associes.set(associes)
    return metier


def published_fiche(slug):
    return Metier.objects.published().for_fiche().filter(slug=slug).first()


def rows(queryset, *fields):
    return [tuple(getattr(row, name) for name in fields) for row in queryset]


def test_the_fiche_has_the_rows_and_order_the_orm_reads(fiche):
    metier = published_fiche("essais")
    expected = Metier.objects.get(pk=fiche.pk)
    assert metier.pk == expected.pk
    for name in Metier.SECTIONS + ("titre", "slug", "onisep_id", "demande", "perspectives", "publication",
                                   "salaire_debutant", "cree_le", "modifie_le", "import_date"):
        assert getattr(metier, name) == getattr(expected, name), name
    assert metier.niveau_acces.libelle == "bac + 5"
    assert rows(metier.appellations.all(), "pk", "libelle", "genre", "principale", "langue") == rows(
        expected.appellations.all(), "pk", "libelle", "genre", "principale", "langue"
    )
    salaire_fields = ("pk", "experience", "periode", "nature", "montant_min", "montant_max", "devise", "pays")
    assert rows(metier.salaires.all(), *salaire_fields) == rows(
        expected.salaires.order_by("pays", "experience", "pk"), *salaire_fields
    )
    assert rows(metier.formations.all(), "pk", "libelle", "slug", "type", "niveau_id") == rows(
        expected.formations.all(), "pk", "libelle", "slug", "type", "niveau_id"
    )
    assert [m.titre for m in metier.metiers_associes.all()] == ["chef/fe de projet", "technicien/ne d'essais"]


def test_values_have_the_types_the_orm_gives(fiche):
    metier = published_fiche("essais")
    assert metier.modifie_le.tzinfo is not None
    assert {type(a.principale) for a in metier.appellations.all()} == {bool}
    assert {s.source.consulte_le for s in metier.salaires.all()} == {datetime.date(2026, 3, 1), None}


def test_related_rows_come_with_the_fiche(fiche, django_assert_num_queries):
    metier = published_fiche("essais")
    with django_assert_num_queries(0):
        levels = [f.niveau and f.niveau.libelle for f in metier.formations.all()]
        sources = [s.source.code for s in metier.salaires.all()]
        cards = [(m.niveau_acces and m.niveau_acces.libelle, m.salaire_debutant, m.get_absolute_url())
                 for m in metier.metiers_associes.all()]
        assert metier.niveau_acces.get_absolute_url()
    assert levels == ["bac + 3", None, "bac + 5"]
    assert sources == ["article", "article", "onisep"]  # CH first, then FR by experience
    assert cards == [(None, None, "/metiers/chef/"), ("bac + 2", 1900, "/metiers/technicien/")]


def test_columns_no_page_shows_are_not_read(fiche):
    metier = published_fiche("essais")
    assert metier.get_deferred_fields() == set(Metier.HIDDEN_COLUMNS)
    card = metier.metiers_associes.all()[0]
    assert card.get_deferred_fields() == {f.attname for f in Metier._meta.concrete_fields} - {
        "id", *(Metier._meta.get_field(name).attname for name in Metier.CARD_COLUMNS)
    }
    formation = metier.formations.all()[0]
    assert formation.get_deferred_fields() == {"onisep_id", "description", "cree_le", "modifie_le", "vecteur"}


def test_the_page_and_the_api_read_nothing_more_of_the_fiche_s_formations(client, fiche):
    Formation.objects.filter(slug="master-essais").update(etablissement="Université d'essai", onisep_id="FOR.9")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/metiers/essais/").content.decode()
        data = client.get("/api/metiers/essais/").json()
    # A deferred column read by the template or the API would cost a query per formation:
    # each request reads the formations once, with the fiche.
    assert len([q for q in queries if 'FROM "formations_formation"' in q["sql"]]) == 2
    assert "master essais</a> <span class=\"tag tag--plain\">bac\u00a0+\u00a05</span>" \
        "<span class=\"liens-formations__ecole\"> — Université d&#39;essai</span>" in page
    assert [f["libelle"] for f in data["metier"]["formations"]] == ["BUT mesures", "certificat maison", "master essais"]


def test_a_query_chained_on_a_relation_reads_only_this_fiche(fiche):
    other = Metier.objects.create(titre="autre", slug="autre", publication=Metier.Publication.PUBLIE)
    Appellation.objects.create(metier=other, libelle="testeur", genre="neutre")
    metier = published_fiche("essais")
    assert [a.metier_id for a in metier.appellations.filter(libelle="testeur")] == [fiche.pk]


def test_a_fiche_without_level_nor_relations(db):
    Metier.objects.create(titre="seul", slug="seul", publication=Metier.Publication.PUBLIE)
    metier = published_fiche("seul")
    assert metier.niveau_acces is None
    assert not metier.appellations.all() and not metier.salaires.all()
    assert not metier.formations.all() and not metier.metiers_associes.all()


def test_a_draft_or_an_unknown_address_has_no_fiche(fiche):
    Metier.objects.filter(pk=fiche.pk).update(publication=Metier.Publication.BROUILLON)
    assert published_fiche("essais") is None
    assert published_fiche("inconnu") is None
    assert published_fiche("'; DROP TABLE metiers_metier; --") is None
    assert Metier.objects.filter(pk=fiche.pk).exists()


def test_a_fiche_reads_in_as_many_queries_however_many_rows_it_has(fiche, django_assert_num_queries):
    # The métier, then one query per relation: appellations, formations, related métiers,
    # sectors, statuses, interests, sources, salaries with their source.
    with django_assert_num_queries(9):
        metier = published_fiche("essais")
    other = Metier.objects.create(titre="autre", slug="autre", publication=Metier.Publication.PUBLIE)
    with django_assert_num_queries(9):
        metier_seul = published_fiche("autre")
    assert other.pk == metier_seul.pk
    assert len(metier.appellations.all()) == 3 and len(metier.metiers_associes.all()) == 2


def test_the_fiche_comes_tagged(fiche):
    fiche.secteurs.add(Secteur.objects.create(libelle="Essais", slug="essais"))
    metier = published_fiche("essais")
    assert [option.slug for option in metier.etiquettes["secteur"]] == ["essais"]
    assert metier.etiquettes["statut"] == []
    assert metier.codes_sources == ["article", "onisep"]  # the salaries' sources


def test_a_draft_s_related_rows_are_not_read(fiche, django_assert_num_queries):
    Metier.objects.filter(pk=fiche.pk).update(publication=Metier.Publication.BROUILLON)
    with django_assert_num_queries(1):
        assert published_fiche("essais") is None
    assert Metier.objects.for_fiche().get(pk=fiche.pk).appellations.all()
