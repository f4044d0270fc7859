"""Findable and shareable: JSON-LD, sitemap.xml, robots.txt, Open Graph, canonical address, print."""

import json
import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from formations.models import Formation
from metiers.models import Metier
from portal.sitemaps import FormationSitemap
from tests.factories import make_catalogue
from tests.seeds import IA, IMAGE

pytestmark = pytest.mark.usefixtures("portal_data")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_fiche_describes_an_occupation(client):
    data = json_ld(client.get(f"/metiers/{IMAGE}/"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Occupation"
    assert data["name"] == "ingénieur/e traitement de l'image"
    assert data["url"] == f"http://testserver/metiers/{IMAGE}/"
    assert data["occupationalCategory"]["codeValue"] == "MET.612"
    assert data["educationRequirements"]["educationalLevel"] == "bac + 5"
    (salaire,) = data["estimatedSalary"]
    assert "MonetaryAmountDistribution" in salaire["@type"]
    assert {"currency": "EUR", "duration": "P1M", "minValue": 2830, "maxValue": 3333}.items() <= salaire.items()


def test_fiche_without_onisep_id_has_no_category_and_keeps_yearly_amounts_yearly(client):
    data = json_ld(client.get(f"/metiers/{IA}/"))
    assert "occupationalCategory" not in data
    yearly = [(s.get("minValue"), s.get("maxValue")) for s in data["estimatedSalary"]
              if s["duration"] == "P1Y" and s["currency"] == "EUR"]
    assert (35000, 45000) in yearly and (None, 80000) in yearly
    assert any(s["currency"] == "USD" for s in data["estimatedSalary"])


def test_json_ld_cannot_be_broken_out_of(client, make_metier):
    titre = '</script><script>alert("titre")</script><!--'
    make_metier("piege", titre=titre)
    response = client.get("/metiers/piege/")
    html = response.content.decode()
    assert "<script>alert(" not in html
    assert json_ld(response)["name"] == titre
    # The strict policy is untouched: JSON-LD is data, not a script to run.
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_formation_page_describes_a_program(client):
    formation = Formation.objects.get(onisep_id="FOR.5543")
    data = json_ld(client.get(formation.get_absolute_url()))
    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["name"] == formation.libelle
    assert data["identifier"]["value"] == "FOR.5543"
    assert data["provider"]["name"] == formation.etablissement
    occupations = {o["url"] for o in data["relevantOccupation"]}
    assert f"http://testserver/metiers/{IMAGE}/" in occupations


def sitemap_locations(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return [node.text for node in ElementTree.fromstring(response.content).iter(f"{SITEMAP}loc")]


def local(address):
    return address.removeprefix("http://testserver")


SECTIONS = ("pages", "metiers", "formations", "centres-interet")


def test_sitemap_is_an_index_of_one_file_per_section(client):
    assert sitemap_locations(client, "/sitemap.xml") == [f"http://testserver/sitemap-{s}.xml" for s in SECTIONS]


def test_sitemap_lists_published_fiches_and_formations_only(client, make_metier):
    make_metier("brouillon", publie=False)
    locations = {
        location
        for file in sitemap_locations(client, "/sitemap.xml")
        for location in sitemap_locations(client, local(file))
    }
    assert f"http://testserver/metiers/{IMAGE}/" in locations
    assert "http://testserver/metiers/brouillon/" not in locations
    assert "http://testserver/quels-metiers/" in locations
    assert sum("/formations/" in loc for loc in locations) == Formation.objects.count() + 1


def test_a_big_section_is_split_into_files_that_the_index_lists(client, monkeypatch):
    monkeypatch.setattr(FormationSitemap, "limit", 10)
    total = Formation.objects.count()
    pages = -(-total // 10)
    assert pages > 1
    files = [local(file) for file in sitemap_locations(client, "/sitemap.xml") if "formations" in file]
    assert files == ["/sitemap-formations.xml"] + [f"/sitemap-formations.xml?p={n}" for n in range(2, pages + 1)]
    per_file = [sitemap_locations(client, file) for file in files]
    assert all(len(locations) <= 10 for locations in per_file)
    listed = [location for locations in per_file for location in locations]
    assert sorted(listed) == sorted(f"http://testserver{f.get_absolute_url()}" for f in Formation.objects.all())


@pytest.mark.parametrize("query", ["?p=2", "?p=0", "?p=-1", "?p=abc", "?p=%00", "?p=1e309", "?p=1.5"])
def test_a_file_number_outside_the_section_is_not_found(client, query):
    response = client.get(f"/sitemap-metiers.xml{query}")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-inconnu.xml").status_code == 404


def test_the_index_dates_each_file_by_its_latest_change(client, make_metier):
    latest = datetime(2031, 5, 4, 10, 0, tzinfo=UTC)
    Metier.objects.filter(slug=IMAGE).update(modifie_le=latest)
    # A draft changed later is not in the file, so it does not date it.
    Metier.objects.filter(pk=make_metier("brouillon", publie=False).pk).update(modifie_le=latest + timedelta(days=400))
    Formation.objects.filter(onisep_id="FOR.5543").update(modifie_le=latest - timedelta(days=1))
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    dates = {
        local(node.findtext(f"{SITEMAP}loc")): node.findtext(f"{SITEMAP}lastmod")
        for node in index.iter(f"{SITEMAP}sitemap")
    }
    assert datetime.fromisoformat(dates["/sitemap-metiers.xml"]) == latest
    assert datetime.fromisoformat(dates["/sitemap-formations.xml"]) == latest - timedelta(days=1)
    assert dates["/sitemap-pages.xml"] is None


def test_sitemap_query_counts_do_not_grow(client, django_assert_num_queries):
    def read_every_file():
        # The index: a count of each database-backed section, the latest change of two, and
        # for both of the formations' the formations only drafts name (kept while the
        # catalogue is unchanged, which the tests turn off).
        with django_assert_num_queries(7) as index:
            files = [local(file) for file in sitemap_locations(client, "/sitemap.xml")]
        # Counts and maxima only: the index reads no row of a section, however big it is.
        sections = [query["sql"] for query in index.captured_queries if "metiers_metier_formations" not in query["sql"]]
        assert len(sections) == 5 and all("COUNT(" in sql or "MAX(" in sql for sql in sections)
        locations = []
        for file, queries in zip(files, (0, 2, 3, 2), strict=True):
            with django_assert_num_queries(queries):  # a count and a page
                locations += sitemap_locations(client, file)
        return locations

    read_every_file()
    make_catalogue(60)
    assert len(read_every_file()) == 7 + 63 + 45 + 6


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /selection/" in lines


def test_open_graph_and_canonical_address(client):
    html = client.get(f"/metiers/{IMAGE}/?utm_source=partage").content.decode()
    assert f'<link rel="canonical" href="http://testserver/metiers/{IMAGE}/">' in html
    assert f'<meta property="og:url" content="http://testserver/metiers/{IMAGE}/">' in html
    assert '<meta property="og:title" content="Ingénieur/e traitement de l&#39;image">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert re.search(r'<meta property="og:description" content="Entre mathématiques appliquées', html)


def test_print_stylesheet_and_print_footer(client):
    html = client.get(f"/metiers/{IMAGE}/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', html)
    footer = re.search(r'<p class="impression" hidden>(.*?)</p>', html, re.S).group(1)
    assert f"http://testserver/metiers/{IMAGE}/" in footer
    assert re.search(r"le \d{1,2} \w+ 20\d\d", footer)


def test_a_comparison_keeps_its_query_in_its_canonical_address(client):
    html = client.get("/metiers/comparer/", {"m": [IMAGE, IA]}).content.decode()
    expected = f"http://testserver/metiers/comparer/?m={IMAGE}&amp;m={IA}"
    assert f'<link rel="canonical" href="{expected}">' in html
    assert re.search(rf'<p class="impression" hidden>[^<]*{re.escape(expected)}', html)
