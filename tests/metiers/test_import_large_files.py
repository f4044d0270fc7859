"""Large imports: an export is read as a stream and written a batch of fiches at a time, and
the import stays all or nothing."""

import importlib.util
import re
import shutil
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.db import DatabaseError, transaction

from formations.models import Formation
from metiers.importers import synchro
from metiers.models import Appellation, CentreInteret, LienEnAttente, Metier, Salaire, Secteur, Statut
from tests.metiers.test_import_command import SAMPLES, etat_base, run

BENCH = Path(__file__).resolve().parents[2] / "bench"
# Each many-to-many table of the métiers, with what names the row it points to.
ENSEMBLES = {"formations": "formation__onisep_id", "statuts": "statut__slug", "secteurs": "secteur__slug",
             "centres_interet": "centreinteret__slug", "sources": "source__code"}


def ecrire_export(chemin, fiches, graine=1):
    """bench/ideo_generate.py's synthetic export: ONISEP-like fiches that name one another,
    a few of them absent from the file, drawing on shared formations and references."""
    spec = importlib.util.spec_from_file_location("bench_ideo_generate", BENCH / "ideo_generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ecrire_export(chemin, fiches, graine)
    return chemin


def casser_la_fin(chemin, ancien, nouveau):
    """The export with its last occurrence of `ancien` replaced."""
    donnees = chemin.read_bytes()
    debut = donnees.rindex(ancien)
    chemin.write_bytes(donnees[:debut] + nouveau + donnees[debut + len(ancien):])
    return chemin


def pic_de_memoire(fonction):
    """The most memory Python held while `fonction` ran."""
    tracemalloc.start()
    try:
        fonction()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def trie(lignes):
    # Rows from the fixtures may hold NULLs, which do not compare with values.
    return sorted(lignes, key=repr)


def decrire():
    """What imports wrote, named by ONISEP ids, labels and slugs rather than keys and dates."""
    return {
        "métiers": trie(Metier.objects.values_list(
            "onisep_id", "titre", "slug", "publication", "niveau_acces", "nature_travail", "vie_professionnelle",
            "salaire_debutant", "texte_titres", "texte_corps", "import_fichier",
        )),
        "appellations": trie(Appellation.objects.values_list("metier__onisep_id", "libelle", "genre", "principale")),
        "salaires": trie(Salaire.objects.values_list(
            "metier__onisep_id", "source__code", "montant_min", "montant_max", "periode", "nature"
        )),
        "formations": trie(Formation.objects.values_list("onisep_id", "libelle", "slug", "type", "niveau")),
        "références": trie(
            (model.__name__, *ligne) for model in (CentreInteret, Secteur, Statut)
            for ligne in model.objects.values_list("libelle", "onisep_id", "slug")
        ),
        "liens": trie(Metier.metiers_associes.through.objects.values_list(
            "from_metier__onisep_id", "to_metier__onisep_id"
        )),
        "en attente": trie(LienEnAttente.objects.values_list("metier__onisep_id", "onisep_id", "libelle")),
        **{
            nom: trie(getattr(Metier, nom).through.objects.values_list("metier__onisep_id", cible))
            for nom, cible in ENSEMBLES.items()
        },
    }


@pytest.fixture
def export(tmp_path):
    """About 7 Mo: 1 500 fiches, several batches."""
    return ecrire_export(tmp_path / "national.xml", 1500)


def test_checking_an_export_holds_one_fiche_at_a_time(db, export):
    casser_la_fin(export, b">MET.101499<", b">MET.x<")

    def importer():
        with pytest.raises(CommandError, match=r"fiche n° 1500 \(MET.x\)"):
            run(export)

    # Parsed whole, the element tree and the fiches would take several times the file.
    assert pic_de_memoire(importer) < export.stat().st_size / 4


@pytest.mark.parametrize("ancien, nouveau, message", [
    (b"</metiers>", b"</metier>", r"national.xml, ligne \d+, colonne \d+ : XML mal formé"),
    (b"<id>FOR.", b"<id>FOR-", r"national.xml, fiche n° 1500 \(MET.101499\), élément <formation_min_requise> : "
                               r"code formation « FOR-\d+ » mal formé"),
])
def test_a_bad_end_of_a_large_export_writes_nothing(portal_data, export, ancien, nouveau, message):
    casser_la_fin(export, ancien, nouveau)
    avant = etat_base()
    with pytest.raises(CommandError) as refus:
        run(export)
    assert re.search(message, str(refus.value))
    assert etat_base() == avant


def test_a_failure_after_batches_were_written_undoes_them(portal_data, tmp_path, monkeypatch):
    monkeypatch.setattr(synchro, "LOT", 10)
    chemin = ecrire_export(tmp_path / "national.xml", 45)

    def refuser(self):
        raise DatabaseError("disque plein")

    # The links are written last, after every batch.
    monkeypatch.setattr(synchro.Synchronisation, "_ecrire_liens", refuser)
    avant = etat_base()
    with pytest.raises(CommandError, match="la base de données a refusé l'écriture : disque plein"):
        run(chemin)
    assert etat_base() == avant


def importer_la_suite(dossier):
    """Three imports whose fiches name one another across batches, pending links of an
    earlier import included; their reports, and what they leave in the database."""
    shutil.copy(SAMPLES / "fiche_met_999.txt", dossier)
    shutil.copy(SAMPLES / "fiche_quirks.txt", dossier)
    rapports = [run(SAMPLES / "ideo_deux_fiches.xml")]
    # Read first: MET.999, which MET.901 waits for since the import above, comes in a later batch.
    ecrire_export(dossier / "a-national.xml", 60)
    rapports.append(run(dossier))
    ecrire_export(dossier / "a-national.xml", 60, graine=2)
    rapports.append(run(dossier))
    return rapports, decrire()


@pytest.mark.parametrize("lot", [1, 7])
def test_batches_write_what_one_batch_writes(portal_data, tmp_path, monkeypatch, lot):
    resultats = []
    for taille in (synchro.LOT, lot):
        monkeypatch.setattr(synchro, "LOT", taille)
        with transaction.atomic():
            resultats.append(importer_la_suite(tmp_path))
            transaction.set_rollback(True)
    (rapports, ecrit), (rapports_par_lots, ecrit_par_lots) = resultats
    assert rapports_par_lots == rapports
    assert ecrit_par_lots == ecrit
    # The figures the import gave when it held every fiche at once.
    assert "liens : 147 créé(s), 1 modifié(s), 0 inchangé(s), 0 supprimé(s)" in rapports[1]
