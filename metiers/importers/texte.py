"""Parser of the structured fiche text format (../shared/formats/fiche-texte.md).

Indentation carries no meaning in real files, and sub-headings come as `##` as well as `###`
inside sections, so a heading opens a new section only when its name is a known section.
"""

import html
import re
from dataclasses import dataclass, field

from metiers.search import normalise

from .fiche import (
    Fiche,
    FicheInvalide,
    Reference,
    espaces,
    html_propre,
    lire_niveau,
    lire_salaire,
    verifier_formation_id,
    verifier_metier_id,
)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
# "**ID:** MET.612" and "**ID** : MET.612".
_CLE = re.compile(r"^\*\*([^*]+?)\s*:\s*\*\*\s*(.*)$|^\*\*([^*]+?)\*\*\s*:\s*(.*)$")
_ITEM = re.compile(r"^[-*•]\s+(.*)$")
# "label (ID: FOR.1251)"
_ITEM_ID = re.compile(r"^(.*?)\s*\(\s*ID\s*:\s*([^)]*)\)\s*$", re.IGNORECASE)
_FORME = re.compile(r"^(f[ée]minin|masculin|neutre)\s*:\s*(.*)$", re.IGNORECASE)
_GRAS = re.compile(r"\*\*(.+?)\*\*")

# Normalised heading → where its content goes.
SECTIONS_TEXTE = {
    "presentation": "accroche",
    "en bref": "en_bref",
    "nature du travail": "nature_travail",
    "competences requises": "competences",
    "competences": "competences",
    "conditions de travail": "conditions_travail",
    "vie professionnelle": "vie_professionnelle",
    "acces au metier": "acces_metier",
    "duree des etudes": "duree_etudes",
    "autres appellations": "autres_appellations",
    "formations recommandees": "formations",
    "centres d interet": "centres_interet",
    "secteurs d activite": "secteurs",
    "statuts possibles": "statuts",
    "statuts": "statuts",
    "metiers associes": "metiers_associes",
}
# Bold keys whose list follows on the next lines.
CLES_LISTES = {"appellations": "appellations", "statuts possibles": "statuts", "statuts": "statuts"}
CHAMPS_TEXTE = (
    "accroche", "nature_travail", "competences", "conditions_travail",
    "vie_professionnelle", "acces_metier", "duree_etudes",
)
MARQUEURS = ("**ID:**", "**Appellations:**", "**Niveau d'accès minimum:**", "## Formations recommandées")


def ressemble_a_une_fiche(texte):
    """A text fiche starts with "# title" and carries at least one of the format's own markers."""
    debut = texte.lstrip("\ufeff \t\r\n")
    return debut.startswith("# ") and any(marqueur in texte for marqueur in MARQUEURS)


@dataclass
class Ligne:
    numero: int
    texte: str


@dataclass
class Zone:
    """The lines under one known heading or bold list key."""

    nom: str
    lignes: list = field(default_factory=list)


def lire_fiche_texte(texte, fichier):
    lignes = _lignes(texte)
    if not lignes or not lignes[0].texte.startswith("# "):
        raise FicheInvalide(fichier, "ligne 1", "la fiche doit commencer par « # intitulé »")
    fiche = Fiche(fichier=fichier, onisep_id="", titre="")
    fiche.titre = fiche.forme_neutre(lignes[0].texte[2:], "ligne 1")
    zones, cles, hors_section = _decouper(lignes[1:])
    fiche.avertissements += hors_section
    if "id" not in cles:
        raise FicheInvalide(fichier, "ligne 1", "identifiant manquant (ligne « **ID:** MET.… » attendue)")
    numero, valeur = cles["id"]
    fiche.onisep_id = verifier_metier_id(valeur, fichier, f"ligne {numero}")
    if "niveau d acces minimum" in cles:
        numero, valeur = cles["niveau d acces minimum"]
        fiche.niveau = lire_niveau(valeur, fichier, f"ligne {numero}")
        if valeur and fiche.niveau is None:
            fiche.avertissements.append(f"ligne {numero} : niveau « {valeur} » sous le bac, laissé vide")
    _lire_zones(fiche, zones)
    return fiche


def _lignes(texte):
    texte = texte.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lignes = [Ligne(n, espaces(t)) for n, t in enumerate(texte.split("\n"), start=1)]
    while lignes and not lignes[0].texte:
        lignes.pop(0)
    return lignes


def _decouper(lignes):
    """Split the fiche into zones (known sections, list keys) and single-value bold keys."""
    zones, cles, hors_section = [], {}, []
    courante = None
    for ligne in lignes:
        heading = _HEADING.match(ligne.texte)
        cle = _CLE.match(ligne.texte)
        if heading and len(heading.group(1)) <= 2 and normalise(heading.group(2)) in SECTIONS_TEXTE:
            courante = Zone(SECTIONS_TEXTE[normalise(heading.group(2))])
            zones.append(courante)
        elif cle:
            nom = normalise(cle.group(1) or cle.group(3))
            valeur = espaces(cle.group(2) if cle.group(1) else cle.group(4))
            if nom in CLES_LISTES:
                courante = Zone(CLES_LISTES[nom])
                zones.append(courante)
                if valeur:
                    courante.lignes.append(Ligne(ligne.numero, f"- {valeur}"))
            else:
                cles.setdefault(nom, (ligne.numero, valeur))
                courante = None
        elif courante is not None:
            courante.lignes.append(ligne)
        elif ligne.texte:
            # Text outside any section has no field to go to; the editor must know it was left out.
            hors_section.append(f"ligne {ligne.numero} : texte hors de toute section, ignoré")
    return zones, cles, hors_section


def _lire_zones(fiche, zones):
    textes = {}
    for zone in zones:
        if zone.nom in ("appellations", "autres_appellations"):
            _lire_appellations(fiche, zone)
        elif zone.nom == "formations":
            fiche.formations += [_formation(fiche, ligne, libelle, code) for ligne, libelle, code in _items(zone)]
        elif zone.nom == "metiers_associes":
            fiche.metiers_associes += [
                (verifier_metier_id(code, fiche.fichier, f"ligne {ligne.numero}"), libelle)
                for ligne, libelle, code in _items(zone)
            ]
        elif zone.nom in ("statuts", "secteurs", "centres_interet"):
            getattr(fiche, zone.nom).extend(Reference(libelle, code) for _, libelle, code in _items(zone))
        else:
            textes.setdefault(zone.nom, []).extend(zone.lignes)
    en_bref = _blocs(textes.pop("en_bref", []))
    duree = _extraire_sous_partie(en_bref, "duree des etudes")
    textes_blocs = {nom: _blocs(lignes) for nom, lignes in textes.items()}
    textes_blocs.setdefault("accroche", en_bref)
    textes_blocs.setdefault("duree_etudes", duree)
    for blocs in textes_blocs.values():
        fiche.salaire = fiche.salaire or _extraire_salaire(blocs)
    fiche.sections = {champ: _html(textes_blocs.get(champ, [])) for champ in CHAMPS_TEXTE}


def _formation(fiche, ligne, libelle, code):
    lieu = f"ligne {ligne.numero}"
    if code is None:
        raise FicheInvalide(fiche.fichier, lieu, f"formation « {libelle} » sans code (ID: FOR.…)")
    return verifier_formation_id(code, fiche.fichier, lieu), libelle


def _items(zone):
    """(line, label, id or None) for each "- item" line of a list zone."""
    for ligne in zone.lignes:
        item = _ITEM.match(ligne.texte)
        if not item:
            continue
        avec_id = _ITEM_ID.match(item.group(1))
        if avec_id:
            yield ligne, espaces(avec_id.group(1)), espaces(avec_id.group(2))
        else:
            yield ligne, espaces(item.group(1)), None


def _lire_appellations(fiche, zone):
    principal = zone.nom == "appellations"
    groupe = None
    for ligne in zone.lignes:
        heading = _HEADING.match(ligne.texte)
        item = _ITEM.match(ligne.texte)
        if heading and not principal:
            groupe = [fiche.forme_neutre(heading.group(2), f"ligne {ligne.numero}"), "", ""]
            fiche.autres_appellations.append(groupe)
        elif item:
            forme = _FORME.match(item.group(1))
            genre = normalise(forme.group(1)) if forme else "neutre"
            libelle = espaces(forme.group(2) if forme else item.group(1))
            if principal:
                if genre == "feminin":
                    fiche.feminin = libelle
                elif genre == "masculin":
                    fiche.masculin = libelle
            elif genre == "neutre" or groupe is None:
                groupe = [fiche.forme_neutre(libelle, f"ligne {ligne.numero}"), "", ""]
                fiche.autres_appellations.append(groupe)
            else:
                groupe[1 if genre == "feminin" else 2] = libelle
    fiche.autres_appellations = [tuple(g) for g in fiche.autres_appellations]


# A block is ("h", level, text), ("p", text) or ("ul", [items]).
def _blocs(lignes):
    blocs, paragraphe = [], []

    def fermer():
        if paragraphe:
            blocs.append(("p", " ".join(paragraphe)))
            paragraphe.clear()

    for ligne in lignes:
        heading = _HEADING.match(ligne.texte)
        item = _ITEM.match(ligne.texte)
        if not ligne.texte or heading or item:
            fermer()
        if heading:
            blocs.append(("h", len(heading.group(1)), espaces(heading.group(2))))
        elif item:
            if blocs and blocs[-1][0] == "ul" and not paragraphe:
                blocs[-1][1].append(item.group(1))
            else:
                blocs.append(("ul", [item.group(1)]))
        elif ligne.texte:
            paragraphe.append(ligne.texte)
    fermer()
    return blocs


def _extraire_sous_partie(blocs, nom):
    """Remove the sub-heading `nom` and everything after it from `blocs`; return what followed."""
    for index, bloc in enumerate(blocs):
        if bloc[0] == "h" and normalise(bloc[2]) == nom:
            suite = blocs[index + 1:]
            del blocs[index:]
            return suite
    return []


def _extraire_salaire(blocs):
    """Take the "Salaire du débutant" heading and its paragraph out of the text; read the amount."""
    for index, bloc in enumerate(blocs):
        if bloc[0] == "h" and normalise(bloc[2]).startswith("salaire du debutant"):
            suivant = blocs[index + 1] if index + 1 < len(blocs) else None
            if suivant and suivant[0] == "p":
                del blocs[index:index + 2]
                return lire_salaire(suivant[1])
    return None


def _html(blocs):
    """Blocks → HTML. Headings whose part is empty are dropped; levels become h3 … h5."""
    gardes = [
        bloc for index, bloc in enumerate(blocs)
        if bloc[0] != "h" or _a_du_contenu(blocs[index + 1:], bloc[1])
    ]
    niveaux = sorted({bloc[1] for bloc in gardes if bloc[0] == "h"})
    morceaux = []
    for bloc in gardes:
        if bloc[0] == "h":
            balise = f"h{min(3 + niveaux.index(bloc[1]), 5)}"
            morceaux.append(f"<{balise}>{_inline(bloc[2])}</{balise}>")
        elif bloc[0] == "p":
            morceaux.append(f"<p>{_inline(bloc[1])}</p>")
        else:
            morceaux.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in bloc[1]) + "</ul>")
    return html_propre("".join(morceaux))


def _a_du_contenu(suite, niveau):
    for bloc in suite:
        if bloc[0] != "h":
            return True
        if bloc[1] <= niveau:
            return False
    return False


def _inline(texte):
    return _GRAS.sub(r"<strong>\1</strong>", html.escape(texte, quote=False))
