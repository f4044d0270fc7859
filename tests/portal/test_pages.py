import gzip
import re
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import include, path

from metiers.models import Metier
from tests.factories import make_catalogue


def page_of(response, status=200):
    assert response.status_code == status
    return unescape(response.content.decode()).replace("\xa0", " ")


@pytest.fixture
def catalogue(db):
    return make_catalogue(60)


def test_home_has_search_entry_points_counts_and_recent_fiches(client, portal_data):
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(titre="ingénieur/e image (modifié)")
    page = page_of(client.get("/"))
    assert '<form class="recherche recherche--hero" action="/metiers/" method="get" role="search">' in page
    assert '<label class="recherche__label" for="q">Rechercher un métier</label>' in page
    assert "<strong>3</strong> fiches métiers" in page and "<strong>42</strong> formations" in page
    # The two fiches whose sources say « très forte »; the link leads to exactly them.
    assert '<a href="/metiers/?demande=forte"><strong>2</strong> métiers à forte demande</a>' in page
    assert re.search(r'id="nb-resultats"[^>]*>2 métiers trouvés<', page_of(client.get("/metiers/?demande=forte")))
    assert '<a class="tuile" href="/niveaux/bac-5/"><span class="tuile__titre">bac + 5</span><span class="tuile__nb">3 métiers</span>' in page
    assert 'href="/centres-interet/j-aime-organiser-gerer/"' in page
    assert '<a class="tag" href="/metiers/?secteur=recherche">Recherche <span class="tag__nb">2</span></a>' in page
    recents = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', page)
    assert recents[0] == "Ingénieur/e image (modifié)"


def test_home_without_a_published_fiche_says_so_instead_of_an_empty_list(client, portal_data):
    Metier.objects.update(publication=Metier.Publication.BROUILLON)
    page = page_of(client.get("/"))
    assert "forte demande" not in page
    recents = page.split('id="titre-recents"')[1].split("</section>")[0]
    assert "<p>Aucune fiche publiée pour l'instant.</p>" in recents
    assert 'class="cards"' not in recents


def test_home_query_count(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = page_of(client.get("/"))
    assert "<strong>60</strong> fiches métiers" in page


def test_sources_page(client, portal_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page = page_of(client.get("/sources/"))
    assert "<h1>D'où viennent les données</h1>" in page
    assert 'id="source-onisep-met-612"' in page
    assert "ODbL (données ouvertes ONISEP)" in page


def test_layout_landmarks_skip_link_and_language(client, portal_data):
    page = page_of(client.get("/metiers/"))
    assert '<html lang="fr">' in page
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in page
    assert '<main id="contenu"' in page and "<header" in page and "<footer" in page
    assert '<nav aria-label="Navigation principale">' in page
    assert '<a href="/metiers/" aria-current="page">Métiers</a>' in page


def test_pages_have_no_inline_script_or_style(client, portal_data):
    for url in ["/", "/metiers/", "/metiers/ingenieur-traitement-de-l-image/", "/formations/",
                "/centres-interet/", "/niveaux/bac-5/", "/sources/", "/introuvable/"]:
        page = client.get(url).content.decode()
        # JSON-LD is data, never run: the only script element allowed without src.
        assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/ld\+json"))', page), url
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"\son[a-z]+=", page), url


READ_ONLY_PAGES = [
    "/", "/sources/", "/metiers/", "/metiers/ingenieur-traitement-de-l-image/", "/centres-interet/",
    "/centres-interet/j-aime-jongler-avec-les-chiffres/", "/niveaux/", "/niveaux/bac-5/", "/formations/",
    "/formations/diplome-d-ingenieur-de-l-institut-superieur-d-electronique-de-paris-for-1251/",
]


@pytest.mark.parametrize("url", READ_ONLY_PAGES)
def test_a_page_that_only_shows_refuses_a_form_sent_to_it(client, portal_data, url):
    for send in (client.post, client.put, client.delete):
        response = send(url, {"q": "image"})
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert "<h1>Cette page se consulte seulement</h1>" in response.content.decode()
    assert client.head(url).status_code == 200


def test_not_found_page_is_french_and_in_the_layout(client, db):
    page = page_of(client.get("/nulle-part/"), status=404)
    assert "<h1>Page introuvable</h1>" in page
    assert '<nav aria-label="Navigation principale">' in page
    assert '<input id="q" name="q"' in page


def failing_view(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", failing_view), path("api/panne/", failing_view), path("", include("portal.urls"))]
handler500 = "portal.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_is_french_and_in_the_layout(client, db):
    client.raise_request_exception = False
    page = page_of(client.get("/panne/"), status=500)
    assert "<h1>Le portail a rencontré une erreur</h1>" in page
    assert '<nav aria-label="Navigation principale">' in page
    assert "panne simulée" not in page


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_in_the_api_is_answered_in_json(client, db):
    client.raise_request_exception = False
    response = client.get("/api/panne/")
    assert response.status_code == 500
    assert response.json() == {
        "erreur": "Le portail a rencontré une erreur ; elle est enregistrée. Réessayez dans un instant."
    }


def test_listing_page_with_its_css_and_js_is_under_60_kb_gzipped(client, catalogue):
    html = client.get("/metiers/").content
    assert html.count(b'class="card"') == 20
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert sorted(assets) == [
        b"css/outils.css", b"css/portal.css", b"css/print.css", b"js/filtres.js", b"js/suggestions.js",
    ]
    total = len(gzip.compress(html))
    for asset in assets:
        with open(finders.find(asset.decode()), "rb") as f:
            total += len(gzip.compress(f.read()))
    assert total < 60_000


class Structure(HTMLParser):
    """Heading levels, labelled ids, and fields that need a label, in page order."""

    def __init__(self):
        super().__init__()
        self.headings, self.label_for, self.fields, self.open_labels = [], set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self.open_labels += 1
            if "for" in attrs:
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.fields.append((attrs.get("id"), self.open_labels > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


PAGES = ["/", "/metiers/", "/metiers/?q=zzzz&secteur=recherche", "/metiers/?secteur=zz&page=abc",
         "/metiers/ingenieur-en-intelligence-artificielle/", "/formations/", "/formations/?type=master",
         "/centres-interet/", "/centres-interet/j-aime-organiser-gerer/", "/niveaux/", "/niveaux/bac-5/",
         "/sources/", "/introuvable/"]


@pytest.mark.parametrize("url", PAGES)
def test_headings_never_skip_a_level_and_every_field_has_a_label(client, portal_data, url):
    structure = Structure()
    structure.feed(client.get(url).content.decode())
    assert structure.headings[0] == 1 and structure.headings.count(1) == 1
    for previous, current in zip(structure.headings, structure.headings[1:]):
        assert current <= previous + 1, structure.headings
    for field_id, wrapped in structure.fields:
        assert wrapped or field_id in structure.label_for, field_id


@pytest.mark.parametrize("url", [*PAGES, "/quels-metiers/?centre_interet=j-aime-organiser-gerer",
                                 "/metiers/ingenieur-traitement-de-l-image/", "/metiers/?page=2"])
def test_markup_from_python_and_template_texts_is_never_escaped_twice(client, portal_data, url):
    raw = client.get(url).content.decode()
    # The level scale and the selection buttons are markup built in Python; the help texts
    # of the filters carry their own entities.
    assert "&lt;" not in raw and "&amp;nbsp;" not in raw and "&amp;amp;" not in raw
    assert raw.endswith("</html>\n")


def test_dates_are_shown_in_the_portal_time_zone(client, portal_data):
    # 23:30 in UTC is already the next day in Paris (UTC+1 in winter).
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(
        modifie_le=datetime(2026, 1, 14, 23, 30, tzinfo=UTC))
    page = page_of(client.get("/metiers/ingenieur-traitement-de-l-image/"))
    # At the top of the fiche and under its sources.
    assert page.count('<time datetime="2026-01-15T00:30:00+01:00">15 janvier 2026</time>') == 2


def test_a_printed_page_says_the_day_it_was_printed_in_the_portal_time_zone(client, portal_data, monkeypatch):
    from django.utils import timezone

    def printed(now):
        monkeypatch.setattr(timezone, "now", lambda: now)
        footer = re.search(r'<p class="impression" hidden>([^<]*)</p>', client.get("/metiers/").content.decode())
        return footer.group(1)

    assert printed(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)).endswith(" le 31 décembre 2026.")
    # One minute later it is already the next year in Paris; the day is not kept from before.
    assert printed(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)).endswith(" le 1er janvier 2027.")


def test_the_first_of_a_month_is_written_as_an_ordinal_in_fiches_and_sources(client, portal_data):
    from datetime import date

    from sources.models import Source

    # 23:30 in UTC on the last day of February is 1 March in Paris.
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(
        modifie_le=datetime(2026, 2, 28, 23, 30, tzinfo=UTC))
    page = page_of(client.get("/metiers/ingenieur-traitement-de-l-image/"))
    assert page.count('<time datetime="2026-03-01T00:30:00+01:00">1er mars 2026</time>') == 2
    Source.objects.filter(code="onisep-met-612").update(consulte_le=date(2026, 10, 1))
    sources = page_of(client.get("/sources/"))
    assert "<dt>Consulté le</dt><dd>1er octobre 2026</dd>" in sources
    Source.objects.filter(code="onisep-met-612").update(consulte_le=date(2026, 10, 2))
    assert "<dt>Consulté le</dt><dd>2 octobre 2026</dd>" in page_of(client.get("/sources/"))


def test_the_level_scale_is_drawn_on_cards_and_fiches(client, portal_data):
    raw = client.get("/metiers/").content.decode()
    assert re.search(r'<span class="echelle echelle--compact">\s*<span class="echelle__barre echelle__barre--5"', raw)
    for url in ["/metiers/ingenieur-traitement-de-l-image/", "/niveaux/bac-5/"]:
        raw = client.get(url).content.decode()
        assert re.search(r'<span class="echelle">\s*<svg class="echelle__svg"', raw), url


def test_a_portal_deployed_under_a_sub_path_links_under_it(client, portal_data):
    from django.templatetags.static import static
    from django.urls import set_script_prefix

    set_script_prefix("/portail/")  # what Django's WSGI handler does with SCRIPT_NAME
    try:
        html = client.get("/metiers/ingenieur-traitement-de-l-image/", SCRIPT_NAME="/portail").content.decode()
        stylesheet = static("css/portal.css")
    finally:
        set_script_prefix("/")
    addresses = re.findall(r'(?:href|action)="(/[^"]*)"', html)
    assert f'href="{stylesheet}"' in html
    pages = [address for address in addresses if address != stylesheet and "/static/" not in address]
    assert pages and all(address.startswith("/portail/") for address in pages), pages
    for page in ("/portail/metiers/", "/portail/selection/ajouter/", "/portail/niveaux/bac-5/", "/portail/formations/",
                 "/portail/centres-interet/"):
        assert any(address.startswith(page) for address in pages), page
