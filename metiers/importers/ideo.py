"""Parser of ONISEP's "Idéo-Fiches métiers" XML export (../shared/formats/ideo-fiches-metiers.md).

The export is read as a stream: each <metier> becomes a Fiche once its closing tag is read,
then is dropped, so that a national file of hundreds of megabytes never sits whole in memory.
defusedxml refuses entity expansion and external references, so a hostile file cannot
exhaust memory or read local files. The file is read in the encoding its declaration
names (`<?xml version="1.0" encoding="ISO-8859-1"?>`), else UTF-8, or UTF-16 when it
starts with that byte order mark: XML's own rule, which the parser applies.
"""

import codecs
import re
from xml.etree.ElementTree import ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

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


# What is read of a file to tell its format and its declared encoding.
ENTETE = 64 * 1024
# What is decoded at a time when looking for the bytes the declared encoding cannot read.
BLOC = 1024 * 1024
# The encoding a file's XML declaration names.
_DECLARATION = re.compile(rb"<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']")
_BOMS_UTF16 = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def ressemble_a_un_export(entete):
    """Whether the file is XML (a declaration, or the <metiers> root at once), read in UTF-16
    when it starts with that byte order mark, else in an ASCII-compatible encoding.

    entete: the first ENTETE bytes of the file."""
    bom = next((bom for bom in _BOMS_UTF16 if entete.startswith(bom)), None)
    if bom is None:
        debut = entete.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    else:
        debut = entete[len(bom):len(bom) + 200].decode(_BOMS_UTF16[bom], errors="ignore").lstrip().encode()
    return debut.startswith((b"<?xml", b"<metiers"))


def _encodage_declare(flux):
    flux.seek(0)
    declaration = _DECLARATION.match(flux.read(ENTETE).lstrip(codecs.BOM_UTF8 + b" \t\r\n"))
    return declaration.group(1).decode() if declaration else None


def _probleme_d_encodage(flux):
    """Why the parser could not read the file, if its bytes are not in the encoding it
    declares (UTF-8 without a declaration); None when they are."""
    flux.seek(0)
    if flux.read(2) in _BOMS_UTF16:
        return None
    encodage = _encodage_declare(flux)
    decodeur = codecs.getincrementaldecoder(encodage or "UTF-8")()
    flux.seek(0)
    try:
        while bloc := flux.read(BLOC):
            decodeur.decode(bloc)
        decodeur.decode(b"", final=True)
    except UnicodeDecodeError:
        if encodage:
            return f"encodage illisible : le fichier n'est pas en « {encodage} », l'encodage que déclare sa première ligne"
        return ("encodage illisible : un fichier XML sans déclaration d'encodage doit être en UTF-8, "
                'sinon sa première ligne nomme le sien (<?xml version="1.0" encoding="ISO-8859-1"?>)')
    return None


def lire_export_ideo(flux, fichier):
    """The fiches of an export, one at a time, read from the binary file `flux` (seekable).

    After a bad fiche the rest of the file is still parsed, without making fiches: broken XML
    further on is what gets reported, as when the whole file was parsed before any fiche.
    """
    refus, numero, ouverts = None, 0, 0
    evenements = _evenements(flux, fichier)
    _, racine = next(evenements)
    if racine.tag != "metiers":
        refus = FicheInvalide(fichier, f"élément <{racine.tag}>", "l'élément racine doit être <metiers>")
    for evenement, element in evenements:
        if element.tag != "metier":
            continue
        ouverts += 1 if evenement == "start" else -1
        if evenement == "start" or ouverts:
            continue
        if refus is None:
            # A <metier> inside another one follows it, as in a walk of the whole tree.
            for metier in element.iter("metier"):
                numero += 1
                try:
                    fiche = _fiche(metier, fichier, numero)
                except FicheInvalide as erreur:
                    refus = erreur
                    break
                yield fiche
        # What was read is dropped, and the root's hold on it: memory holds one <metier> at a time.
        element.clear()
        racine.clear()
    if refus is not None:
        raise refus


def _evenements(flux, fichier):
    """The parser's start and end events, its errors told as FicheInvalide."""
    try:
        yield from iterparse(flux, events=("start", "end"))
    except ParseError as erreur:
        ligne, colonne = erreur.position
        probleme = _probleme_d_encodage(flux) or "XML mal formé"
        raise FicheInvalide(fichier, f"ligne {ligne}, colonne {colonne}", probleme) from erreur
    except DefusedXmlException as erreur:
        raise FicheInvalide(fichier, "en-tête XML", "DTD ou entités refusées") from erreur
    except (LookupError, ValueError) as erreur:
        # What the parser raises for a declared encoding it cannot read: a name Python does
        # not know, or more than one byte a character outside UTF-8 and UTF-16 (Shift_JIS…).
        encodage = _encodage_declare(flux)
        if encodage is None:
            raise
        raise FicheInvalide(
            fichier, "ligne 1",
            f"encodage « {encodage} » non pris en charge : UTF-8, UTF-16 ou un encodage "
            "d'un octet par caractère (ISO-8859-1, windows-1252…)",
        ) from erreur


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
