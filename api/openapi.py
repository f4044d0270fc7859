"""The OpenAPI 3.1 description of the API, served at /api/openapi.json.

Written by hand, except the listing parameters: they are read from the listings'
FilterSets, so the document cannot drift from the filters the API applies.
"""

from django import forms
from django_filters import MultipleChoiceFilter

from formations.filters import FormationFilterSet
from metiers.filters import MetierFilterSet

from . import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# Where the values of the filters whose choices come from the database are listed.
VALUES_FROM = {
    "niveau": "le `slug` d'un niveau de /api/niveaux/",
    "niveau_max": "le `slug` d'un niveau de /api/niveaux/",
    "centre_interet": "le `slug` d'un centre d'intérêt de /api/centres-interet/ (plusieurs possibles : un des centres)",
    "secteur": "le `slug` d'un secteur, tel que les métiers le donnent",
    "statut": "le `slug` d'un statut, tel que les métiers le donnent",
    "formation": "le `slug` d'une formation de /api/formations/",
    "demande": "au moins aussi forte que la valeur donnée (`forte` : forte ou très forte) ; "
               "les métiers dont les sources n'en disent rien sont écartés",
}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def query_parameter(name, description, schema):
    """An optional query parameter. Empty (`?tri=`), it counts as not given, as a form
    with a field left blank sends it: what OpenAPI's allowEmptyValue says."""
    return {"name": name, "in": "query", "required": False, "allowEmptyValue": True,
            "description": description, "schema": schema}


def filter_parameters(filterset_class):
    """One query parameter per filter of the listing's FilterSet."""
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        if isinstance(filter_, MultipleChoiceFilter):
            schema = {"type": "array", "items": {"type": "string"}}
        elif filter_.field_class is forms.IntegerField:
            schema = {"type": "integer"}
            for bound in ("min_value", "max_value"):
                if bound in filter_.extra:
                    schema["minimum" if bound == "min_value" else "maximum"] = filter_.extra[bound]
        else:
            schema = {"type": "string"}
            choices = filter_.extra.get("choices")
            if choices and not callable(choices):
                schema["enum"] = [value for value, _ in choices]
        description = str(filter_.label)
        if name in VALUES_FROM:
            description += f" : {VALUES_FROM[name]}."
        parameter = query_parameter(name, description, schema)
        if schema["type"] == "array":
            parameter |= {"style": "form", "explode": True}
        parameters.append(parameter)
    return parameters


PAGINATION = [
    query_parameter("page", "Numéro de page, à partir de 1.", {"type": "integer", "minimum": 1, "default": 1}),
    query_parameter("par_page", "Résultats par page.",
                    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}),
    query_parameter(
        "apres",
        "Curseur écrit par l'API dans le lien `suivante` : la page qui suit la dernière ligne lue, "
        "aussi rapide à lire au bout de la liste qu'au début. Il vaut pour la même liste (filtres, tri, `par_page`) "
        "et ne va pas avec `page`.",
        {"type": "string"},
    ),
]
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
ERRORS = {
    "400": {"description": "Paramètre invalide", "content": {"application/json": {"schema": _ref("Erreur")}}},
    "404": {"description": "Inconnu, non publié, ou page au-delà de la dernière",
            "content": {"application/json": {"schema": _ref("Erreur")}}},
    "405": {"description": "Méthode autre que GET ou HEAD : l'API est en lecture seule",
            "content": {"application/json": {"schema": _ref("Erreur")}}},
}

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
SLUG_LIST = {"type": "array", "items": _ref("Reference")}
LINK = {
    "slug": STRING,
    "url": {"type": "string", "format": "uri", "description": "page HTML"},
    "api": {"type": "string", "format": "uri", "description": "détail dans l'API"},
}


def _object(properties, required=None):
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def _with_sources(properties):
    return _object({**properties, "sources": {"type": "array", "items": _ref("Source")}, "licence": _ref("Licence")})


SEARCH = _object({
    "approchee": {"type": "boolean",
                  "description": "aucune fiche n'a tous les mots : les résultats sont ceux de la recherche "
                  "réorthographiée (« suggestion »), sinon les intitulés les plus proches (PostgreSQL)"},
    "suggestion": {
        "oneOf": [_object({"q": STRING, "url": {"type": "string", "format": "uri"}}), {"type": "null"}],
        "description": "quand la recherche ne trouve rien ou seulement des intitulés proches : ses mots "
        "inconnus remplacés par les plus proches des intitulés, si cette recherche trouve des fiches",
    },
})


def _page_of(key, item):
    return _with_sources({
        "nombre": {"type": "integer"},
        "recherche": {"oneOf": [SEARCH, {"type": "null"}],
                      "description": "avec le paramètre `q` seulement"},
        "page": {"type": "integer"},
        "pages": {"type": "integer"},
        "par_page": {"type": "integer"},
        "precedente": {"type": ["string", "null"], "format": "uri"},
        "suivante": {"type": ["string", "null"], "format": "uri",
                     "description": "page suivante ; son adresse porte le curseur `apres` quand l'ordre de la liste le permet"},
        key: {"type": "array", "items": _ref(item)},
    })


METIER_LINK = _object({**LINK, "intitule": STRING})
FORMATION_LINK = _object({**LINK, "libelle": STRING})
METIER_RESUME = _object({
    **METIER_LINK["properties"],
    "identifiant_onisep": NULLABLE_STRING,
    "en_bref": STRING,
    "niveau_acces": {"oneOf": [_ref("Niveau"), {"type": "null"}]},
    "salaire_debutant_brut_mensuel_eur": {
        "type": ["integer", "null"],
        "description": "Le plus haut bas de fourchette brut débutant en France parmi les sources, "
        "montants annuels divisés par 12.",
    },
    "demande": {"type": ["string", "null"], "enum": ["tres_forte", "forte", "moyenne", "faible", None]},
    "centres_interet": SLUG_LIST,
    "secteurs": SLUG_LIST,
    "statuts": SLUG_LIST,
    "sources": {"type": "array", "items": STRING, "description": "codes des sources, détaillées dans `sources` en tête"},
    "mis_a_jour_le": {"type": "string", "format": "date-time"},
})
SALAIRE = _object({
    "experience": {"type": "string", "enum": ["debutant", "confirme", "carriere", "non_precise"]},
    "periode": {"type": "string", "enum": ["mensuel", "annuel"]},
    "nature": {"type": "string", "enum": ["brut", "net", "non_precise"]},
    "montant_min": {"type": ["integer", "null"]},
    "montant_max": {"type": ["integer", "null"]},
    "devise": {"type": "string", "description": "code ISO 4217"},
    "pays": {"type": "string", "description": "code ISO 3166-1 alpha-2"},
    "source": {"type": "string", "description": "code de la source"},
    "remarque": STRING,
})
METIER = _object({
    **METIER_RESUME["properties"],
    "appellations": {"type": "array", "items": _object({
        "libelle": STRING, "genre": {"type": "string", "enum": ["feminin", "masculin", "neutre"]},
        "principale": {"type": "boolean"}, "langue": STRING,
    })},
    "sections_html": {"type": "object", "additionalProperties": STRING,
                      "description": "sections de la fiche en HTML nettoyé"},
    "perspectives": STRING,
    "salaires": {"type": "array", "items": SALAIRE},
    "formations": {"type": "array", "items": FORMATION_LINK},
    "metiers_associes": {"type": "array", "items": METIER_LINK},
})
FORMATION_RESUME = _object({
    **FORMATION_LINK["properties"],
    "identifiant_onisep": NULLABLE_STRING,
    "type": STRING,
    "type_libelle": STRING,
    "niveau": {"oneOf": [_ref("Niveau"), {"type": "null"}]},
    "etablissement": STRING,
    "sources": {"type": "array", "items": STRING},
    "mis_a_jour_le": {"type": "string", "format": "date-time"},
})
FORMATION = _object({
    **FORMATION_RESUME["properties"],
    "description": STRING,
    "metiers": {"type": "array", "items": METIER_LINK},
})
SCHEMAS = {
    "Licence": _object({"textes": STRING, "donnees": STRING, "url_textes": STRING, "url_donnees": STRING}),
    "Source": _object({
        "code": STRING, "titre": STRING, "nature": STRING, "editeur": STRING, "url": STRING,
        "licence": STRING, "consulte_le": {"type": ["string", "null"], "format": "date"},
    }),
    "Erreur": _object({"erreur": STRING, "details": {"type": "object"}}, required=["erreur"]),
    "Reference": _object({"slug": STRING, "libelle": STRING}),
    "Niveau": _object({"slug": STRING, "libelle": STRING, "annees_apres_bac": {"type": "integer", "minimum": 0, "maximum": 8}}),
    "MetierResume": METIER_RESUME,
    "Metier": METIER,
    "FormationResume": FORMATION_RESUME,
    "Formation": FORMATION,
    "PageMetiers": _page_of("metiers", "MetierResume"),
    "PageFormations": _page_of("formations", "FormationResume"),
    "ReponseMetier": _with_sources({"metier": _ref("Metier")}),
    "ReponseFormation": _with_sources({"formation": _ref("Formation")}),
    "ReponseCentresInteret": _with_sources({"centres_interet": {"type": "array", "items": _object(
        {"slug": STRING, "libelle": STRING, "nb_metiers_publies": {"type": "integer"}})}}),
    "ReponseNiveaux": _with_sources({"niveaux": {"type": "array", "items": _object(
        {"slug": STRING, "libelle": STRING, "nb_metiers_publies": {"type": "integer"},
         "annees_apres_bac": {"type": "integer"}})}}),
}


def _get(summary, schema, parameters=(), errors=("404", "405")):
    responses = {"200": {"description": "Réponse", "content": {"application/json": {"schema": _ref(schema)}}}}
    responses |= {code: ERRORS[code] for code in errors}
    return {"get": {"summary": summary, "parameters": list(parameters), "responses": responses}}


def openapi_document(request):
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cap Ingé — API de données ouvertes",
            "version": "1.0.0",
            "description": "Métiers de l'ingénierie, formations, centres d'intérêt et niveaux, en lecture seule. "
            "Chaque réponse nomme ses sources (`sources`) et sa licence (`licence`) : textes du portail "
            "sous Licence Ouverte 2.0, données tirées de l'open data ONISEP sous ODbL 1.0. "
            "Les listes sont dans l'ordre des pages du portail : pour une recherche, d'abord les fiches "
            "dont l'intitulé contient tous les mots, puis les autres, chaque groupe par intitulé. "
            "Un paramètre vide (`?tri=`) compte comme absent ; un entier s'écrit en chiffres ASCII, 20 au plus.",
            "license": {"name": "Licence Ouverte 2.0 (textes) / ODbL 1.0 (données ONISEP)",
                        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
        },
        "servers": [{"url": request.build_absolute_uri("/")}],
        "paths": {
            "/api/metiers/": _get("Métiers publiés, filtrés et paginés", "PageMetiers",
                                  [*filter_parameters(MetierFilterSet), *PAGINATION], errors=("400", "404", "405")),
            "/api/metiers/{slug}/": _get("Une fiche métier publiée", "ReponseMetier", [SLUG]),
            "/api/formations/": _get("Formations, filtrées et paginées", "PageFormations",
                                     [*filter_parameters(FormationFilterSet), *PAGINATION],
                                     errors=("400", "404", "405")),
            "/api/formations/{slug}/": _get("Une formation", "ReponseFormation", [SLUG]),
            "/api/centres-interet/": _get("Centres d'intérêt", "ReponseCentresInteret", errors=("405",)),
            "/api/niveaux/": _get("Niveaux d'études (bac à bac + 8)", "ReponseNiveaux", errors=("405",)),
        },
        "components": {"schemas": SCHEMAS},
    }
