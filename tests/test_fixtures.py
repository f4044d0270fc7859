"""The seed fixtures hold the facts of the five source documents, quirks fixed."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from formations.models import Formation
from metiers.models import Appellation, Metier, Salaire
from sources.models import Source

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ONISEP_SEED = "000_0b1025206a4f5046.txt"

# Facts read off the seed documents by hand.
ONISEP_FORMATION_IDS = {
    "FOR.1251", "FOR.1437", "FOR.5115", "FOR.5119", "FOR.5138", "FOR.5674", "FOR.5543",
    "FOR.8955", "FOR.10046", "FOR.10197", "FOR.10363", "FOR.10376", "FOR.10458",
    "FOR.10703", "FOR.11930", "FOR.12006", "FOR.12032",
}
IMAGE = "ingenieur-traitement-de-l-image"
EMBARQUE = "ingenieur-systemes-embarques-et-ia"
IA = "ingenieur-en-intelligence-artificielle"

pytestmark = pytest.mark.usefixtures("portal_data")


def salaries(slug):
    return Salaire.objects.filter(metier__slug=slug).select_related("source")


def test_the_three_metiers_are_published_with_their_ids_and_level():
    metiers = {m.slug: m for m in Metier.objects.published().select_related("niveau_acces")}
    assert set(metiers) == {IMAGE, EMBARQUE, IA}
    assert metiers[IMAGE].onisep_id == "MET.612"
    # The articles give no ONISEP id: none is invented.
    assert metiers[EMBARQUE].onisep_id is None
    assert metiers[IA].onisep_id is None
    assert {m.niveau_acces.libelle for m in metiers.values()} == {"bac + 5"}


def test_every_onisep_formation_is_linked_to_the_image_metier():
    image = Metier.objects.get(slug=IMAGE)
    ids = set(image.formations.exclude(onisep_id=None).values_list("onisep_id", flat=True))
    assert ids == ONISEP_FORMATION_IDS
    assert image.formations.count() == 17
    assert Formation.objects.exclude(onisep_id=None).count() == 17


def test_schools_named_by_several_sources_are_not_duplicated():
    # ISEN is FOR.12032, Isep is FOR.1251, ENSTA Bretagne is FOR.5543.
    assert Formation.objects.get(onisep_id="FOR.12032").metiers.filter(slug=EMBARQUE).exists()
    assert Formation.objects.get(onisep_id="FOR.1251").metiers.filter(slug=IA).exists()
    assert Formation.objects.get(onisep_id="FOR.5543").metiers.filter(slug=IA).exists()
    assert not Formation.objects.filter(libelle__icontains="ENSTA").exists()


def test_article_formations_are_present_with_their_level():
    expected = {
        "Graduate Degree Artificial Intelligence and Advanced Visual Computing": ("graduate_degree", 5),
        "MBA management de l'intelligence artificielle": ("mba", 5),
        "mastère spécialisé Big Data": ("mastere_specialise", 6),
        "mastère spécialisé Intelligence artificielle": ("mastere_specialise", 6),
        "mastère spécialisé Expert en sciences des données": ("mastere_specialise", 6),
        "diplôme d'ingénieur de l'ESIEE Paris": ("diplome_ingenieur", 5),
        "diplôme d'ingénieur de l'ENSEA": ("diplome_ingenieur", 5),
    }
    for libelle, (kind, rang) in expected.items():
        formation = Formation.objects.get(libelle=libelle)
        assert (formation.type, formation.niveau_id) == (kind, rang), libelle
    schools = {"Grenoble INP - Ensimag", "Epita", "École centrale de Lille"}
    ia_schools = set(
        Formation.objects.filter(metiers__slug=IA, type="diplome_ingenieur")
        .values_list("etablissement", flat=True)
    )
    assert schools <= ia_schools
    assert Formation.objects.filter(metiers__slug=IA).count() == 20
    assert Formation.objects.filter(metiers__slug=EMBARQUE).count() == 8


def test_onisep_beginner_salary_bounds_are_put_in_order():
    (salaire,) = salaries(IMAGE)
    # The fiche says "Entre 3333 et 2830 euros brut par mois".
    assert (salaire.montant_min, salaire.montant_max) == (2830, 3333)
    assert (salaire.experience, salaire.periode, salaire.nature) == ("debutant", "mensuel", "brut")
    assert (salaire.devise, salaire.pays, salaire.source.code) == ("EUR", "FR", "onisep-met-612")


def test_disagreeing_ai_salaries_are_all_kept_with_their_source():
    figures = {
        (s.source.fichier[:3], s.experience, s.devise, s.montant_min, s.montant_max)
        for s in salaries(IA)
    }
    assert figures == {
        ("002", "debutant", "EUR", 35000, 45000),
        ("002", "confirme", "EUR", None, 80000),
        ("002", "non_precise", "USD", 100000, 150000),
        ("003", "debutant", "EUR", 25000, 30000),
        ("003", "confirme", "EUR", 50000, None),
    }
    assert {s.periode for s in salaries(IA)} == {"annuel"}
    (embarque,) = salaries(EMBARQUE)
    assert (embarque.montant_min, embarque.montant_max, embarque.periode) == (3800, 7000, "mensuel")


def test_appellations_cover_genders_other_titles_and_english():
    image = set(Appellation.objects.filter(metier__slug=IMAGE).values_list("libelle", "genre", "principale"))
    assert ("ingénieure traitement de l'image", "feminin", True) in image
    assert ("ingénieur traitement de l'image", "masculin", True) in image
    # The source's typo "ingénieure/e informaticien/ne" is fixed.
    assert ("ingénieur/e informaticien/ne", "neutre", False) in image
    assert ("ingénieure informaticienne", "feminin", False) in image
    assert len(image) == 8
    english = set(Appellation.objects.filter(langue="en").values_list("libelle", flat=True))
    assert english == {"Embedded AI Engineer", "AI engineer"}
    assert Appellation.objects.filter(metier__slug=EMBARQUE, libelle="ingénieur Edge AI").exists()


def test_interests_statuses_and_sources():
    image = Metier.objects.get(slug=IMAGE)
    assert set(image.centres_interet.values_list("libelle", flat=True)) == {
        "j'aime jongler avec les chiffres",
        "j'aime organiser, gérer",
        "je me passionne pour les nouvelles technologies",
    }
    assert list(image.statuts.values_list("libelle", flat=True)) == ["salarié"]
    assert Source.objects.count() == 5
    assert Metier.objects.get(slug=IA).sources.count() == 3
    assert Metier.objects.get(slug=EMBARQUE).demande == "tres_forte"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds/ is not beside this checkout")
def test_hand_read_facts_match_the_onisep_seed_file():
    text = (SEEDS / ONISEP_SEED).read_text(encoding="utf-8")
    assert set(re.findall(r"\(ID: (FOR\.\d+)\)", text)) == ONISEP_FORMATION_IDS
    assert re.search(r"\*\*ID:\*\* (MET\.\d+)", text).group(1) == "MET.612"
    assert re.search(r"Niveau d'accès minimum:\*\* (bac \+ \d)", text).group(1) == "bac + 5"
    bounds = sorted(int(n) for n in re.search(r"Entre (\d+) et (\d+) euros brut par mois", text).groups())
    assert bounds == [2830, 3333]
    files = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert files == sorted(Source.objects.values_list("fichier", flat=True))


@pytest.mark.parametrize("options", [{}, {"force": True}])
def test_loading_again_duplicates_nothing(options):
    def counts():
        return (Metier.objects.count(), Formation.objects.count(), Appellation.objects.count(),
                Salaire.objects.count())

    before = counts()
    call_command("load_portal_data", verbosity=0, **options)
    assert counts() == before == (3, 42, 29, 7)


def test_loading_again_keeps_an_editors_change():
    Metier.objects.filter(slug=IA).update(titre="ingénieur/e IA (modifié)")
    call_command("load_portal_data", verbosity=0)
    assert Metier.objects.get(slug=IA).titre == "ingénieur/e IA (modifié)"
