"""« Quels métiers pour moi ? »: /quels-metiers/?centre_interet=…&niveau_max=…"""

import re

import pytest

from tests.factories import make_catalogue
from tests.seeds import CHIFFRES, EMBARQUES, IA, IMAGE, ORGANISER, TECHNOS

URL = "/quels-metiers/"

pytestmark = pytest.mark.usefixtures("portal_data")


def proposed(response):
    """Slugs of the proposed métiers, in rank order, and each one's score line."""
    html = response.content.decode()
    slugs = re.findall(r'<h3 class="proposition__titre"><a href="/metiers/([\w-]+)/">', html)
    scores = re.findall(r'<p class="proposition__score"><strong>([^<]+)</strong>', html)
    return slugs, scores


def test_ranks_by_number_of_shared_interests_and_says_why(client):
    response = client.get(URL, {"centre_interet": [CHIFFRES, ORGANISER, TECHNOS]})
    slugs, scores = proposed(response)
    assert response.status_code == 200
    # Seed fiches: image has all three interests, IA two, embedded systems one.
    assert slugs == [IMAGE, IA, EMBARQUES]
    assert scores == ["Vos 3 centres d'intérêt", "2 de vos 3 centres d'intérêt", "1 de vos 3 centres d'intérêt"]
    html = response.content.decode()
    embarques = html.split(f'href="/metiers/{EMBARQUES}/"')[1]
    assert "Centres d'intérêt partagés</dt><dd>Je me passionne pour les nouvelles technologies</dd>" in embarques


def test_never_proposes_a_metier_sharing_no_ticked_interest(client, make_metier):
    make_metier("sans-centre-commun", centres=[TECHNOS])
    make_metier("brouillon-qui-organise", publie=False, centres=[ORGANISER])
    slugs, scores = proposed(client.get(URL, {"centre_interet": [ORGANISER]}))
    assert slugs == [IMAGE]
    assert scores == ["Votre centre d'intérêt"]


def test_highest_level_keeps_only_metiers_accessible_at_or_below_it(client, make_metier):
    make_metier("technicien-bac-2", niveau=2, centres=[CHIFFRES])
    make_metier("docteur-bac-8", niveau=8, centres=[CHIFFRES, TECHNOS])
    response = client.get(URL, {"centre_interet": [CHIFFRES, TECHNOS], "niveau_max": "bac-5"})
    slugs, _ = proposed(response)
    # Ties on the number of shared interests are broken by title; the bac + 8 one is left out.
    assert slugs == [IA, IMAGE, EMBARQUES, "technicien-bac-2"]
    assert "accessible dès bac\u00a0+\u00a02 (vous visez au plus bac\u00a0+\u00a05)" in response.content.decode()
    slugs, _ = proposed(client.get(URL, {"centre_interet": [CHIFFRES], "niveau_max": "bac-3"}))
    assert slugs == ["technicien-bac-2"]


def test_no_interest_ticked_proposes_nothing(client):
    response = client.get(URL, {"niveau_max": "bac-5"})
    assert response.status_code == 200
    assert proposed(response) == ([], [])
    assert "Cochez au moins un centre d'intérêt" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"centre_interet": ["<script>alert(1)</script>"]},
        {"centre_interet": [CHIFFRES], "niveau_max": "bac-99"},
        {"centre_interet": [CHIFFRES], "page": "abc"},
        {"centre_interet": [CHIFFRES], "page": "99999"},
        {"centre_interet": ["x" * 3000]},
    ],
)
def test_hostile_input_is_named_not_a_server_error(client, params):
    response = client.get(URL, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "n'a pas pu être prise en compte" in html


def test_the_url_is_shareable_and_ticks_the_boxes(client):
    html = client.get(URL, {"centre_interet": [TECHNOS], "niveau_max": "bac-5"}).content.decode()
    assert re.search(rf'value="{TECHNOS}"[^>]*checked', html)
    assert '<option value="bac-5" selected>' in html


def test_query_count_is_constant(client, django_assert_num_queries):
    # Reference options (one UNION), count, page, shared interests of the page.
    with django_assert_num_queries(4):
        client.get(URL, {"centre_interet": [CHIFFRES, TECHNOS], "niveau_max": "bac-5"})
    make_catalogue(60)
    with django_assert_num_queries(4):
        slugs, scores = proposed(client.get(URL, {"centre_interet": ["centre-a", "centre-b"], "niveau_max": "bac-8"}))
    assert len(slugs) == 20 and set(scores) == {"1 de vos 2 centres d'intérêt"}


def test_each_proposal_can_be_kept_in_the_selection_and_brings_back_here(client):
    address = f"{URL}?centre_interet={ORGANISER}"
    html = client.get(address).content.decode()
    slugs, _ = proposed(client.get(address))
    forms = re.findall(r'<form class="selection-bouton" method="post" action="/selection/ajouter/">(.*?)</form>', html, re.S)
    assert len(forms) == len(slugs) >= 1
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', forms[0]))
    assert fields == {"type": "metier", "slug": slugs[0], "next": address}
    response = client.post("/selection/ajouter/", fields)
    assert response.status_code == 302 and response["Location"] == address
    assert "Retirer de ma sélection" in client.get(address).content.decode()
