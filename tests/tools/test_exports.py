"""CSV and JSON downloads of the filtered listings."""

import csv
import io
import json

import pytest
from django.urls import set_script_prefix

from core import exports
from tests.factories import make_catalogue
from tests.seeds import CHIFFRES, IMAGE

pytestmark = pytest.mark.usefixtures("portal_data")

METIER_COLUMNS = [
    "identifiant_onisep", "intitule", "adresse", "niveau_acces", "niveau_acces_annees_apres_bac",
    "salaire_debutant_brut_mensuel_eur", "demande", "centres_interet", "secteurs", "statuts",
    "en_bref", "sources", "mis_a_jour_le",
]
FORMATION_COLUMNS = [
    "identifiant_onisep", "libelle", "adresse", "type", "niveau", "niveau_annees_apres_bac",
    "etablissement", "sources", "mis_a_jour_le",
]


def body(response):
    return b"".join(response.streaming_content)


def read_csv(response):
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for spreadsheet software"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_metiers_csv_has_the_documented_columns_and_the_filtered_rows(client):
    response = client.get("/metiers/export.csv", {"centre_interet": CHIFFRES})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="metiers-')
    header, *rows = read_csv(response)
    assert header == METIER_COLUMNS
    # Same filter and order as the page: the two fiches with this interest, by title.
    assert [row[1] for row in rows] == ["ingénieur/e en intelligence artificielle", "ingénieur/e traitement de l'image"]
    image = dict(zip(header, rows[1]))
    assert image["identifiant_onisep"] == "MET.612"
    assert image["adresse"] == f"http://testserver/metiers/{IMAGE}/"
    assert image["niveau_acces"] == "bac + 5"
    assert image["salaire_debutant_brut_mensuel_eur"] == "2830"
    assert image["sources"] == "onisep-met-612"
    assert "j'aime organiser, gérer" in image["centres_interet"].split(" | ")


def test_the_addresses_follow_the_host_and_the_sub_path_the_portal_is_served_under(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "orientation.example"]
    # What the WSGI handler sets from SCRIPT_NAME; the test client leaves it at "/".
    set_script_prefix("/portail/")
    try:
        rows = {
            stem: read_csv(client.get(f"/{stem}/export.csv", {"q": words}, HTTP_HOST="orientation.example"))
            for stem, words in (("formations", "ENSTA"), ("metiers", "image"))
        }
    finally:
        set_script_prefix("/")
    for stem, (header, *lines) in rows.items():
        addresses = [dict(zip(header, line))["adresse"] for line in lines]
        assert addresses and all(a.startswith(f"http://orientation.example/portail/{stem}/") for a in addresses)
    header, *lines = rows["formations"]
    assert {dict(zip(header, line))["type"] for line in lines} == {"diplôme d'ingénieur"}


def test_metiers_json_has_the_same_rows_their_sources_and_the_licence(client):
    response = client.get("/metiers/export.json", {"centre_interet": CHIFFRES, "tri": "salaire"})
    assert response.status_code == 200
    data = json.loads(body(response))
    assert data["colonnes"] == METIER_COLUMNS
    assert [list(row) for row in data["metiers"]] == [METIER_COLUMNS] * 2
    # Sorted by beginner salary, highest first: 2 916 € (35 000 / 12) before 2 830 €.
    assert [row["intitule"] for row in data["metiers"]] == [
        "ingénieur/e en intelligence artificielle", "ingénieur/e traitement de l'image"]
    assert data["metiers"][0]["centres_interet"] == ["j'aime jongler avec les chiffres",
                                                     "je me passionne pour les nouvelles technologies"]
    cited = {source["code"] for source in data["sources"]}
    assert cited == {"onisep-met-612", "tout-savoir-ai-engineer", "ingenieur-ia-roles-salaires-formation",
                     "ingenieur-ia-innovation-performance"}
    assert "ODbL" in data["licence"]["donnees"] and "Licence Ouverte" in data["licence"]["textes"]


def test_formations_csv_and_json(client):
    header, *rows = read_csv(client.get("/formations/export.csv", {"q": "Bretagne"}))
    assert header == FORMATION_COLUMNS
    assert any(row[0] == "FOR.5543" for row in rows)
    data = json.loads(body(client.get("/formations/export.json", {"niveau": "bac-5", "type": "mba"})))
    assert data["formations"] and all(row["type"] == "MBA" and row["niveau"] == "bac + 5" for row in data["formations"])


def test_an_empty_listing_still_has_its_header(client):
    header, *rows = read_csv(client.get("/metiers/export.csv", {"niveau": "bac-2"}))
    assert header == METIER_COLUMNS and rows == []


def test_spreadsheet_formulas_are_neutralised(client, make_metier):
    make_metier("formule", titre='=HYPERLINK("http://piege.example","clic")', niveau=1)
    rows = read_csv(client.get("/metiers/export.csv", {"niveau": "bac-1"}))
    titles = [row[1] for row in rows[1:]]
    assert titles == ['\'=HYPERLINK("http://piege.example","clic")']


@pytest.mark.parametrize("url", ["/metiers/export.csv", "/metiers/export.json", "/formations/export.csv"])
def test_an_invalid_filter_is_refused_with_a_message(client, url):
    response = client.get(url, {"niveau": "<b>bac-99</b>"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Filtre « Niveau" in response.content.decode() and "valeur inconnue" in response.content.decode()


def test_other_methods_are_refused(client):
    assert client.post("/metiers/export.csv").status_code in (403, 405)
    response = client.put("/metiers/export.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "<h1>Cette page se consulte seulement</h1>" in response.content.decode()


def test_query_count_is_bounded_whatever_the_size(client, django_assert_num_queries, monkeypatch):
    # Reference options for the filters, the métiers, then for each chunk of 500 one query
    # per relation its tags read (sectors, statuses, interests, sources, salaries with
    # their source).
    with django_assert_num_queries(7):
        body(client.get("/metiers/export.csv"))
    make_catalogue(60)
    with django_assert_num_queries(7):
        rows = read_csv(client.get("/metiers/export.csv"))
    assert len(rows) == 1 + 63
    # The JSON adds the sources it cites.
    with django_assert_num_queries(8):
        body(client.get("/metiers/export.json"))
    # Niveau filter choices, the formations only drafts name (kept while the catalogue is
    # unchanged, which the tests turn off), the formations, their sources.
    with django_assert_num_queries(4):
        body(client.get("/formations/export.csv"))
    # 63 métiers in chunks of 20: four chunks of five queries each.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 20)
    with django_assert_num_queries(1 + 1 + 4 * 5):
        assert read_csv(client.get("/metiers/export.csv")) == rows
    # In chunks of 21: three full chunks, and nothing read after the last one.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 21)
    with django_assert_num_queries(1 + 1 + 3 * 5):
        assert read_csv(client.get("/metiers/export.csv")) == rows


def test_with_the_cache_an_export_reads_the_links_and_nothing_else(client, settings, django_assert_num_queries):
    settings.COUNT_CACHE = True
    make_catalogue(60)
    body(client.get("/metiers/export.csv"))
    # The catalogue's version, the métiers, their tags' relations: the reference options
    # come from the cache.
    with django_assert_num_queries(7):
        assert len(read_csv(client.get("/metiers/export.csv"))) == 1 + 63
