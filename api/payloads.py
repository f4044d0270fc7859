"""The JSON shapes of the open data API (documented in ``api/openapi.py``)."""

from django.urls import reverse

from core.sanitize import clean_html
from metiers.search import html_to_text


def _absolute(request, name, slug):
    return request.build_absolute_uri(reverse(name, args=[slug]))


def _references(options):
    return [{"slug": option.slug, "libelle": option.libelle} for option in options]


def niveau_payload(niveau):
    if niveau is None:
        return None
    return {"slug": niveau.slug, "libelle": niveau.libelle, "annees_apres_bac": niveau.rang}


def _link(request, obj, page, api, label):
    return {
        "slug": obj.slug,
        **label,
        "url": _absolute(request, page, obj.slug),
        "api": _absolute(request, api, obj.slug),
    }


def metier_link(request, metier):
    return _link(request, metier, "metiers:detail", "api:metier", {"intitule": metier.titre})


def formation_link(request, formation):
    return _link(request, formation, "formations:detail", "api:formation", {"libelle": formation.libelle})


def metier_summary(request, metier):
    """The métier's summary; it needs its ``etiquettes`` and ``codes_sources``
    (`metiers.references.tag_metiers`)."""
    return {
        **metier_link(request, metier),
        "identifiant_onisep": metier.onisep_id,
        "en_bref": html_to_text(metier.accroche),
        "niveau_acces": niveau_payload(metier.niveau_acces),
        "salaire_debutant_brut_mensuel_eur": metier.salaire_debutant,
        "demande": metier.demande or None,
        "centres_interet": _references(metier.etiquettes["centre_interet"]),
        "secteurs": _references(metier.etiquettes["secteur"]),
        "statuts": _references(metier.etiquettes["statut"]),
        "sources": metier.codes_sources,
        "mis_a_jour_le": metier.modifie_le.isoformat(timespec="seconds"),
    }


def metier_detail(request, metier):
    """Everything a fiche says; its HTML sections passed through the portal's sanitiser."""
    return {
        **metier_summary(request, metier),
        "appellations": [
            {"libelle": a.libelle, "genre": a.genre, "principale": a.principale, "langue": a.langue}
            for a in metier.appellations.all()
        ],
        "sections_html": {name: clean_html(getattr(metier, name)) for name in type(metier).SECTIONS},
        "perspectives": metier.perspectives,
        "salaires": [
            {
                "experience": s.experience,
                "periode": s.periode,
                "nature": s.nature,
                "montant_min": s.montant_min,
                "montant_max": s.montant_max,
                "devise": s.devise,
                "pays": s.pays,
                "source": s.source.code,
                "remarque": s.remarque,
            }
            for s in metier.salaires.all()
        ],
        "formations": [formation_link(request, f) for f in metier.formations.all()],
        "metiers_associes": [metier_link(request, m) for m in metier.metiers_associes.all()],
    }


def formation_summary(request, formation):
    """The formation's summary; it needs its ``codes_sources`` (`formations.exports.tag_formations`)."""
    return {
        **formation_link(request, formation),
        "identifiant_onisep": formation.onisep_id,
        "type": formation.type,
        "type_libelle": formation.get_type_display(),
        "niveau": niveau_payload(formation.niveau),
        "etablissement": formation.etablissement,
        "sources": formation.codes_sources,
        "mis_a_jour_le": formation.modifie_le.isoformat(timespec="seconds"),
    }


def formation_detail(request, formation, metiers):
    return {
        **formation_summary(request, formation),
        "description": formation.description,
        "metiers": [metier_link(request, m) for m in metiers],
    }
