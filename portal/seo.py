"""What search engines and link previews read: canonical address and schema.org JSON-LD.

JSON-LD goes in a ``<script type="application/ld+json">``: data, never run, so the
strict Content-Security-Policy needs no exception. It is escaped as ``json_script``
does, so that a title containing ``</script>`` cannot close the element.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from jinja2 import pass_context

from metiers.search import html_to_text

SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# ISO 8601 durations of the salary periods.
DUREES = {"mensuel": "P1M", "annuel": "P1Y"}
PAYS = {"FR": "France", "US": "États-Unis"}


@pass_context
def url_canonique(context):
    """This page's address, without its query string (filters and pages are variants of a
    listing) unless the view says the query is what the page shows (a comparison)."""
    request = context.get("request")
    if request is None:  # error pages render without a request
        return ""
    if context.get("adresse_avec_parametres"):
        return request.build_absolute_uri()
    return request.build_absolute_uri(request.path)


def _script(data):
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 — escaped above


def _salaire(salaire):
    """A source's salary range, typed both as a distribution (for its period) and as an
    amount (for its bounds): the sources give a range, not percentiles, so none are invented."""
    data = {
        "@type": ["MonetaryAmountDistribution", "MonetaryAmount"],
        "name": f"{salaire.get_experience_display()}, {salaire.get_nature_display()}, "
        f"{PAYS.get(salaire.pays, salaire.pays)} — source : {salaire.source.titre}",
        "currency": salaire.devise,
        "duration": DUREES[salaire.periode],
    }
    if salaire.montant_min is not None:
        data["minValue"] = salaire.montant_min
    if salaire.montant_max is not None:
        data["maxValue"] = salaire.montant_max
    return data


@pass_context
def jsonld_metier(context, metier):
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": metier.titre,
        "url": request.build_absolute_uri(metier.get_absolute_url()),
        "description": html_to_text(metier.accroche),
        "occupationLocation": {"@type": "Country", "name": "France"},
        "alternateName": [a.libelle for a in metier.appellations.all()],
        "estimatedSalary": [_salaire(salaire) for salaire in metier.salaires.all()],
    }
    if metier.niveau_acces:
        data["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "diplôme",
            "educationalLevel": metier.niveau_acces.libelle,
            "description": f"Niveau d'accès minimum : {metier.niveau_acces.libelle}",
        }
    if metier.onisep_id:
        data["occupationalCategory"] = {
            "@type": "CategoryCode",
            "codeValue": metier.onisep_id,
            "inCodeSet": {"@type": "CategoryCodeSet", "name": "Fiches métiers ONISEP"},
        }
    return _script(data)


@pass_context
def jsonld_formation(context, formation, metiers):
    request = context["request"]
    credential = {"@type": "EducationalOccupationalCredential", "credentialCategory": formation.get_type_display()}
    if formation.niveau:
        credential["educationalLevel"] = formation.niveau.libelle
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": formation.libelle,
        "url": request.build_absolute_uri(formation.get_absolute_url()),
        "description": formation.description,
        "programType": formation.get_type_display(),
        "educationalCredentialAwarded": credential,
        "relevantOccupation": [
            {"@type": "Occupation", "name": metier.titre,
             "url": request.build_absolute_uri(metier.get_absolute_url())}
            for metier in metiers
        ],
    }
    if formation.etablissement:
        data["provider"] = {"@type": "EducationalOrganization", "name": formation.etablissement}
    if formation.onisep_id:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "ONISEP", "value": formation.onisep_id}
    return _script(data)
