"""The read-only open data API under /api/ and its OpenAPI 3.1 document."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import listing
from metiers.filters import MetierFilterSet
from metiers.models import Metier
from tests.factories import make_catalogue
from tests.seeds import CHIFFRES, IA, IMAGE

pytestmark = pytest.mark.usefixtures("portal_data")

ENDPOINTS = {
    "/api/metiers/": "PageMetiers",
    f"/api/metiers/{IMAGE}/": "ReponseMetier",
    "/api/formations/": "PageFormations",
    "/api/formations/?niveau=bac-5&par_page=5&page=2": "PageFormations",
    "/api/metiers/?q=ingenieur": "PageMetiers",
    "/api/metiers/?q=ingenier+imge": "PageMetiers",
    "/api/formations/?q=ecol+centrle": "PageFormations",
    "/api/centres-interet/": "ReponseCentresInteret",
    "/api/niveaux/": "ReponseNiveaux",
}
JSON_TYPES = {
    "object": dict, "array": list, "string": str, "integer": int, "boolean": bool, "null": type(None),
}


def resolve(document, ref):
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def conforms(document, schema, value, where="$"):
    """The subset of JSON Schema the document uses: $ref, type, properties, required,
    items, additionalProperties, enum, oneOf. Returns the list of mismatches."""
    if "$ref" in schema:
        return conforms(document, resolve(document, schema["$ref"]), value, where)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not conforms(document, s, value, where)]
        return [] if len(matching) == 1 else [f"{where}: {len(matching)} branches of oneOf match"]
    types = schema.get("type")
    if types:
        types = [types] if isinstance(types, str) else types
        if not any(isinstance(value, JSON_TYPES[t]) and not (t == "integer" and isinstance(value, bool)) for t in types):
            return [f"{where}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    problems = []
    if isinstance(value, dict):
        problems += [f"{where}: missing {key}" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key) or schema.get("additionalProperties")
            if sub is None:
                problems.append(f"{where}: undocumented {key}")
            elif sub is not True:
                problems += conforms(document, sub, item, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += conforms(document, schema["items"], item, f"{where}[{index}]")
    return problems


@pytest.fixture
def document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def all_refs(node):
    if isinstance(node, dict):
        yield from ([node["$ref"]] if "$ref" in node else [])
        for value in node.values():
            yield from all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def test_openapi_document_is_structurally_valid(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    for ref in all_refs(document):
        assert ref.startswith("#/components/schemas/"), ref
        resolve(document, ref)
    for path, item in document["paths"].items():
        assert path.startswith("/api/")
        for method, operation in item.items():
            assert method == "get", "read-only API"
            assert "200" in operation["responses"] and "405" in operation["responses"]
            for parameter in operation["parameters"]:
                assert parameter["in"] in {"query", "path"} and "schema" in parameter
                if parameter["in"] == "path":
                    assert parameter["required"] is True and f"{{{parameter['name']}}}" in path
            assert set(re.findall(r"\{(\w+)\}", path)) <= {p["name"] for p in operation["parameters"] if p["in"] == "path"}
    for name, schema in document["components"]["schemas"].items():
        if schema.get("type") == "object" and "properties" in schema:
            assert set(schema.get("required", [])) <= set(schema["properties"]), name


def test_openapi_parameters_are_the_listing_filters(document):
    parameters = {p["name"] for p in document["paths"]["/api/metiers/"]["get"]["parameters"]}
    assert parameters == set(MetierFilterSet.base_filters) | {"page", "par_page", "apres"}
    demande = next(p for p in document["paths"]["/api/metiers/"]["get"]["parameters"] if p["name"] == "demande")
    assert demande["schema"]["enum"] == ["tres_forte", "forte", "moyenne"]
    assert "au moins aussi forte" in demande["description"]


@pytest.mark.parametrize(("url", "schema"), ENDPOINTS.items())
def test_every_payload_matches_its_schema_and_names_sources_and_licence(client, document, url, schema):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert conforms(document, {"$ref": f"#/components/schemas/{schema}"}, data) == []
    assert "ODbL" in data["licence"]["donnees"] and "Licence Ouverte" in data["licence"]["textes"]
    assert isinstance(data["sources"], list)


def test_a_misspelt_search_says_how_to_spell_it(client):
    data = client.get("/api/metiers/", {"q": "ingenier imge", "par_page": 5, "secteur": "recherche"}).json()
    suggestion = data["recherche"]["suggestion"]
    assert suggestion["q"] == "ingénieur image"
    url = urlsplit(suggestion["url"])
    assert url.path == "/api/metiers/"
    assert parse_qs(url.query) == {"q": ["ingénieur image"], "par_page": ["5"], "secteur": ["recherche"]}
    followed = client.get(f"{url.path}?{url.query}").json()
    assert followed["metiers"][0]["slug"] == IMAGE
    assert followed["recherche"] == {"approchee": False, "suggestion": None}


def test_only_a_search_has_a_search_record(client):
    assert client.get("/api/metiers/").json()["recherche"] is None
    assert client.get("/api/formations/", {"niveau": "bac-5"}).json()["recherche"] is None
    assert client.get("/api/metiers/", {"q": "zzzz qqqq"}).json()["recherche"] == {"approchee": False, "suggestion": None}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="close titles: PostgreSQL's trigrams")
def test_close_titles_are_flagged_as_approximate(client):
    data = client.get("/api/metiers/", {"q": "traitemnt de l'image"}).json()
    assert data["metiers"][0]["slug"] == IMAGE
    assert data["recherche"]["approchee"] is True
    assert data["recherche"]["suggestion"]["q"] == "traitement de l'image"


def test_metier_detail_names_the_sources_of_its_facts(client):
    data = client.get(f"/api/metiers/{IA}/").json()
    cited = {salaire["source"] for salaire in data["metier"]["salaires"]} | set(data["metier"]["sources"])
    assert {source["code"] for source in data["sources"]} == cited
    beginner = {"experience": "debutant", "montant_min": 35000, "montant_max": 45000, "periode": "annuel",
                "devise": "EUR", "source": "tout-savoir-ai-engineer"}
    assert any(beginner.items() <= salaire.items() for salaire in data["metier"]["salaires"])


def test_listing_uses_the_page_filters(client):
    data = client.get("/api/metiers/", {"centre_interet": CHIFFRES, "tri": "salaire"}).json()
    assert [m["slug"] for m in data["metiers"]] == [IA, IMAGE]
    assert data["nombre"] == 2
    # The fiche of the image engineer says nothing of the demand: a demand filter leaves it out.
    data = client.get("/api/metiers/", {"centre_interet": CHIFFRES, "demande": "forte"}).json()
    assert [(m["slug"], m["demande"]) for m in data["metiers"]] == [(IA, "tres_forte")]


def test_pagination_links_and_cap(client):
    first = client.get("/api/formations/", {"par_page": 10}).json()
    assert first["nombre"] == 42 and first["pages"] == 5 and len(first["formations"]) == 10
    second = client.get(first["suivante"]).json()
    assert second["page"] == 2 and second["precedente"].endswith("page=1")
    assert not {f["slug"] for f in first["formations"]} & {f["slug"] for f in second["formations"]}
    assert client.get("/api/formations/", {"par_page": 101}).status_code == 400


def test_the_api_pages_through_every_row_where_the_listing_stops(client, monkeypatch):
    monkeypatch.setattr(listing, "MAX_PAGES", 1)
    last = client.get("/api/formations/", {"par_page": 10, "page": 5}).json()
    assert last["page"] == 5 and len(last["formations"]) == 2
    following = client.get(client.get("/api/formations/", {"par_page": 10, "page": 4}).json()["suivante"]).json()
    assert following["page"] == 5 and following["formations"] == last["formations"]
    assert following["suivante"] is None and following["precedente"].endswith("page=4")


def follow(client, url, params):
    """Every page of a listing, from its first, by its « suivante » links: (pages, their rows' slugs)."""
    pages, data = [], client.get(url, params).json()
    while True:
        pages.append(data)
        if data["suivante"] is None:
            return pages, [row["slug"] for page in pages for row in page[url.split("/")[2]]]
        data = client.get(data["suivante"]).json()


@pytest.fixture
def ties_and_nulls(db):
    """Métiers whose titles repeat and whose level and salary are sometimes unknown: the
    order's later columns, and its nulls, decide where each one comes."""
    Metier.objects.bulk_create(
        Metier(titre=("Électronicien", "alpha", "Alpha", "zeta")[i % 4], slug=f"egal-{i:02d}", publication="publie",
               niveau_acces_id=(None, 3, 5)[i % 3], salaire_debutant=(None, 2000, 2500, 3100)[i % 4])
        for i in range(37)
    )


@pytest.mark.parametrize("tri", ["", "titre", "niveau", "salaire"])
def test_following_the_next_links_reads_every_row_once_in_the_order_of_the_pages(client, ties_and_nulls, tri):
    pages, followed = follow(client, "/api/metiers/", {"tri": tri, "par_page": 7})
    numbered = [
        row["slug"]
        for number in range(1, pages[0]["pages"] + 1)
        for row in client.get("/api/metiers/", {"tri": tri, "par_page": 7, "page": number}).json()["metiers"]
    ]
    assert followed == numbered
    assert len(set(followed)) == pages[0]["nombre"] == 37 + 3
    assert [page["page"] for page in pages] == list(range(1, 7))
    # Each link names the row to go on from, not a page to count up to.
    for page in pages[:-1]:
        link = parse_qs(urlsplit(page["suivante"]).query)
        assert "apres" in link and "page" not in link


def test_a_page_after_a_cursor_is_read_without_an_offset(client, ties_and_nulls):
    first = client.get("/api/metiers/", {"par_page": 5, "tri": "salaire"}).json()
    second = client.get(first["suivante"]).json()
    with CaptureQueriesContext(connection) as queries:
        third = client.get(second["suivante"]).json()
    assert third["page"] == 3 and len(third["metiers"]) == 5
    page_query = next(q["sql"] for q in queries.captured_queries if "LIMIT 5" in q["sql"])
    assert "OFFSET" not in page_query


def test_the_formations_follow_their_next_links_too(client):
    _, followed = follow(client, "/api/formations/", {"par_page": 10})
    numbered = [f["slug"] for n in range(1, 6) for f in client.get("/api/formations/", {"par_page": 10, "page": n}).json()["formations"]]
    assert followed == numbered and len(set(followed)) == 42


def test_a_search_ranked_by_score_is_followed_to_its_end_too(client):
    # Ranked by a computed score on SQLite (its pages are linked by number), title
    # matches first on PostgreSQL (by cursor): either way, every match once.
    pages, followed = follow(client, "/api/metiers/", {"q": "ingénieur", "par_page": 1})
    assert sorted(followed) == sorted({IMAGE, IA, "ingenieur-systemes-embarques-et-ia"})
    assert len(pages) == 3


def test_a_page_links_to_the_same_next_page_whenever_it_is_asked_for(client, ties_and_nulls, monkeypatch):
    links = []
    for moment in (1_800_000_000, 1_800_003_600):
        monkeypatch.setattr(signing.time, "time", lambda moment=moment: moment)
        links.append(client.get("/api/metiers/", {"par_page": 5}).json()["suivante"])
    assert links[0] == links[1] and "apres=" in links[0]


def test_a_cursor_names_its_list(client, ties_and_nulls):
    cursor = parse_qs(urlsplit(client.get("/api/metiers/", {"par_page": 5, "tri": "niveau"}).json()["suivante"]).query)["apres"][0]
    refusals = [
        ({"apres": cursor, "par_page": 5, "tri": "salaire"}, "autre liste"),
        ({"apres": cursor, "par_page": 6, "tri": "niveau"}, "autre liste"),
        ({"apres": cursor, "par_page": 5, "tri": "niveau", "page": 2}, "ne vont pas ensemble"),
        ({"apres": cursor[:-3] + "abc", "par_page": 5, "tri": "niveau"}, "pas un curseur"),
        ({"apres": "n'importe quoi", "par_page": 5, "tri": "niveau"}, "pas un curseur"),
        ({"apres": "\u00e9" * 300, "par_page": 5, "tri": "niveau"}, "pas un curseur"),
    ]
    for params, message in refusals:
        response = client.get("/api/metiers/", params)
        assert response.status_code == 400, params
        assert response["Content-Type"] == "application/json"
        assert message in response.json()["erreur"]
    assert client.get("/api/metiers/", {"apres": cursor, "par_page": 5, "tri": "niveau"}).json()["page"] == 2


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": "0"}, 400),
        ({"page": "abc"}, 400),
        ({"page": "99"}, 404),
        ({"par_page": "-1"}, 400),
        ({"centre_interet": "<script>"}, 400),
        ({"salaire_min": "beaucoup"}, 400),
        ({"demande": "faible"}, 400),
        ({"q": "x" * 500}, 400),
    ],
)
def test_bad_parameters_get_a_json_error(client, params, status):
    response = client.get("/api/metiers/", params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["erreur"]


def test_unknown_and_draft_fiches_are_404(client, make_metier):
    make_metier("brouillon", publie=False)
    for url in ["/api/metiers/brouillon/", "/api/metiers/inconnu/", "/api/formations/inconnue/"]:
        response = client.get(url)
        assert response.status_code == 404 and response.json()["erreur"]
    assert "brouillon" not in str(client.get("/api/metiers/").json())


@pytest.mark.parametrize("url", ["/api/inconnue/", "/api/metiers/une-fiche/de-trop/", "/api/metiers.csv"])
def test_an_address_no_endpoint_serves_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "erreur": "Aucune ressource de l'API à cette adresse ; la liste des adresses est sur http://testserver/api/"
    }


def test_an_unknown_page_outside_the_api_is_still_the_html_404(client):
    response = client.get("/apiculture/")
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(client, method):
    for url in ["/api/metiers/", f"/api/metiers/{IMAGE}/", "/api/niveaux/", "/api/openapi.json"]:
        response = getattr(client, method)(url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert response.json()["erreur"] == (
            "L'API est en lecture seule : seules les méthodes GET et HEAD sont acceptées."
        )


def test_query_counts_do_not_grow_with_the_page(client, django_assert_num_queries):
    # Reference options for the filters, count, page, then for the whole page one query
    # per relation its tags read (sectors, statuses, interests, sources, salaries with
    # their source), and the sources cited.
    with django_assert_num_queries(9):
        client.get("/api/metiers/")
    make_catalogue(60)
    with django_assert_num_queries(9):
        assert len(client.get("/api/metiers/", {"par_page": 100}).json()["metiers"]) == 63
    # The fiche's reads (see MetierQuerySet.for_fiche), then the sources cited.
    with django_assert_num_queries(10):
        client.get("/api/metiers/metier-01/")
    # Niveau filter choices, the formations only drafts name (kept while the catalogue is
    # unchanged, which the tests turn off), count, page, the page's sources, the cited sources.
    with django_assert_num_queries(6):
        client.get("/api/formations/", {"par_page": 100})
    with django_assert_num_queries(0):
        client.get("/api/openapi.json")
    with django_assert_num_queries(1):
        client.get("/api/niveaux/")
    with django_assert_num_queries(2):
        client.get("/api/centres-interet/")


def test_a_request_refused_before_any_endpoint_is_a_json_400(client, settings):
    query = "&".join(f"q={i}" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"/api/metiers/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "erreur": "Requête illisible : elle envoie trop de paramètres ou de fichiers."
    }
