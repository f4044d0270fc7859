"""The session selection: /selection/ and its POST forms."""

import re
from html import escape as html_escape
from html import unescape as html_unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_catalogue
from tests.seeds import EMBARQUES, IA, IMAGE

pytestmark = pytest.mark.usefixtures("portal_data")
FORMATION = "diplome-d-ingenieur-de-l-ecole-nationale-superieure-de-techniques-avancees-bretagne"


def add(client, kind, slug, headers=None, **extra):
    return client.post("/selection/ajouter/", {"type": kind, "slug": slug, **extra}, headers=headers)


def listed(client):
    html = client.get("/selection/").content.decode()
    return re.findall(r'<a class="selection-liste__titre" href="/(?:metiers|formations)/([\w-]+)/">', html)


@pytest.fixture
def formation_slug(db):
    from formations.models import Formation

    return Formation.objects.get(onisep_id="FOR.5543").slug


def test_add_list_remove_and_clear(client, formation_slug):
    assert add(client, "metier", IMAGE).status_code == 302
    add(client, "metier", IA)
    add(client, "metier", IMAGE)  # twice: kept once
    add(client, "formation", formation_slug)
    assert listed(client) == [IMAGE, IA, formation_slug]

    client.post("/selection/retirer/", {"type": "metier", "slug": IMAGE})
    assert listed(client) == [IA, formation_slug]

    response = client.post("/selection/vider/")
    assert response.status_code == 302
    assert listed(client) == []
    assert "Votre sélection est vide." in client.get("/selection/").content.decode()


def test_compare_form_lists_the_selected_metiers(client):
    for slug in [IMAGE, IA, EMBARQUES]:
        add(client, "metier", slug)
    html = client.get("/selection/").content.decode()
    form = html.split('<form class="comparer no-print" method="get" action="/metiers/comparer/">')[1].split("</form>")[0]
    assert re.findall(r'name="m" value="([\w-]+)" checked', form) == [IMAGE, IA, EMBARQUES]


def test_the_fiche_form_works_with_csrf_checks_and_cached_pages():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.get(f"/metiers/{IMAGE}/")
    # No per-visitor token nor cookie: the fiche stays cacheable for every visitor.
    assert not response.cookies
    form = re.search(r'<form class="selection-bouton" method="post" action="/selection/ajouter/">(.*?)</form>',
                     response.content.decode(), re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields == {"type": "metier", "slug": IMAGE, "next": f"/metiers/{IMAGE}/"}
    response = strict.post("/selection/ajouter/", fields, headers={"Origin": "http://testserver"})
    assert response.status_code == 302
    assert response["Location"] == f"/metiers/{IMAGE}/"
    html = strict.get(f"/metiers/{IMAGE}/").content.decode()
    assert 'action="/selection/retirer/"' in html
    assert "Retirer de ma sélection" in html


def test_a_post_from_another_site_is_refused(client):
    response = add(client, "metier", IMAGE, **{"headers": {"Origin": "https://ailleurs.example"}})
    assert response.status_code == 403
    assert listed(client) == []


def test_clearing_keeps_its_csrf_check(client):
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post("/selection/vider/").status_code == 403


def test_a_fiche_offers_to_compare_with_the_selection(client):
    add(client, "metier", IA)
    add(client, "metier", EMBARQUES)
    html = client.get(f"/metiers/{IMAGE}/").content.decode()
    assert f'href="/metiers/comparer/?m={IMAGE}&amp;m={IA}&amp;m={EMBARQUES}">Comparer avec ma sélection</a>' in html


def test_goes_back_to_the_page_of_the_form_never_elsewhere(client):
    response = add(client, "metier", IMAGE, next=f"/metiers/{IMAGE}/")
    assert response["Location"] == f"/metiers/{IMAGE}/"
    response = add(client, "metier", IA, next="https://ailleurs.example/piege")
    assert response["Location"] == "/selection/"


@pytest.mark.parametrize("next_page", ["metier", "../../etc", "%00", "//ailleurs.example/x", "/\\ailleurs.example"])
def test_an_address_no_form_sends_goes_to_the_selection(client, next_page):
    response = add(client, "metier", IMAGE, next=next_page)
    assert response["Location"] == "/selection/"


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"type": "metier", "slug": "inconnu"}, 400, "n'existe pas ou n'est pas publiée"),
        ({"type": "virus", "slug": IMAGE}, 400, "Demande incomplète"),
        ({"type": "metier", "slug": "x" * 5000}, 400, "Demande incomplète"),
        # PostgreSQL refuses a NUL byte in a query: such a value never reaches it.
        ({"type": "metier", "slug": "image\x00"}, 400, "Demande incomplète"),
        ({"type": "formation", "slug": "\x00"}, 400, "Demande incomplète"),
        ({}, 400, "Demande incomplète"),
    ],
)
def test_bad_requests_are_explained(client, data, status, message):
    response = client.post("/selection/ajouter/", data)
    assert response.status_code == status
    assert message.replace("'", "&#39;") in response.content.decode()
    assert listed(client) == []


def test_drafts_cannot_be_selected(client, make_metier):
    make_metier("brouillon", publie=False)
    assert add(client, "metier", "brouillon").status_code == 400
    assert listed(client) == []


def test_get_on_a_change_is_refused_with_a_page_that_says_why(client):
    for url in ["/selection/ajouter/", "/selection/retirer/", "/selection/vider/"]:
        response = client.get(url)
        assert response.status_code == 405
        assert response["Allow"] == "POST"
        body = response.content.decode()
        assert "<h1>Cette adresse ne s'ouvre pas comme une page</h1>" in body
        assert 'href="/selection/"' in body


def test_the_selection_has_a_bound(client, make_metier):
    from selection.views import MAX_PAR_TYPE

    for i in range(MAX_PAR_TYPE):
        make_metier(f"essai-{i}")
        assert add(client, "metier", f"essai-{i}").status_code == 302
    make_metier("un-de-trop")
    response = add(client, "metier", "un-de-trop")
    assert response.status_code == 400
    assert f"déjà {MAX_PAR_TYPE} fiches" in response.content.decode()


def test_query_count_is_constant(client, django_assert_num_queries, formation_slug):
    for slug in [IMAGE, IA]:
        add(client, "metier", slug)
    add(client, "formation", formation_slug)
    # Session, métiers, the formations only drafts name (kept while the catalogue is
    # unchanged, which the tests turn off), formations.
    with django_assert_num_queries(4):
        client.get("/selection/")
    for metier in make_catalogue(10).metiers:
        add(client, "metier", metier.slug)
    with django_assert_num_queries(4):
        assert len(listed(client)) == 13


BOUTON = re.compile(
    r'<form class="selection-bouton" method="post" action="([^"]+)">\s*'
    r'<input type="hidden" name="type" value="metier"><input type="hidden" name="slug" value="([^"]*)">'
    r'<input type="hidden" name="next" value="([^"]*)">\s*'
    r'<button class="button button--ghost" type="submit">([^<]*)<span class="visually-hidden">&nbsp;: ([^<]*)</span>'
)


def test_each_card_button_names_its_fiche_and_comes_back_to_this_page(client, make_metier):
    make_metier("image-essai", titre='Image "essai" <b>gras</b> & co')
    add(client, "metier", IMAGE)
    html = client.get("/metiers/", {"niveau": "bac-5", "tri": "titre"}).content.decode()
    boutons = {slug: (action, retour, label, titre) for action, slug, retour, label, titre in BOUTON.findall(html)}
    assert boutons["image-essai"] == (
        "/selection/ajouter/", "/metiers/?niveau=bac-5&amp;tri=titre", "Ajouter à ma sélection",
        # Escaped as the rest of the page (markupsafe writes a quote &#34;).
        "Image &#34;essai&#34; &lt;b&gt;gras&lt;/b&gt; &amp; co",
    )
    assert boutons[IMAGE][:3] == ("/selection/retirer/", "/metiers/?niveau=bac-5&amp;tri=titre", "Retirer de ma sélection")
    assert "<b>gras</b>" not in html


def test_a_nul_byte_in_the_address_comes_back_encoded_in_every_button(client):
    response = client.get("/metiers/", QUERY_STRING="tri=titre&x=a\x00b")
    assert response.status_code == 200
    html = response.content.decode()
    assert "\x00" not in html
    retours = {retour for _, _, retour, _, _ in BOUTON.findall(html)}
    assert retours == {"/metiers/?tri=titre&amp;x=a%00b"}


# Sharing a selection by its address.

def shared(html):
    """The fiches a shared selection shows, in order."""
    return re.findall(r'<a class="selection-liste__titre" href="/(?:metiers|formations)/([\w-]+)/">', html)


def test_the_selection_page_gives_the_address_that_shares_it(client, formation_slug):
    add(client, "metier", IA)
    add(client, "metier", EMBARQUES)
    add(client, "formation", formation_slug)
    html = client.get("/selection/").content.decode()
    link = html_unescape(re.search(r'id="lien-partage"[^>]* value="([^"]+)"', html).group(1))
    address = urlsplit(link)
    assert (address.scheme, address.netloc, address.path) == ("http", "testserver", "/selection/partagee/")
    assert parse_qs(address.query) == {"m": [IA, EMBARQUES], "f": [formation_slug]}
    assert f'href="{html_escape(link)}"' in html
    # On its own page, a fiche's button is enough: no link back to that page or to compare.
    assert "Voir ma sélection" not in html and "Comparer avec ma sélection" not in html


def test_an_empty_selection_has_nothing_to_share(client):
    assert "lien-partage" not in client.get("/selection/").content.decode()


def test_a_shared_selection_shows_its_fiches_and_changes_no_selection(client, formation_slug):
    from django.test import Client

    add(client, "metier", IMAGE)
    path = f"/selection/partagee/?m={IA}&m={EMBARQUES}&f={formation_slug}"
    visitor = Client()
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert shared(html) == [IA, EMBARQUES, formation_slug]
    # Each with the visitor's own button, which comes back here.
    assert html.count('action="/selection/ajouter/"') == 3
    assert f'name="next" value="{html_escape(path)}"' in html
    assert 'action="/metiers/comparer/"' in html
    # Opening it creates no session and leaves the sender's selection as it was.
    assert not response.cookies and not visitor.cookies
    assert listed(client) == [IMAGE]


def test_a_shared_address_skips_what_is_gone_and_what_cannot_be_a_fiche(client):
    from metiers.models import Metier

    Metier.objects.filter(slug=EMBARQUES).update(publication=Metier.Publication.BROUILLON)
    response = client.get("/selection/partagee/", {"m": [IMAGE, "inconnu", EMBARQUES, "\x00", "../x", "a" * 300, IMAGE],
                                                   "f": ["inconnue"], "x": ["1"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert shared(html) == [IMAGE]
    assert "3 fiches de ce lien ne sont plus publiées ou n'existent pas" in html
    # The buttons come back to what was found.
    assert f'name="next" value="/selection/partagee/?m={IMAGE}"' in html


def test_a_shared_address_without_fiches_says_so(client):
    for query in ({}, {"m": "inconnu"}, {"f": "\x00"}):
        response = client.get("/selection/partagee/", query)
        assert response.status_code == 200
        assert "Ce lien ne contient aucune fiche publiée." in response.content.decode()


def test_a_shared_address_shows_at_most_a_selection_and_adding_comes_back_to_it(client, db):
    from selection.views import MAX_PAR_TYPE

    make_catalogue(MAX_PAR_TYPE + 5)
    slugs = [f"metier-{i:02d}" for i in range(MAX_PAR_TYPE + 5)]
    html = client.get("/selection/partagee/", {"m": slugs}).content.decode()
    assert shared(html) == slugs[:MAX_PAR_TYPE]
    # Longer than the addresses a button usually comes back to, and still the right one.
    back = re.search(r'name="next" value="([^"]+)"', html).group(1)
    assert len(back) > 300
    response = add(client, "metier", slugs[3], next=html_unescape(back))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"m": slugs[:MAX_PAR_TYPE]}
    assert listed(client) == [slugs[3]]


def csv_rows(response):
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_selection_downloads_as_the_listings_do(client, formation_slug):
    add(client, "metier", IA)
    add(client, "metier", IMAGE)
    add(client, "formation", formation_slug)
    html = client.get("/selection/").content.decode()
    links = [html_unescape(link) for link in re.findall(r'<a href="([^"]+)">Télécharger ces', html)]
    assert links == [f"/selection/partagee/metiers.csv?m={IA}&m={IMAGE}", f"/selection/partagee/formations.csv?f={formation_slug}"]
    metiers = csv_rows(client.get(links[0]))
    # The columns of the métiers listing's own download, the rows in the selection's order.
    assert metiers[0] == csv_rows(client.get("/metiers/export.csv"))[0]
    assert [row[1] for row in metiers[1:]] == ["ingénieur/e en intelligence artificielle", "ingénieur/e traitement de l'image"]
    formations = csv_rows(client.get(links[1]))
    assert formations[0] == csv_rows(client.get("/formations/export.csv"))[0]
    assert [row[0] for row in formations[1:]] == ["FOR.5543"]
    # The shared page offers the same downloads.
    shared_html = client.get(f"/selection/partagee/?m={IA}&m={IMAGE}").content.decode()
    assert f'href="/selection/partagee/metiers.csv?m={IA}&amp;m={IMAGE}"' in shared_html
    assert "formations.csv" not in shared_html


@pytest.mark.parametrize("query", [{}, {"m": ["inconnu", "\x00", "a" * 300]}, {"f": "<b>"}])
def test_a_selection_download_without_fiches_has_its_header_only(client, query):
    for kind in ("metiers", "formations"):
        rows = csv_rows(client.get(f"/selection/partagee/{kind}.csv", query))
        assert len(rows) == 1 and rows[0][0] == "identifiant_onisep"


def test_a_selection_too_long_for_an_address_says_so_instead_of_giving_a_broken_link(client, monkeypatch):
    from formations.models import Formation
    from selection import views as selection
    from selection.views import MAX_PAR_TYPE

    # 30 métiers and 30 formations with the longest slugs exceed the real bound; here,
    # 30 long formation slugs exceed a lower one.
    monkeypatch.setattr(selection, "MAX_SHARE_LENGTH", 4000)

    # ONISEP's longest labels make slugs of 200 characters and more.
    slugs = [f"{'diplome-d-ingenieur-' * 10}{i:02d}" for i in range(MAX_PAR_TYPE)]
    Formation.objects.bulk_create(Formation(libelle=f"Formation {i}", slug=slug, type="master")
                                  for i, slug in enumerate(slugs))
    for slug in slugs[:10]:
        add(client, "formation", slug)
    html = client.get("/selection/").content.decode()
    link = html_unescape(re.search(r'id="lien-partage"[^>]* value="([^"]+)"', html).group(1))
    assert parse_qs(urlsplit(link).query)["f"] == slugs[:10]
    for slug in slugs[10:]:
        add(client, "formation", slug)
    assert len("&".join(f"f={slug}" for slug in slugs)) > selection.MAX_SHARE_LENGTH
    html = client.get("/selection/").content.decode()
    assert "lien-partage" not in html
    assert "Cette sélection est trop longue pour tenir dans un lien" in html
    assert listed(client) == slugs
