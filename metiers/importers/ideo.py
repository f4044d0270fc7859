"""Parser of ONISEP's "Idéo-Fiches métiers" XML export (../shared/formats/ideo-fiches-metiers.md).

defusedxml refuses entity expansion and external references, so a hostile file cannot
exhaust memory or read local files. The file is read in the encoding its declaration
names (`<?xml version="1.0" encoding="ISO-8859-1"?>`), else UTF-8, or UTF-16 when it
starts with that byte order mark: XML's own rule, which the parser applies.
"""

import codecs
import re
from xml.etree.ElementTree import ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from metiers.search import html_to_text

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

# XML element → model field; the export has no study-length section.
SECTIONS_XML = {
    "accroche_metier": "accroche",
    "nature_travail": "nature_travail",
    "competences": "competences",
    "condition_travail": "conditions_travail",
    "vie_professionnelle": "vie_professionnelle",
    "acces_metier": "acces_metier",
}
_SALAIRE = re.compile(
    r"<h\d[^>]*>\s*Salaire du d[ée]butant\s*</h\d>(.*?)(?=<h\d|$)", re.IGNORECASE | re.DOTALL
)


# The encoding a file's XML declaration names.
_DECLARATION = re.compile(rb"<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']")
_BOMS_UTF16 = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def ressemble_a_un_export(donnees):
    """Whether the file is XML (a declaration, or the <metiers> root at once), read in UTF-16
    when it starts with that byte order mark, else in an ASCII-compatible encoding."""
    bom = next((bom for bom in _BOMS_UTF16 if donnees.startswith(bom)), None)
    if bom is None:
        debut = donnees.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    else:
        debut = donnees[len(bom):len(bom) + 200].decode(_BOMS_UTF16[bom], errors="ignore").lstrip().encode()
    return debut.startswith((b"<?xml", b"<metiers"))


def _encodage_declare(donnees):
    declaration = _DECLARATION.match(donnees.lstrip(codecs.BOM_UTF8 + b" \t\r\n"))
    return declaration.group(1).decode() if declaration else None


def _probleme_d_encodage(donnees):
    """Why the parser could not read the file, if its bytes are not in the encoding it
    declares (UTF-8 without a declaration); None when they are."""
    if donnees.startswith(tuple(_BOMS_UTF16)):
        return None
    encodage = _encodage_declare(donnees)
    try:
        donnees.decode(encodage or "UTF-8")
    except UnicodeDecodeError:
        if encodage:
            return f"encodage illisible : le fichier n'est pas en « {encodage} », l'encodage que déclare sa première ligne"
        return ("encodage illisible : un fichier XML sans déclaration d'encodage doit être en UTF-8, "
                'sinon sa première ligne nomme le sien (<?xml version="1.0" encoding="ISO-8859-1"?>)')
    return None


def lire_export_ideo(donnees, fichier):
    try:
        racine = fromstring(donnees)
    except ParseError as erreur:
        ligne, colonne = erreur.position
        probleme = _probleme_d_encodage(donnees) or "XML mal formé"
        raise FicheInvalide(fichier, f"ligne {ligne}, colonne {colonne}", probleme) from erreur
    except DefusedXmlException as erreur:
        raise FicheInvalide(fichier, "en-tête XML", "DTD ou entités refusées") from erreur
    except (LookupError, ValueError) as erreur:
        # What the parser raises for a declared encoding it cannot read: a name Python does
        # not know, or more than one byte a character outside UTF-8 and UTF-16 (Shift_JIS…).
        encodage = _encodage_declare(donnees)
        if encodage is None:
            raise
        raise FicheInvalide(
            fichier, "ligne 1",
            f"encodage « {encodage} » non pris en charge : UTF-8, UTF-16 ou un encodage "
            "d'un octet par caractère (ISO-8859-1, windows-1252…)",
        ) from erreur
    if racine.tag != "metiers":
        raise FicheInvalide(fichier, f"élément <{racine.tag}>", "l'élément racine doit être <metiers>")
    return [_fiche(element, fichier, numero) for numero, element in enumerate(racine.iter("metier"), start=1)]


def _fiche(element, fichier, numero):
    code = _texte(element, "identifiant")
    lieu = f"fiche n° {numero} ({code or 'sans identifiant'})"
    fiche = Fiche(
        fichier=fichier,
        onisep_id=verifier_metier_id(code, fichier, f"{lieu}, élément <identifiant>"),
        titre="",
        feminin=_texte(element, "libelle_feminin"),
        masculin=_texte(element, "libelle_masculin"),
    )
    fiche.titre = fiche.forme_neutre(_texte(element, "nom_metier"), lieu)
    if not fiche.titre:
        raise FicheInvalide(fichier, f"{lieu}, élément <nom_metier>", "intitulé du métier manquant")
    fiche.autres_appellations = [
        (fiche.forme_neutre(synonyme.text, lieu), "", "") for synonyme in element.iterfind("synonymes/synonyme")
        if espaces(synonyme.text)
    ]
    fiche.sections = {champ: html_propre(_html(element.find(nom))) for nom, champ in SECTIONS_XML.items()}
    salaire = _SALAIRE.search(_html(element.find("vie_professionnelle")))
    fiche.salaire = lire_salaire(html_to_text(salaire.group(1))) if salaire else None
    niveau = _texte(element, "niveau_acces_min/libelle")
    fiche.niveau = lire_niveau(niveau, fichier, f"{lieu}, élément <niveau_acces_min>")
    if niveau and fiche.niveau is None:
        fiche.avertissements.append(f"{lieu} : niveau « {niveau} » sous le bac, laissé vide")
    fiche.formations = [
        (verifier_formation_id(code, fichier, f"{lieu}, élément <formation_min_requise>"), libelle)
        for code, libelle in _paires(element, "formations_min_requise/formation_min_requise")
    ]
    fiche.metiers_associes = [
        (verifier_metier_id(code, fichier, f"{lieu}, élément <metier_associe>"), libelle)
        for code, libelle in _paires(element, "metiers_associes/metier_associe")
    ]
    fiche.statuts = _references(element, "statuts/statut", fichier, lieu)
    fiche.secteurs = _references(element, "secteurs_activite/secteur_activite", fichier, lieu)
    fiche.centres_interet = _references(element, "centres_interet/centre_interet", fichier, lieu)
    return fiche


def _texte(element, chemin):
    return espaces(element.findtext(chemin))


def _html(element):
    """The inner markup of a section, whether the HTML came escaped as text or as elements."""
    if element is None:
        return ""
    return (element.text or "") + "".join(tostring(enfant, encoding="unicode") for enfant in element)


def _paires(element, chemin):
    """(id, label) of each item of a list; items with neither are empty elements, skipped."""
    for item in element.iterfind(chemin):
        code, libelle = _texte(item, "id"), _texte(item, "libelle")
        if code or libelle:
            yield code, libelle


def _references(element, chemin, fichier, lieu):
    references = [Reference(libelle, code or None) for code, libelle in _paires(element, chemin) if libelle]
    for reference in references:
        if len(reference.onisep_id or "") > 40:
            raise FicheInvalide(fichier, f"{lieu}, élément <{chemin.split('/')[-1]}>", "identifiant de plus de 40 caractères")
    return references
