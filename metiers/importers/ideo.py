"""Parser of ONISEP's "Idéo-Fiches métiers" XML export (../shared/formats/ideo-fiches-metiers.md).

defusedxml refuses entity expansion and external references, so a hostile file cannot
exhaust memory or read local files.
"""

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


def ressemble_a_un_export(donnees):
    """An Idéo export is XML whose root element is <metiers>."""
    debut = donnees.lstrip(b"\xef\xbb\xbf \t\r\n")[:500]
    return debut.startswith(b"<") and re.search(rb"<metiers[\s>/]", debut) is not None


def lire_export_ideo(donnees, fichier):
    try:
        racine = fromstring(donnees)
    except ParseError as erreur:
        ligne, colonne = erreur.position
        raise FicheInvalide(fichier, f"ligne {ligne}, colonne {colonne}", "XML mal formé") from erreur
    except DefusedXmlException as erreur:
        raise FicheInvalide(fichier, "en-tête XML", "DTD ou entités refusées") from erreur
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
