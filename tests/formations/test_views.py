import re
from html import unescape

import pytest

from formations.models import Formation
from metiers.models import Metier
from tests.factories import make_catalogue


def page_of(response):
    assert response.status_code == 200
    return unescape(response.content.decode()).replace("\xa0", " ")


def libelles(response):
    return re.findall(r'class="card__title"><a href="/formations/[^"]+">([^<]+)</a>', page_of(response))


def test_listing_filters_by_kind_and_level(client, portal_data):
    response = client.get("/formations/", {"type": "doctorat"})
    assert libelles(response)
    assert all("doctorat" in libelle.lower() for libelle in libelles(response))
    expected = Formation.objects.filter(niveau__slug="bac-3").count()
    response = client.get("/formations/", {"niveau": "bac-3"})
    assert re.search(rf'id="nb-resultats"[^>]*>{expected} formations?<', page_of(response))
    assert '<option value="bac-3" selected>bac + 3</option>' in page_of(response)


def test_listing_search_and_empty_state(client, portal_data):
    response = client.get("/formations/", {"q": "ENSTA"})
    assert any("École nationale supérieure de techniques avancées Bretagne" in t for t in libelles(response))
    empty = page_of(client.get("/formations/", {"q": "boulangerie"}))
    assert "Aucune formation trouvée" in empty
    assert "Aucune formation ne correspond" in empty


@pytest.mark.parametrize("listing", ["/metiers/", "/formations/"])
def test_a_search_names_itself_in_the_page_title(client, portal_data, listing):
    section = "Métiers" if listing == "/metiers/" else "Formations"

    def title(params):
        html = client.get(listing, params).content.decode()
        return re.search(r"<title>(.*)</title>", html).group(1)

    assert title({"q": "ENSTA <b>"}) == f"Recherche «&nbsp;ENSTA &lt;b&gt;&nbsp;» · {section} · Cap Ingé"
    assert title({}) == f"{section} · Cap Ingé"
    # A search refused as too long names nothing.
    assert title({"q": "x" * 201}) == f"{section} · Cap Ingé"


def test_listing_has_labels_chips_and_reset(client, portal_data):
    page = page_of(client.get("/formations/", {"type": "master", "niveau": "bac-5"}))
    assert '<label for="q">Rechercher une formation</label>' in page
    assert '<a class="chip" href="/formations/?niveau=bac-5">Type de diplôme : master' in page
    assert '<a class="filtres__reset" href="/formations/">Réinitialiser</a>' in page


def test_formation_page_lists_the_published_metiers_it_leads_to(client, portal_data):
    formation = Formation.objects.get(onisep_id="FOR.1251")
    Metier.objects.filter(slug="ingenieur-systemes-embarques-et-ia").update(publication="brouillon")
    page = page_of(client.get(formation.get_absolute_url()))
    assert "Métiers auxquels elle mène" in page
    cards = re.findall(r'class="card__title"><a href="(/metiers/[^"]+)">', page)
    expected = sorted(m.get_absolute_url() for m in formation.metiers.published())
    assert sorted(cards) == expected and expected
    assert "/metiers/ingenieur-systemes-embarques-et-ia/" not in page
    assert '<a href="/formations/">Formations</a>' in page  # breadcrumb


def test_a_formation_heads_its_page_and_its_card_with_a_capital(client, portal_data):
    # ONISEP's labels start in lower case (« diplôme d'ingénieur de … »), as they read in a sentence.
    formation = Formation.objects.get(onisep_id="FOR.1251")
    assert formation.libelle[0].islower()
    heading = formation.libelle[0].upper() + formation.libelle[1:]
    page = page_of(client.get(formation.get_absolute_url()))
    assert f'<h1 class="fiche__titre">{heading}</h1>' in page
    assert f"<title>{heading} · Cap Ingé</title>" in page
    assert heading in libelles(client.get("/formations/", {"q": formation.libelle}))
    # Where it reads as part of a trail, it keeps its case, as the métiers' titles do.
    assert f'<span aria-current="page">{formation.libelle}</span>' in page


def test_unknown_formation_is_not_found(client, db):
    assert client.get("/formations/inconnue/").status_code == 404


@pytest.fixture
def catalogue(db):
    return make_catalogue(60)


def test_query_counts(client, catalogue, django_assert_max_num_queries, django_assert_num_queries):
    for query in ({}, {"q": "formation", "type": "master", "niveau": "bac-5", "page": 1}):
        with django_assert_max_num_queries(5):
            assert client.get("/formations/", query).status_code == 200
    # The formations only drafts name (kept while the catalogue is unchanged, which the
    # tests turn off), the formation, its sources, its first métiers, their number.
    with django_assert_num_queries(5):
        page = page_of(client.get("/formations/formation-a/"))
    assert page.count('class="card"') == 12
    assert "60 métiers, dont les 12 premiers ci-dessous." in page
    assert '<a href="/metiers/?formation=formation-a">Les voir tous dans la liste' in page


@pytest.mark.parametrize(
    "address", ["/formations/", "/formations/?q=robotique", "detail", "/formations/export.csv", "/api/formations/"]
)
def test_pages_never_read_the_search_vector(client, portal_data, address):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if address == "detail":
        address = Formation.objects.first().get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"formations_formation"."libelle"' in sql
    # Read as a column of the formation, as opposed to matched in a condition or ranked.
    assert not re.search(r'(SELECT|,) "formations_formation"\."vecteur"(,| FROM)', sql)
