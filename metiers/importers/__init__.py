"""Import of fiches métiers from files: the structured text format and ONISEP's Idéo XML export.

`lire_fichier` recognises a file by its content and parses it completely (every check is made
before anything is written); `importer` writes what was read, in one transaction.
"""

import codecs
from dataclasses import dataclass

from django.db import DatabaseError

from .fiche import Fiche, FicheInvalide
from .ideo import lire_export_ideo, ressemble_a_un_export
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
    nom: str
    format: str  # "texte" or "ideo"
    fiches: list

    @property
    def titre_source(self):
        if self.format == "ideo":
            return f"Export ONISEP Idéo-Fiches métiers ({self.nom})"
        fiche = self.fiches[0]
        return f"Fiche ONISEP « {fiche.titre} » ({fiche.onisep_id})"


def importer_fichiers(contenus, **options):
    """Read every file, then import them all or nothing; the one entry point of command and admin.

    contenus: (name, bytes, named explicitly) triples. A file in neither format is refused when
    named explicitly, skipped (and listed in the second result) when found in a folder.
    Options are those of `importer`. Raises ImportRefuse.
    """
    fichiers, ignores, erreurs = [], [], []
    for nom, donnees, explicite in contenus:
        try:
            fichiers.append(lire_fichier(nom, donnees))
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


def lire_fichier(nom, donnees):
    """Parse one file (bytes) in whichever format its content shows; raise FicheInvalide if bad."""
    if ressemble_a_un_export(donnees):
        return FichierLu(nom, "ideo", lire_export_ideo(donnees, nom))
    debut = donnees.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    texte = _decoder(nom, donnees, debut)
    if not ressemble_a_une_fiche(texte):
        raise FormatInconnu(nom, "ligne 1", "ni fiche texte (« # intitulé » puis « **ID:** MET.… ») ni export Idéo XML")
    return FichierLu(nom, "texte", [lire_fiche_texte(texte, nom)])


def _decoder(nom, donnees, debut):
    utf16 = donnees.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        return donnees.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as erreur:
        if not (utf16 or debut.startswith(b"# ")):
            raise FormatInconnu(nom, "ligne 1", "fichier binaire ou illisible") from erreur
        ligne = donnees[: erreur.start].count(b"\n") + 1
        raise FicheInvalide(nom, f"ligne {ligne}", "encodage illisible : le fichier doit être en UTF-8") from erreur
