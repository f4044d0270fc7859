"""What a parser hands to the synchronisation: one fiche, already checked, whatever its format.

The value readers here (identifiers, levels, salaries, titles) are shared by both formats so
that a fiche means the same thing whether it came as text or as Idéo XML.
"""

import re
from dataclasses import dataclass, field

from core.sanitize import clean_html
from formations.models import FORMATION_ID_REGEX
from metiers.models import METIER_ID_REGEX, Salaire
from metiers.search import normalise

_SPACES = re.compile(r"\s+")
# Levels after normalise(): "bac", "Bac + 5", "bac+3", "Bac + 2 ou équivalent", "niveau bac + 5".
_NIVEAU = re.compile(r"^(?:niveau )?bac(?: ([0-8]))?(?: ou equivalent)?$")
_INFRA_BAC = re.compile(r"^(?:niveau )?(?:cap|bep|brevet|sans diplome|infra bac)\b")
_NOMBRE = re.compile(r"\d[\d ]*")
MONTANT_MAX = 10_000_000
# "ingénieure/e" or "informaticienne/ne": the feminine ending written twice.
_FORME_NEUTRE_DOUBLEE = re.compile(r"(\w+?)(e|ne)/\2\b")


class FicheInvalide(Exception):
    """A file the import refuses: names the file, the place in it and the problem."""

    def __init__(self, fichier, lieu, probleme):
        super().__init__(f"{fichier}, {lieu} : {probleme}")
        self.fichier = fichier


@dataclass(frozen=True)
class Reference:
    """An item of a reference list (interest, sector, status), with ONISEP's id when given."""

    libelle: str
    onisep_id: str | None = None


@dataclass(frozen=True)
class SalaireDebutant:
    montant_min: int | None
    montant_max: int | None
    periode: str = Salaire.Periode.MENSUEL
    nature: str = Salaire.Nature.BRUT

    def valeurs(self):
        return [self.montant_min, self.montant_max, self.periode, self.nature]


@dataclass
class Fiche:
    fichier: str
    onisep_id: str
    titre: str
    feminin: str = ""
    masculin: str = ""
    # Other titles: (neutral, feminine, masculine), any of them possibly empty.
    autres_appellations: list = field(default_factory=list)
    # Model field → sanitised HTML, only for the sections the format carries.
    sections: dict = field(default_factory=dict)
    niveau: int | None = None
    salaire: SalaireDebutant | None = None
    formations: list = field(default_factory=list)  # (FOR. id, label)
    statuts: list = field(default_factory=list)  # Reference
    secteurs: list = field(default_factory=list)
    centres_interet: list = field(default_factory=list)
    metiers_associes: list = field(default_factory=list)  # (MET. id, label)
    avertissements: list = field(default_factory=list)

    def forme_neutre(self, libelle, lieu):
        """The neutral title with an obvious "ingénieure/e" typo repaired, and said so."""
        libelle = espaces(libelle)
        corrige = _FORME_NEUTRE_DOUBLEE.sub(r"\1/\2", libelle)
        if corrige != libelle:
            self.avertissements.append(f"{lieu} : « {libelle} » corrigé en « {corrige} »")
        return corrige


def espaces(texte):
    """One plain space between words: non-breaking and repeated spaces are layout, not content."""
    return _SPACES.sub(" ", texte or "").strip()


def html_propre(markup):
    """Sanitised HTML on one line, so that an editor's save in a textarea compares equal."""
    return espaces(clean_html(markup))


def verifier_metier_id(valeur, fichier, lieu):
    return _verifier_id(valeur, METIER_ID_REGEX, "identifiant métier", "MET.612", fichier, lieu)


def verifier_formation_id(valeur, fichier, lieu):
    return _verifier_id(valeur, FORMATION_ID_REGEX, "code formation", "FOR.1251", fichier, lieu)


def _verifier_id(valeur, regex, quoi, exemple, fichier, lieu):
    valeur = espaces(valeur)
    if not valeur:
        raise FicheInvalide(fichier, lieu, f"{quoi} manquant")
    # 20 characters is the width of the identifier columns.
    if not re.match(regex, valeur) or len(valeur) > 20:
        raise FicheInvalide(fichier, lieu, f"{quoi} « {valeur} » mal formé (attendu : {exemple})")
    return valeur


def lire_niveau(libelle, fichier, lieu):
    """"bac + N" → N. Empty, or below the bac (CAP, BEP…) which the scale does not hold → None.

    Anything else is refused rather than guessed.
    """
    cle = normalise(libelle)
    if not cle or _INFRA_BAC.match(cle):
        return None
    match = _NIVEAU.match(cle)
    if not match:
        raise FicheInvalide(
            fichier, lieu,
            f"niveau d'accès « {espaces(libelle)} » inconnu (attendu : bac, bac + 1 … bac + 8)",
        )
    return int(match.group(1) or 0)


def lire_salaire(texte):
    """The beginner salary as sources write it: "Entre 3333 et 2830 euros brut par mois".

    Bounds may come in either order; gross and monthly unless the text says otherwise.
    Returns None when the text holds no amount.
    """
    # Figures beyond any salary (a year, a phone number run together) are not amounts.
    montants = sorted(m for m in (int(n.replace(" ", "")) for n in _NOMBRE.findall(espaces(texte))) if m <= MONTANT_MAX)
    if not montants:
        return None
    cle = normalise(texte)
    periode = Salaire.Periode.ANNUEL if re.search(r"\b(par an|annuel|annuels)\b", cle) else Salaire.Periode.MENSUEL
    nature = Salaire.Nature.NET if re.search(r"\bnet\b", cle) else Salaire.Nature.BRUT
    if len(montants) == 1:
        seul = montants[0]
        return SalaireDebutant(None, seul, periode, nature) if "jusqu" in cle else SalaireDebutant(
            seul, None, periode, nature
        )
    return SalaireDebutant(montants[0], montants[-1], periode, nature)
