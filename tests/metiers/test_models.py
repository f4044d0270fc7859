import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from formations.models import Formation
from metiers.models import Metier, Salaire
from sources.models import Source


@pytest.fixture
def metier(db):
    return Metier.objects.create(titre="ingénieur/e test", slug="ingenieur-test")


@pytest.fixture
def source(db):
    return Source.objects.create(code="test", titre="Source de test", nature="article")


def refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        kwargs.pop("model").objects.create(**kwargs)


@pytest.mark.parametrize("bad", ["MET612", "MET.", "met.12", "MET.12a", "FOR.12", "MET.012"])
def test_metier_onisep_id_must_have_the_right_shape(db, bad):
    refused(model=Metier, titre="x", slug="x", onisep_id=bad)


@pytest.mark.parametrize("bad", ["FOR1251", "FOR.", "MET.1251", "FOR.12 "])
def test_formation_onisep_id_must_have_the_right_shape(db, bad):
    refused(model=Formation, libelle="x", slug="x", onisep_id=bad, type="master")


def test_onisep_ids_are_unique(db):
    Formation.objects.create(libelle="a", slug="a", onisep_id="FOR.1", type="master")
    refused(model=Formation, libelle="b", slug="b", onisep_id="FOR.1", type="master")


def test_salary_minimum_cannot_exceed_maximum(metier, source):
    common = dict(model=Salaire, metier=metier, source=source, experience="debutant",
                  periode="mensuel", nature="brut")
    refused(montant_min=3333, montant_max=2830, **common)
    refused(montant_min=None, montant_max=None, **common)
    refused(montant_min=1, montant_max=2, devise="eur", **common)
    common.pop("model")
    assert Salaire.objects.create(montant_min=2830, montant_max=3333, **common).pk


def stored(metier):
    metier.refresh_from_db(fields=["salaire_debutant"])
    return metier.salaire_debutant


def test_the_stored_beginner_salary_follows_each_salary_saved_or_deleted(metier, source):
    common = dict(metier=metier, source=source, experience="debutant", nature="brut")
    assert stored(metier) is None
    mensuel = Salaire.objects.create(periode="mensuel", montant_min=2500, montant_max=2900, **common)
    assert stored(metier) == 2500
    # A yearly figure counts divided by 12; the best lower bound wins.
    annuel = Salaire.objects.create(periode="annuel", montant_min=36000, montant_max=40000, **common)
    assert stored(metier) == 3000
    # Neither a net figure, nor an experienced one, nor one abroad, nor one without a lower bound.
    Salaire.objects.create(periode="mensuel", montant_min=5000, **{**common, "nature": "net"})
    Salaire.objects.create(periode="mensuel", montant_min=5000, **{**common, "experience": "confirme"})
    Salaire.objects.create(periode="mensuel", montant_min=5000, pays="US", devise="USD", **common)
    Salaire.objects.create(periode="mensuel", montant_max=9000, **common)
    assert stored(metier) == 3000
    annuel.montant_min = 24000
    annuel.save()
    assert stored(metier) == 2500
    mensuel.delete()
    assert stored(metier) == 2000
    Salaire.objects.filter(metier=metier, periode="annuel").delete()
    assert stored(metier) is None


def test_deleting_a_metier_takes_its_salaries_without_recomputing_them(metier, source):
    Salaire.objects.create(metier=metier, source=source, experience="debutant", nature="brut",
                           periode="mensuel", montant_min=2500)
    other = Metier.objects.create(titre="autre", slug="autre")
    Salaire.objects.bulk_create(
        Salaire(metier=other, source=source, experience="debutant", nature="brut", periode="mensuel", montant_min=n)
        for n in range(2000, 2050)
    )
    with CaptureQueriesContext(connection) as queries:
        Metier.objects.filter(pk__in=[metier.pk, other.pk]).delete()
    assert not Metier.objects.exists() and not Salaire.objects.exists()
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "metiers_metier"')]


def test_levels_form_an_ordered_scale(db):
    from formations.models import Niveau

    assert list(Niveau.objects.values_list("libelle", flat=True)) == [
        "bac", "bac + 1", "bac + 2", "bac + 3", "bac + 4",
        "bac + 5", "bac + 6", "bac + 7", "bac + 8",
    ]
    assert Niveau.objects.filter(rang__gte=5).count() == 4


def test_a_fiche_may_not_take_the_address_of_another_page(db):
    metier = Metier(titre="comparer", slug="comparer")
    with pytest.raises(ValidationError) as refused:
        metier.full_clean()
    assert "autre page du portail" in str(refused.value.message_dict["slug"])
