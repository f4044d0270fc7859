"""Hostile query strings on the listings: never a 500, the bad filter ignored and said so.

The values are written raw into the query string, as a browser or a scanner would send
them, so that NUL bytes, huge integers and broken percent-encoding reach the views.
"""

from html import unescape

import pytest

from tests.factories import make_catalogue

HOSTILE = {
    "inconnu": "valeur-inconnue",
    "zero": "0",
    "enorme": "999999",
    "lettres": "abc",
    "nul": "%00",
    "nul_dans_un_mot": "bac%005",
    "long": "x" * 10_000,
    "au_dela_de_2_63": str(2**64),
    "negatif_64_bits": str(-(2**63) - 1),
    "pourcent_invalide": "%E9%ZZ",
}

# Parameter → the hostile values it accepts as meaningful (a search for "abc" is a search).
LISTINGS = {
    "/metiers/": {
        "q": {"inconnu", "zero", "enorme", "lettres", "pourcent_invalide", "au_dela_de_2_63",
              "negatif_64_bits"},
        "niveau": set(), "niveau_max": set(), "centre_interet": set(), "secteur": set(),
        "statut": set(), "formation": set(), "salaire_min": {"zero"}, "tri": set(), "page": set(),
    },
    "/formations/": {
        "q": {"inconnu", "zero", "enorme", "lettres", "pourcent_invalide", "au_dela_de_2_63",
              "negatif_64_bits"},
        "type": set(), "niveau": set(), "page": set(),
    },
}

CASES = [
    (path, param, name)
    for path, params in LISTINGS.items()
    for param in params
    for name in HOSTILE
]


@pytest.fixture
def catalogue(db):
    return make_catalogue(25)


@pytest.mark.parametrize("path, param, name", CASES)
def test_hostile_value_is_ignored_with_a_message(client, catalogue, path, param, name):
    response = client.get(f"{path}?{param}={HOSTILE[name]}")
    assert response.status_code == 200
    page = unescape(response.content.decode()).replace("\xa0", " ")
    assert 'id="nb-resultats"' in page
    if name in LISTINGS[path][param]:
        assert 'class="notice"' not in page
    else:
        assert 'class="notice"' in page
        assert "a été ignoré" in page or "page" in page.split('class="notice"')[1].split("</div>")[0]
    # Never echo a raw NUL byte or the whole 10 000 characters back.
    assert "\x00" not in page
    assert "x" * 300 not in page


@pytest.mark.parametrize("path, param", [(p, k) for p, params in LISTINGS.items() for k in params])
def test_repeated_parameters_never_fail(client, catalogue, path, param):
    response = client.get(f"{path}?{param}=a&{param}=%00&{param}={2**70}&{param}=1")
    assert response.status_code == 200


def test_every_hostile_value_at_once(client, catalogue):
    query = "&".join(f"{param}={value}" for param in LISTINGS["/metiers/"] for value in HOSTILE.values())
    assert client.get(f"/metiers/?{query}").status_code == 200


def test_a_valid_filter_still_applies_next_to_a_bad_one(client, catalogue):
    page = unescape(client.get("/metiers/?secteur=secteur-a&statut=%00&page=abc").content.decode())
    assert "9 métiers trouvés" in page
    assert "Le filtre «\u00a0Statut\u00a0» a été ignoré\u00a0: valeur inconnue." in page
    assert "Le numéro de page n'est pas un nombre\u00a0: première page affichée." in page


@pytest.mark.parametrize("path, label", [("/metiers/", "Rechercher un métier"),
                                         ("/formations/", "Rechercher une formation")])
def test_a_nul_byte_in_the_search_is_explained_in_french(client, catalogue, path, label):
    page = unescape(client.get(f"{path}?q=robot%00").content.decode())
    assert f"Le filtre «\u00a0{label}\u00a0» a été ignoré\u00a0: la recherche contient un caractère nul." in page
    assert "Null characters" not in page and "caractère nul n’est pas autorisé" not in page


def test_a_page_beyond_the_last_shows_the_last_page(client, catalogue):
    page = unescape(client.get("/metiers/?page=999999").content.decode())
    assert "Cette page n'existe pas\u00a0: page 2 sur 2 affichée." in page
    assert "Page 2 sur 2" in page


def test_pagination_links_drop_the_ignored_filters(client, catalogue):
    page = unescape(client.get("/metiers/?secteur=zzz&tri=titre").content.decode())
    assert 'href="?tri=titre&page=2"' in page


@pytest.mark.parametrize(
    "path",
    ["/metiers/%00/", "/metiers/x%E9%ZZ/", "/formations/%00/", "/centres-interet/%00/",
     "/niveaux/bac-99999999999999999999/", "/metiers/" + "a" * 5000 + "/"],
)
def test_hostile_paths_are_not_found(client, catalogue, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("path", ["/centres-interet/centre-a/", "/niveaux/bac-5/"])
def test_hostile_page_numbers_on_interest_and_level_pages(client, catalogue, path, name):
    response = client.get(f"{path}?page={HOSTILE[name]}")
    assert response.status_code == 200
    assert 'class="notice"' in response.content.decode()
