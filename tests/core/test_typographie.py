"""French spacing: a sign that takes a space before it (« : », « ; », « ? », « ! », a closing
guillemet), the inside of guillemets, a level and an amount with its unit stay together on
one line, whatever the text comes from: an editor's section, a message, the portal's words."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from metiers.models import CentreInteret, Metier, Salaire
from sources.models import Source

NBSP = "\u00a0"

SECTION = (
    "<p>Deux voies : l'école ou l'université ; laquelle choisir ? Les deux ! "
    "Une source écrit « entre 33 et 45 % », une autre demande un bac + 5.</p>"
)
SHOWN = (
    "Deux voies\u00a0: l'école ou l'université\u00a0; laquelle choisir\u00a0? Les deux\u00a0! "
    "Une source écrit «\u00a0entre 33 et 45\u00a0%\u00a0», une autre demande un bac\u00a0+\u00a05."
)
# An ordinary space where French typography wants a non-breaking one.
BREAKABLE = re.compile(r" [:;?!»]|« |\bbac \+ \d|\d [€%]")


@pytest.fixture
def fiche(db):
    metier = Metier.objects.create(
        titre="ingénieur/e d'essai", slug="essai", niveau_acces_id=5, accroche=SECTION,
        nature_travail=(
            '<p>Voir <a href="https://exemple.fr/guide?a=1&amp;b=2" title="Guide : accès">le guide</a> '
            ": il compte 3 + 2 ans, parle de C++ 20 et d'un prix en € sans montant.</p>"
        ),
        publication=Metier.Publication.PUBLIE,
    )
    source = Source.objects.create(code="essai", titre="Fiche « essai » : édition 2026", nature="article")
    Salaire.objects.create(metier=metier, source=source, experience="debutant", periode="mensuel",
                           nature="brut", montant_min=2500, remarque="fourchette « haute » ; à vérifier")
    return metier


def page_text(client, url):
    return unescape(client.get(url).content.decode())


def test_an_editors_section_keeps_its_signs_with_their_words(client, fiche):
    html = client.get("/metiers/essai/").content.decode()
    assert SHOWN in unescape(html)
    assert breakable_spots(html) == []


def test_links_attributes_and_other_plus_signs_are_left_as_written(client, fiche):
    html = client.get("/metiers/essai/").content.decode()
    assert 'href="https://exemple.fr/guide?a=1&amp;b=2"' in html
    assert "le guide</a>\u00a0: il compte 3 + 2 ans, parle de C++ 20 et d'un prix en € sans montant." in html


def test_the_card_of_the_listing_shows_the_summary_the_same_way(client, fiche):
    page = page_text(client, "/metiers/")
    assert "Deux voies\u00a0: l'école ou l'université\u00a0; laquelle choisir\u00a0?" in page


def test_a_salary_remark_and_a_source_title_keep_their_guillemets_closed(client, fiche):
    page = page_text(client, "/metiers/essai/")
    assert "Fiche «\u00a0essai\u00a0»\u00a0: édition 2026" in page
    assert "fourchette «\u00a0haute\u00a0»\u00a0; à vérifier" in page


def test_a_level_reads_as_one_word(client, fiche):
    page = page_text(client, "/niveaux/bac-5/")
    assert "<h1>Métiers accessibles à bac\u00a0+\u00a05</h1>" in page


class _VisibleText(HTMLParser):
    """The text that can wrap: outside tags, scripts and styles, and outside a list's
    options and a chart's labels (which never wrap), entities decoded."""

    HIDDEN = ("script", "style", "option", "svg")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self._hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def breakable_spots(html):
    parser = _VisibleText()
    parser.feed(html)
    text = "".join(parser.parts)
    return [text[max(m.start() - 30, 0):m.end() + 10] for m in BREAKABLE.finditer(text)]


PAGES = [
    "/", "/metiers/", "/metiers/?q=ingenieur+image", "/metiers/?statut=inconnu&page=abc",
    "/metiers/ingenieur-traitement-de-l-image/", "/metiers/ingenieur-en-intelligence-artificielle/",
    "/metiers/ingenieur-systemes-embarques-et-ia/", "/formations/", "/formations/?q=zzzzqqq",
    "/niveaux/", "/niveaux/bac-5/", "/centres-interet/", "/sources/", "/selection/",
    "/metiers/comparer/?m=ingenieur-traitement-de-l-image&m=inconnu",
    "/metiers/comparer/?m=ingenieur-traitement-de-l-image&m=ingenieur-en-intelligence-artificielle",
    "/page-qui-n-existe-pas/", "/selection/ajouter/",
]


@pytest.mark.parametrize("url", PAGES)
def test_no_page_leaves_an_ordinary_space_where_a_line_must_not_break(client, portal_data, url):
    spots = breakable_spots(client.get(url).content.decode())
    assert spots == []


def test_the_pages_of_a_centre_a_formation_the_suggestions_and_a_selection_too(client, portal_data):
    centre = CentreInteret.objects.filter(metiers__isnull=False).first()
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    formation = metier.formations.first()
    client.post("/selection/ajouter/", {"type": "metier", "slug": metier.slug})
    client.post("/selection/ajouter/", {"type": "formation", "slug": formation.slug})
    assert metier.titre in unescape(client.get("/selection/").content.decode())
    for url in (f"/centres-interet/{centre.slug}/", formation.get_absolute_url(),
                f"/quels-metiers/?centre_interet={centre.slug}&niveau_max=bac-8", "/selection/"):
        assert breakable_spots(client.get(url).content.decode()) == [], url
