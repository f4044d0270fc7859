"""Import of fiches métiers from files: the structured text format and ONISEP's Idéo XML export.

Each file is read twice, as a stream. `examiner` reads it whole, checking every fiche and keeping
only their ids; when every file passes, `importer` reads them again and writes their fiches a
batch at a time, in one transaction. Memory follows the batch, not the size of the files.
"""

import codecs
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.db import DatabaseError

from .fiche import Fiche, FicheInvalide
from .ideo import ENTETE, lire_export_ideo, ressemble_a_un_export
from .synchro import Rapport, importer
from .texte import lire_fiche_texte, ressemble_a_une_fiche

__all__ = [
    "Fiche", "FicheInvalide", "FichierLu", "FormatInconnu", "ImportRefuse", "Rapport", "importer",
    "importer_fichiers", "lire_fichier",
]


class ImportRefuse(Exception):
    """At least one file is invalid: nothing was written. `erreurs` names file, place and problem."""

    def __init__(self, erreurs):
        super().__init__("\n".join(erreurs))
        self.erreurs = erreurs


class FormatInconnu(FicheInvalide):
    """Neither a text fiche nor an Idéo export: skipped when met while walking a folder."""


@dataclass
class FichierLu:
    """A file checked whole; its fiches are read from it again when they are written."""

    nom: str
    source: object  # a path, or an open binary file (an upload)
    format: str  # "texte" or "ideo"
    codes: list  # the ONISEP ids of its fiches, in order
    titre_source: str

    def fiches(self):
        with _ouvrir(self.source) as flux:
            yield from lire_fichier(self.nom, flux)[1]


def importer_fichiers(contenus, **options):
    """Check every file, then import them all or nothing; the one entry point of command and admin.

    contenus: (name, source, named explicitly) triples, a source being a path or an open binary
    file. A file in neither format is refused when named explicitly, skipped (and listed in the
    second result) when found in a folder. Options are those of `importer`. Raises ImportRefuse.
    """
    fichiers, ignores, erreurs = [], [], []
    for nom, source, explicite in contenus:
        try:
            fichiers.append(examiner(nom, source))
        except FormatInconnu as erreur:
            (erreurs if explicite else ignores).append(str(erreur))
        except FicheInvalide as erreur:
            erreurs.append(str(erreur))
    if erreurs:
        raise ImportRefuse(erreurs)
    try:
        return importer(fichiers, **options), ignores
    except FicheInvalide as erreur:
        raise ImportRefuse([str(erreur)]) from erreur
    except DatabaseError as erreur:
        # A value the checks above let through but a column refuses: the transaction is undone.
        raise ImportRefuse([f"la base de données a refusé l'écriture : {erreur}"]) from erreur


def examiner(nom, source):
    """Read one file to its end, checking every fiche; raise FicheInvalide at the first bad one."""
    with _ouvrir(source) as flux:
        format_, fiches = lire_fichier(nom, flux)
        if format_ == "ideo":
            codes = [fiche.onisep_id for fiche in fiches]
            return FichierLu(nom, source, format_, codes, f"Export ONISEP Idéo-Fiches métiers ({nom})")
        (fiche,) = fiches
        return FichierLu(nom, source, format_, [fiche.onisep_id], f"Fiche ONISEP « {fiche.titre} » ({fiche.onisep_id})")


def lire_fichier(nom, flux):
    """The format of one file (a seekable binary file), whichever its content shows, and an
    iterator of its fiches; raise FicheInvalide if it is bad, at the latest while iterating."""
    entete = flux.read(ENTETE)
    flux.seek(0)
    if ressemble_a_un_export(entete):
        return "ideo", lire_export_ideo(flux, nom)
    # A text fiche is one métier: a few kilobytes, read at once.
    donnees = flux.read()
    debut = donnees.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    texte = _decoder(nom, donnees, debut)
    if not ressemble_a_une_fiche(texte):
        raise FormatInconnu(nom, "ligne 1", "ni fiche texte (« # intitulé » puis « **ID:** MET.… ») ni export Idéo XML")
    return "texte", iter([lire_fiche_texte(texte, nom)])


@contextmanager
def _ouvrir(source):
    """A path is opened for each reading and closed after, as a folder may hold thousands of
    files; an open file (an upload) is read again from its start."""
    if isinstance(source, PurePath):
        with open(source, "rb") as flux:
            yield flux
    else:
        source.seek(0)
        yield source


def _decoder(nom, donnees, debut):
    utf16 = donnees.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        return donnees.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as erreur:
        if not (utf16 or debut.startswith(b"# ")):
            raise FormatInconnu(nom, "ligne 1", "fichier binaire ou illisible") from erreur
        ligne = donnees[: erreur.start].count(b"\n") + 1
        raise FicheInvalide(nom, f"ligne {ligne}", "encodage illisible : le fichier doit être en UTF-8") from erreur
