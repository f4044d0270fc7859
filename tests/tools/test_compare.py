"""Comparison of 2 to 4 métiers: /metiers/comparer/?m=…&m=…"""

import re
from html import unescape

import pytest

from tests.factories import make_catalogue
from tests.seeds import EMBARQUES, IA, IMAGE

URL = "/metiers/comparer/"

pytestmark = pytest.mark.usefixtures("portal_data")


def compare(client, *slugs):
    return client.get(URL, {"m": list(slugs)})


def page_text(response):
    """The HTML with French number spacing (narrow no-break spaces) as plain spaces."""
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def svg_bars(html):
    """(x, width) of each bar of each chart, in chart order."""
    charts = re.findall(r'<svg class="echelle-salaires__svg".*?</svg>', html, re.S)
    return [
        [(float(x), float(w)) for x, w in re.findall(r'<rect class="echelle-salaires__barre[^"]*" x="([\d.]+)" y="\d+" width="([\d.]+)"', chart)]
        for chart in charts
    ]


def test_two_metiers_side_by_side_with_sources(client):
    response = compare(client, IMAGE, IA)
    html = page_text(response)
    assert response.status_code == 200
    headers = re.findall(r'<th scope="col"><a href="([^"]+)"', html)
    assert headers == [f"/metiers/{IMAGE}/", f"/metiers/{IA}/"]
    # Beginner figures as the sources state them, each with its source.
    assert "2 830 € à 3 333 € par mois, brut" in html
    assert "35 000 € à 45 000 € par an, brut (soit 2 917 € à 3 750 € par mois)" in html
    assert "Fiche ONISEP « ingénieur/e traitement de l&#39;image » (MET.612)" in html
    assert "Tout savoir sur le métier d&#39;AI engineer" in html
    for row in ["Niveau d'accès minimum", "Salaire débutant", "Salaire confirmé", "Formations recommandées",
                "Centres d'intérêt", "Statuts", "Secteurs d'activité", "Demande de recrutement"]:
        assert f'<th scope="row">{row}</th>' in html


def test_salaries_share_one_monthly_scale_per_currency(client):
    html = page_text(compare(client, IMAGE, IA, EMBARQUES))
    euros, dollars = svg_bars(html)
    assert "Montants en EUR (€) par mois" in html
    assert "Montants en USD ($) par mois, échelle distincte" in html
    # Six euro figures (1 + 4 + 1) on the shared scale, the one dollar figure apart.
    assert len(euros) == 6 and len(dollars) == 1
    # Euro axis: 0 to 8 000 € per month over 640 units, so 0.08 unit per euro.
    # 2 830–3 333 € a month; 35 000–45 000 € a year = 2 917–3 750 € a month (rounded to the euro).
    assert euros[0] == (pytest.approx(2830 * 0.08, abs=0.05), pytest.approx(503 * 0.08, abs=0.05))
    assert euros[1] == (pytest.approx(2917 * 0.08, abs=0.05), pytest.approx(833 * 0.08, abs=0.05))
    assert re.search(r'<text class="echelle-salaires__graduation" x="640.0"[^>]*>8 000</text>', html)


def test_formations_in_common_and_shared_interests(client):
    html = compare(client, IMAGE, IA).content.decode()
    section = html.split('id="h-formations-communes"')[1]
    # FOR.5543 (ENSTA Bretagne) is recommended for both in the seed fiches.
    assert "École nationale supérieure de techniques avancées Bretagne" in section
    assert "commune aux 2 métiers" in section
    # "jongler avec les chiffres" and "nouvelles technologies" are shared; "organiser" is not.
    assert html.count('<span class="tag tag--commun">commun</span>') == 4


@pytest.mark.parametrize(
    ("slugs", "status", "message"),
    [
        ((), 400, "Il faut au moins 2 métiers"),
        ((IMAGE,), 400, "Il faut au moins 2 métiers"),
        ((IMAGE, IMAGE), 400, "Il faut au moins 2 métiers"),
        ((IMAGE, "inconnu"), 404, "Aucune fiche publiée ne correspond à «\u00a0inconnu\u00a0»"),
        ((IMAGE, IA, EMBARQUES, "a", "b"), 400, "on en compare 4 au plus"),
        ((IMAGE, "<script>alert(1)</script>"), 404, "«\u00a0&lt;script&gt;alert(1)&lt;/script&gt;\u00a0»"),
        ((IMAGE, "x" * 5000), 404, "Aucune fiche publiée ne correspond"),
    ],
)
def test_bad_choices_are_explained_never_a_server_error(client, slugs, status, message):
    response = compare(client, *slugs)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("value, shown", [("a\x00b", "«\u00a0ab\u00a0»"), ("\x01\x02", None), ("é" * 3, "«\u00a0ééé\u00a0»")])
def test_a_value_that_cannot_be_an_address_is_neither_queried_nor_echoed_raw(client, value, shown):
    # PostgreSQL refuses a NUL byte in a query; a control character has no place in the page.
    response = compare(client, IMAGE, value)
    html = unescape(response.content.decode())
    assert response.status_code == 404
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", html)
    if shown:
        assert f"Aucune fiche publiée ne correspond à {shown}\u00a0: elle est ignorée." in html
    else:
        assert "Une valeur de l'adresse ne correspond à aucune fiche publiée\u00a0: elle est ignorée." in html


def test_a_draft_is_not_compared(client, make_metier):
    make_metier("brouillon-secret", publie=False)
    response = compare(client, IMAGE, IA, "brouillon-secret")
    html = response.content.decode()
    # The two published ones are still compared, the draft is named as not found.
    assert response.status_code == 200
    assert "Aucune fiche publiée ne correspond à «\u00a0brouillon-secret\u00a0»" in html
    assert 'href="/metiers/brouillon-secret/"' not in html
    assert len(re.findall(r'<th scope="col">', html)) == 2


def test_query_count_does_not_grow_with_the_metiers(client, django_assert_num_queries):
    # The métiers, then their salaries, formations, interests, statuses and sectors.
    with django_assert_num_queries(6):
        compare(client, IMAGE, IA)
    catalogue = make_catalogue(8)
    with django_assert_num_queries(6):
        response = compare(client, *[m.slug for m in catalogue.metiers[:4]])
    assert response.status_code == 200
    assert len(re.findall(r'<th scope="col">', response.content.decode())) == 4
