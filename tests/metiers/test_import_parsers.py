"""The two fiche formats, read from small sample files written for these tests."""

from io import BytesIO
from pathlib import Path

import pytest

from metiers.importers import FicheInvalide, FormatInconnu, lire_fichier
from metiers.importers.fiche import lire_niveau, lire_salaire

SAMPLES = Path(__file__).parent / "samples"


def lire(nom):
    _, fiches = lire_fichier(nom, BytesIO((SAMPLES / nom).read_bytes()))
    return list(fiches)


@pytest.fixture
def quirks():
    """CRLF, byte-order mark, non-breaking spaces, indented headings, sections out of order."""
    return lire("fiche_quirks.txt")[0]


def test_sample_really_has_the_quirks():
    donnees = (SAMPLES / "fiche_quirks.txt").read_bytes()
    assert donnees.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in donnees
    assert "\u00a0".encode() in donnees
    assert b"\r\n    ### " in donnees


def test_text_fiche_titles(quirks):
    assert quirks.onisep_id == "MET.900"
    assert quirks.titre == "développeur/euse d'applications mobiles"
    assert quirks.feminin == "développeuse d'applications mobiles"
    assert quirks.masculin == "développeur d'applications mobiles"


def test_doubled_feminine_ending_is_repaired_and_said(quirks):
    assert quirks.autres_appellations == [
        ("informaticien/ne mobile", "informaticienne mobile", "informaticien mobile")
    ]
    assert quirks.avertissements == ["ligne 13 : « informaticienne/ne mobile » corrigé en « informaticien/ne mobile »"]


def test_indented_sub_headings_stay_inside_their_section(quirks):
    assert quirks.sections["nature_travail"] == (
        "<h4>Concevoir</h4><p>Le développeur conçoit des applications. Il les teste sur "
        "<strong>plusieurs</strong> appareils.</p><h3>Publier</h3>"
        "<ul><li>sur les magasins d'applications</li><li>en interne</li></ul>"
    )


def test_missing_sections_are_empty(quirks):
    assert quirks.sections["accroche"] == ""
    assert quirks.sections["competences"] == ""
    assert set(quirks.sections) == {
        "accroche", "nature_travail", "competences", "conditions_travail",
        "vie_professionnelle", "acces_metier", "duree_etudes",
    }


def test_salary_bounds_in_reverse_order_with_nbsp_thousands(quirks):
    salaire = quirks.salaire
    assert (salaire.montant_min, salaire.montant_max, salaire.periode, salaire.nature) == (
        2100, 2500, "mensuel", "brut"
    )
    # The salary is stored as a figure, not repeated in the text.
    assert quirks.sections["vie_professionnelle"] == ""


def test_single_item_lists_and_level_without_spaces(quirks):
    assert [r.libelle for r in quirks.statuts] == ["salarié"]
    assert [r.libelle for r in quirks.centres_interet] == ["je me passionne pour les nouvelles technologies"]
    assert quirks.formations == [("FOR.700", "BUT informatique")]
    assert quirks.niveau == 2


@pytest.mark.parametrize(
    "libelle, rang",
    [("bac + 5", 5), ("Bac + 5", 5), ("Bac+5", 5), ("BAC +3", 3), ("bac", 0), ("Bac + 2 ou équivalent", 2),
     ("", None), ("CAP ou équivalent", None)],
)
def test_levels(libelle, rang):
    assert lire_niveau(libelle, "f.txt", "ligne 1") == rang


@pytest.mark.parametrize("libelle", ["bac + 9", "master", "bac + 5 ans"])
def test_unknown_levels_are_refused(libelle):
    with pytest.raises(FicheInvalide, match="f.txt, ligne 3 : niveau d'accès .* inconnu"):
        lire_niveau(libelle, "f.txt", "ligne 3")


@pytest.mark.parametrize(
    "texte, attendu",
    [
        ("Entre 3333 et 2830 euros brut par mois", (2830, 3333, "mensuel", "brut")),
        ("Entre 2830 et 3333 euros brut par mois", (2830, 3333, "mensuel", "brut")),
        ("35 000 euros net par an", (35000, None, "annuel", "net")),
        ("Jusqu'à 4000 euros", (None, 4000, "mensuel", "brut")),
        ("Entre 2000 et 99999999999 euros", (2000, None, "mensuel", "brut")),
    ],
)
def test_salaries(texte, attendu):
    salaire = lire_salaire(texte)
    assert (salaire.montant_min, salaire.montant_max, salaire.periode, salaire.nature) == attendu


def test_salary_without_figure_is_none():
    assert lire_salaire("Variable selon l'employeur") is None


@pytest.fixture
def ideo():
    return lire("ideo_deux_fiches.xml")


def test_ideo_export_fiches(ideo):
    qualite, technicien = ideo
    assert (qualite.onisep_id, qualite.titre, qualite.niveau) == ("MET.901", "ingénieur/e qualité", 5)
    assert qualite.autres_appellations == [("responsable qualité", "", "")]
    assert [code for code, _ in qualite.formations] == ["FOR.1251", "FOR.801"]
    assert [(r.onisep_id, r.libelle) for r in qualite.statuts] == [("T-ITM.9", "salarié")]
    assert [code for code, _ in qualite.metiers_associes] == ["MET.902", "MET.999"]
    assert (qualite.salaire.montant_min, qualite.salaire.montant_max) == (2600, 3000)
    assert technicien.niveau == 2


def test_ideo_empty_elements_give_empty_values(ideo):
    technicien = ideo[1]
    assert technicien.sections["competences"] == ""
    assert technicien.salaire is None
    assert technicien.statuts == technicien.secteurs == technicien.autres_appellations == []
    assert "duree_etudes" not in technicien.sections


def test_ideo_html_is_sanitised(ideo):
    sections = ideo[0].sections
    assert sections["competences"] == "<p>Rigueur</p>"
    assert "javascript" not in sections["nature_travail"]
    assert "<img" not in sections["nature_travail"]
    assert "<strong>procédés</strong>" in sections["nature_travail"]


def test_format_is_chosen_by_content_not_name():
    texte = (SAMPLES / "fiche_met_999.txt").read_bytes()
    xml = (SAMPLES / "ideo_deux_fiches.xml").read_bytes()
    assert lire_fichier("export.xml", BytesIO(texte))[0] == "texte"
    assert lire_fichier("fiche.txt", BytesIO(xml))[0] == "ideo"


def test_other_files_are_not_fiches():
    with pytest.raises(FormatInconnu):
        lire_fichier("article.txt", BytesIO("Focus métier : ingénieur\nUn article.".encode()))
