"""`manage.py import_fiches`: what it writes, what it refuses, what it leaves alone."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from formations.models import Formation
from metiers.importers import synchro
from metiers.models import Appellation, CentreInteret, LienEnAttente, Metier, Salaire, Secteur, Statut
from sources.models import Source

SAMPLES = Path(__file__).parent / "samples"
SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_0b1025206a4f5046.txt"
FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "portail.json"


def run(*chemins, **options):
    out, err = StringIO(), StringIO()
    call_command("import_fiches", *map(str, chemins), stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def copie(tmp_path, nom, remplacer=None, encoding="utf-8"):
    """A sample copied to tmp_path, optionally with one piece of text replaced."""
    texte = (SAMPLES / nom).read_text(encoding="utf-8-sig")
    if remplacer:
        ancien, nouveau = remplacer
        assert ancien in texte
        texte = texte.replace(ancien, nouveau)
    chemin = tmp_path / nom
    chemin.write_bytes(texte.encode(encoding))
    return chemin


def etat_base():
    """Every row the import may touch, with the columns that say whether it changed."""
    return {
        "metiers": list(Metier.objects.values_list("onisep_id", "modifie_le", "import_valeurs", "publication")),
        "lignes": [
            model.objects.count()
            for model in (
                Appellation, Formation, Salaire, CentreInteret, Secteur, Statut, Source, LienEnAttente,
                Metier.formations.through, Metier.metiers_associes.through, Metier.statuts.through,
            )
        ],
    }


def fixture_objects(model):
    return [o for o in json.loads(FIXTURES.read_text(encoding="utf-8")) if o["model"] == model]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds absent")
def test_seed_fiche_gives_the_facts_of_the_fixtures(db):
    """The ONISEP seed imported into an empty portal yields what fixtures/portail.json holds for it."""
    run(SEED)
    metier = Metier.objects.get(onisep_id="MET.612")
    fixture = next(o for o in fixture_objects("metiers.metier") if o["fields"]["onisep_id"] == "MET.612")
    formations = {o["pk"]: o["fields"]["onisep_id"] for o in fixture_objects("formations.formation")}
    centres = {o["pk"]: o["fields"]["libelle"] for o in fixture_objects("metiers.centreinteret")}
    statuts = {o["pk"]: o["fields"]["libelle"] for o in fixture_objects("metiers.statut")}
    appellations = {
        (a["fields"]["libelle"], a["fields"]["genre"], a["fields"]["principale"])
        for a in fixture_objects("metiers.appellation") if a["fields"]["metier"] == fixture["pk"]
    }
    salaire = next(s["fields"] for s in fixture_objects("metiers.salaire") if s["fields"]["metier"] == fixture["pk"])

    assert metier.titre == fixture["fields"]["titre"]
    assert metier.niveau_acces_id == fixture["fields"]["niveau_acces"] == 5
    assert set(metier.formations.values_list("onisep_id", flat=True)) == {
        formations[pk] for pk in fixture["fields"]["formations"]
    }
    assert metier.formations.count() == 17
    assert set(metier.centres_interet.values_list("libelle", flat=True)) == {
        centres[pk] for pk in fixture["fields"]["centres_interet"]
    }
    assert set(metier.statuts.values_list("libelle", flat=True)) == {statuts[pk] for pk in fixture["fields"]["statuts"]}
    assert set(metier.appellations.values_list("libelle", "genre", "principale")) == appellations
    (importe,) = metier.salaires.all()
    assert (importe.experience, importe.periode, importe.nature, importe.montant_min, importe.montant_max) == (
        salaire["experience"], salaire["periode"], salaire["nature"], 2830, 3333,
    )
    assert importe.source.fichier == SEED.name
    assert metier.salaire_debutant == 2830
    assert metier.import_fichier == SEED.name
    assert metier.import_date is not None


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds absent")
def test_seed_over_the_fixtures_links_and_duplicates_nothing(portal_data):
    avant = etat_base()["lignes"]
    sortie = run(SEED)
    assert etat_base()["lignes"] == avant
    # The editors' texts of the fixture stay; the import says so.
    assert "MET.612 — nature du travail : modifié par un éditeur, conservé" in sortie
    metier = Metier.objects.get(onisep_id="MET.612")
    assert metier.nature_travail.startswith("<h3>Concevoir des algorithmes</h3>")
    assert metier.publication == Metier.Publication.PUBLIE


def test_second_import_of_the_same_files_changes_nothing(db):
    premiere = run(SAMPLES)
    assert "métiers : 4 créé(s)" in premiere
    avant = etat_base()
    seconde = run(SAMPLES)
    assert etat_base() == avant
    assert "métiers : 0 créé(s), 0 modifié(s), 4 inchangé(s)" in seconde
    assert "Base inchangée" in seconde


def test_changed_file_updates_and_removes_what_it_no_longer_has(db, tmp_path):
    run(SAMPLES / "fiche_quirks.txt")
    modifie = copie(tmp_path, "fiche_quirks.txt", (
        "## Autres appellations\n\n    ### informaticienne/ne mobile\n- Féminin: informaticienne mobile\n"
        "- Masculin: informaticien mobile\n",
        "",
    ))
    texte = modifie.read_text(encoding="utf-8").replace("(ID: FOR.700)", "(ID: FOR.701)").replace(
        "**Statuts possibles:** salarié", ""
    )
    modifie.write_text(texte, encoding="utf-8")
    sortie = run(modifie)
    metier = Metier.objects.get(onisep_id="MET.900")
    assert set(metier.appellations.values_list("libelle", flat=True)) == {
        "développeuse d'applications mobiles", "développeur d'applications mobiles",
    }
    assert list(metier.formations.values_list("onisep_id", flat=True)) == ["FOR.701"]
    assert Formation.objects.filter(onisep_id="FOR.700").exists()
    assert not metier.statuts.exists()
    assert "appellations : 0 créé(s), 0 modifié(s), 2 inchangé(s), 3 supprimé(s)" in sortie
    assert "métiers : 0 créé(s), 1 modifié(s)" in sortie


def test_a_changed_salary_changes_the_stored_beginner_salary(db, tmp_path):
    run(SAMPLES / "fiche_quirks.txt")
    assert Metier.objects.get(onisep_id="MET.900").salaire_debutant == 2100
    # The sample writes its amounts with no-break spaces.
    run(copie(tmp_path, "fiche_quirks.txt", ("2\u00a0100 euros", "2\u00a0400 euros")))
    assert Metier.objects.get(onisep_id="MET.900").salaire_debutant == 2400


def test_new_formations_get_a_kind_guessed_from_their_label(db):
    run(SAMPLES / "ideo_deux_fiches.xml")
    types = dict(Formation.objects.values_list("onisep_id", "type"))
    assert types == {"FOR.1251": "diplome_ingenieur", "FOR.801": "mastere_specialise", "FOR.802": "autre"}


def test_existing_reference_rows_are_reused_and_given_their_onisep_id(portal_data):
    run(SAMPLES / "ideo_deux_fiches.xml")
    salarie = Statut.objects.get(libelle="salarié")
    assert salarie.onisep_id == "T-ITM.9"
    assert Statut.objects.count() == 2
    assert Formation.objects.filter(onisep_id="FOR.1251").count() == 1
    assert Metier.objects.get(onisep_id="MET.901").formations.filter(pk=1).exists()


def test_sections_are_sanitised_before_storing(db):
    run(SAMPLES / "ideo_deux_fiches.xml")
    metier = Metier.objects.get(onisep_id="MET.901")
    stored = " ".join(getattr(metier, champ) for champ in Metier.SECTIONS)
    for danger in ("<script", "<style", "onclick", "onerror", "javascript:", "alert"):
        assert danger not in stored
    assert metier.competences == "<p>Rigueur</p>"


def test_related_metier_arriving_later_is_linked(db):
    run(SAMPLES / "ideo_deux_fiches.xml")
    qualite = Metier.objects.get(onisep_id="MET.901")
    assert list(qualite.metiers_associes.values_list("onisep_id", flat=True)) == ["MET.902"]
    assert list(Metier.objects.get(onisep_id="MET.902").metiers_associes.values_list("onisep_id", flat=True)) == [
        "MET.901"
    ]
    assert list(qualite.liens_en_attente.values_list("onisep_id", "libelle")) == [("MET.999", "auditeur/trice")]

    sortie = run(SAMPLES / "fiche_met_999.txt")
    assert set(qualite.metiers_associes.values_list("onisep_id", flat=True)) == {"MET.902", "MET.999"}
    assert not LienEnAttente.objects.exists()
    assert "liens : 0 créé(s), 1 modifié(s)" in sortie


def test_related_metier_dropped_from_the_file_is_unlinked_both_ways(db, tmp_path):
    run(SAMPLES / "ideo_deux_fiches.xml")
    run(copie(tmp_path, "ideo_deux_fiches.xml", (
        "<metier_associe><id>MET.902</id><libelle>technicien/ne qualité</libelle></metier_associe>", ""
    )))
    assert not Metier.objects.get(onisep_id="MET.901").metiers_associes.exists()
    assert not Metier.objects.get(onisep_id="MET.902").metiers_associes.exists()
    assert Metier.metiers_associes.through.objects.count() == 0


def test_editor_changes_are_kept_and_reported_unless_ecraser(db, tmp_path):
    run(SAMPLES / "fiche_quirks.txt")
    Metier.objects.filter(onisep_id="MET.900").update(nature_travail="<p>Réécrit par un éditeur.</p>", titre="autre")
    modifie = copie(tmp_path, "fiche_quirks.txt", ("Le développeur", "La personne"))

    sortie = run(modifie)
    metier = Metier.objects.get(onisep_id="MET.900")
    assert metier.nature_travail == "<p>Réécrit par un éditeur.</p>"
    assert metier.titre == "autre"
    assert "fiche_quirks.txt — MET.900 — nature du travail : modifié par un éditeur, conservé" in sortie
    assert "fiche_quirks.txt — MET.900 — intitulé : modifié par un éditeur, conservé" in sortie
    assert "champs modifiés par un éditeur, conservés : 2" in sortie

    run(modifie, ecraser=True)
    metier.refresh_from_db()
    assert metier.nature_travail.startswith("<h4>Concevoir</h4><p>La personne conçoit")
    assert metier.titre == "développeur/euse d'applications mobiles"


def test_field_the_editor_did_not_touch_follows_the_file(db, tmp_path):
    run(SAMPLES / "fiche_quirks.txt")
    Metier.objects.filter(onisep_id="MET.900").update(titre="autre")
    run(copie(tmp_path, "fiche_quirks.txt", ("Le développeur", "La personne")))
    metier = Metier.objects.get(onisep_id="MET.900")
    assert "La personne conçoit" in metier.nature_travail
    assert metier.titre == "autre"


def test_editor_added_title_survives_reimport(db, tmp_path):
    run(SAMPLES / "fiche_quirks.txt")
    metier = Metier.objects.get(onisep_id="MET.900")
    Appellation.objects.create(metier=metier, libelle="mobile developer", genre="neutre", langue="en")
    run(copie(tmp_path, "fiche_quirks.txt", ("Le développeur", "La personne")))
    assert metier.appellations.filter(libelle="mobile developer").exists()


def test_publication_option(portal_data):
    run(SAMPLES / "ideo_deux_fiches.xml")
    assert Metier.objects.get(onisep_id="MET.901").publication == Metier.Publication.BROUILLON
    Metier.objects.filter(onisep_id="MET.901").update(publication=Metier.Publication.PUBLIE)
    run(SAMPLES / "ideo_deux_fiches.xml")
    assert Metier.objects.get(onisep_id="MET.901").publication == Metier.Publication.PUBLIE
    run(SAMPLES / "ideo_deux_fiches.xml", "--brouillon")
    assert set(Metier.objects.filter(onisep_id__in=["MET.901", "MET.902"]).values_list("publication", flat=True)) == {
        Metier.Publication.BROUILLON
    }
    run(SAMPLES / "fiche_met_999.txt", "--publier")
    assert Metier.objects.get(onisep_id="MET.999").publication == Metier.Publication.PUBLIE


def test_imported_titles_are_searchable(db):
    run(SAMPLES / "ideo_deux_fiches.xml")
    assert "responsable qualite" in Metier.objects.get(onisep_id="MET.901").texte_titres


def test_progress_is_counted_on_stderr(db, monkeypatch):
    monkeypatch.setattr(synchro, "PROGRESSION_PAS", 1)
    err = StringIO()
    call_command("import_fiches", str(SAMPLES / "ideo_deux_fiches.xml"), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == ["… 1/2 fiches", "… 2/2 fiches"]


def test_dry_run_counts_and_writes_nothing(portal_data):
    avant = etat_base()
    sortie = run(SAMPLES, dry_run=True)
    assert etat_base() == avant
    assert "Essai à blanc : rien n'a été écrit." in sortie
    assert "métiers : 4 créé(s)" in sortie


INVALIDES = [
    ("fiche_met_999.txt", ("**ID:** MET.999\n", ""), "fiche_met_999.txt, ligne 1 : identifiant manquant"),
    ("fiche_met_999.txt", ("MET.999", "MET.99a"), "fiche_met_999.txt, ligne 2 : identifiant métier « MET.99a » mal formé"),
    ("fiche_quirks.txt", ("FOR.700", "FOR-700"), "fiche_quirks.txt, ligne 32 : code formation « FOR-700 » mal formé"),
    ("fiche_quirks.txt", ("Bac+2", "bac + 12"), "fiche_quirks.txt, ligne 36 : niveau d'accès « bac + 12 » inconnu"),
    ("ideo_deux_fiches.xml", ("</metier>\n  <metier>", "</metier>\n  <metier"),
     "ideo_deux_fiches.xml, ligne 33, colonne 4 : XML mal formé"),
    ("ideo_deux_fiches.xml", ("<id>FOR.802</id>", "<id>802</id>"),
     "ideo_deux_fiches.xml, fiche n° 2 (MET.902), élément <formation_min_requise> : code formation « 802 » mal formé"),
    ("ideo_deux_fiches.xml", ("<identifiant>MET.902</identifiant>", "<identifiant/>"),
     "ideo_deux_fiches.xml, fiche n° 2 (sans identifiant), élément <identifiant> : identifiant métier manquant"),
    ("ideo_deux_fiches.xml", ("Bac + 5", "Bac + 5 ans"),
     "ideo_deux_fiches.xml, fiche n° 1 (MET.901), élément <niveau_acces_min> : niveau d'accès « Bac + 5 ans » inconnu"),
    ("ideo_deux_fiches.xml", ("<id>T-ITM.9</id>", f"<id>T-ITM.{'9' * 40}</id>"),
     "ideo_deux_fiches.xml, fiche n° 1 (MET.901), élément <statut> : identifiant de plus de 40 caractères"),
    ("ideo_deux_fiches.xml", ("MET.902</identifiant>", "MET.901</identifiant>"),
     "fiche MET.901 : ce métier figure plusieurs fois dans l'import"),
]


@pytest.mark.parametrize("nom, remplacer, message", INVALIDES)
def test_invalid_file_is_refused_and_nothing_is_written(portal_data, tmp_path, nom, remplacer, message):
    for valide in SAMPLES.iterdir():
        (tmp_path / valide.name).write_bytes(valide.read_bytes())
    copie(tmp_path, nom, remplacer)
    avant = etat_base()
    with pytest.raises(CommandError) as refus:
        run(tmp_path)
    assert message in str(refus.value)
    assert "rien n'a été écrit" in str(refus.value)
    assert etat_base() == avant


def test_unreadable_encoding_is_refused(portal_data, tmp_path):
    chemin = copie(tmp_path, "fiche_met_999.txt", encoding="latin-1")
    avant = etat_base()
    with pytest.raises(CommandError, match="fiche_met_999.txt, ligne 1 : encodage illisible"):
        run(chemin, SAMPLES / "ideo_deux_fiches.xml")
    assert etat_base() == avant


def export_encode(tmp_path, declaration, encoding):
    """The sample Idéo export with this XML declaration (none if empty), written in ``encoding``."""
    texte = (SAMPLES / "ideo_deux_fiches.xml").read_text(encoding="utf-8")
    texte = texte.replace('<?xml version="1.0" encoding="UTF-8"?>\n', declaration)
    chemin = tmp_path / "export.xml"
    chemin.write_bytes(texte.encode(encoding))
    return chemin


@pytest.mark.parametrize("declaration, encoding", [
    ('<?xml version="1.0" encoding="ISO-8859-1"?>\n', "latin-1"),
    ('<?xml version="1.0" encoding="windows-1252"?>\n', "cp1252"),
    # Python's "utf-16" writes the byte order mark, which is how XML tells UTF-16 (appendix F).
    ('<?xml version="1.0" encoding="UTF-16"?>\n', "utf-16"),
    ("", "utf-16"),
    ("", "utf-8-sig"),
])
def test_an_xml_export_is_read_in_the_encoding_it_declares(db, tmp_path, declaration, encoding):
    run(export_encode(tmp_path, declaration, encoding))
    assert Metier.objects.get(onisep_id="MET.901").titre == "ingénieur/e qualité"


@pytest.mark.parametrize("declaration, message", [
    ("", "export.xml, ligne 4, colonne 19 : encodage illisible : un fichier XML sans déclaration d'encodage "
         "doit être en UTF-8"),
    ('<?xml version="1.0" encoding="UTF-8"?>\n',
     "export.xml, ligne 5, colonne 19 : encodage illisible : le fichier n'est pas en « UTF-8 », "
     "l'encodage que déclare sa première ligne"),
    ('<?xml version="1.0" encoding="inconnu"?>\n', "export.xml, ligne 1 : encodage « inconnu » non pris en charge"),
    ('<?xml version="1.0" encoding="Shift_JIS"?>\n', "export.xml, ligne 1 : encodage « Shift_JIS » non pris en charge"),
])
def test_an_xml_export_not_in_the_encoding_it_declares_is_refused(portal_data, tmp_path, declaration, message):
    chemin = export_encode(tmp_path, declaration, "latin-1")
    avant = etat_base()
    with pytest.raises(CommandError) as refus:
        run(chemin)
    assert message in str(refus.value)
    assert etat_base() == avant


def test_xml_entities_are_refused(db, tmp_path):
    bombe = tmp_path / "bombe.xml"
    bombe.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><metiers>&a;</metiers>')
    with pytest.raises(CommandError, match="bombe.xml, en-tête XML : DTD ou entités refusées"):
        run(bombe)


def test_a_file_named_explicitly_must_be_a_fiche_but_a_folder_may_hold_others(db, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Focus métier : un article, pas une fiche.", encoding="utf-8")
    with pytest.raises(CommandError, match="article.txt, ligne 1 : ni fiche texte"):
        run(article)
    copie(tmp_path, "fiche_met_999.txt")
    sortie = run(tmp_path)
    assert "Ignoré : " in sortie
    assert Metier.objects.filter(onisep_id="MET.999").exists()


def export_ideo(tmp_path, premier, nombre):
    """An Idéo export of `nombre` copies of the sample's first fiche, each with its own ids."""
    modele = (SAMPLES / "ideo_deux_fiches.xml").read_text(encoding="utf-8")
    fiche = modele[modele.index("  <metier>"):modele.index("  </metier>") + len("  </metier>\n")]
    fiches = "".join(
        fiche.replace("MET.901", f"MET.{n}").replace("FOR.801", f"FOR.{n}").replace("qualité<", f"qualité {n}<")
        for n in range(premier, premier + nombre)
    )
    chemin = tmp_path / f"export-{premier}.xml"
    chemin.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<metiers>\n{fiches}</metiers>\n', encoding="utf-8")
    return chemin


def test_query_count_does_not_grow_with_the_number_of_fiches(db, tmp_path):
    comptes = []
    for premier, nombre in ((1000, 3), (2000, 40)):
        with CaptureQueriesContext(connection) as requetes:
            run(export_ideo(tmp_path, premier, nombre))
        comptes.append(len(requetes))
    assert Metier.objects.count() == 43
    # The second import finds its interests, sectors and statuses already there.
    assert comptes[1] <= comptes[0]


def test_a_fiche_titled_like_a_page_of_the_portal_gets_another_address(db, tmp_path, client):
    run(copie(tmp_path, "fiche_met_999.txt", ("# auditeur/trice qualité", "# comparer")))
    metier = Metier.objects.get(onisep_id="MET.999")
    assert metier.slug != "comparer"
    metier.publication = Metier.Publication.PUBLIE
    metier.save()
    assert client.get(metier.get_absolute_url()).status_code == 200
