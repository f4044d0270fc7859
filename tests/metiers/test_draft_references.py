"""A draft's references are not public: the formations, interests, sectors and statuses that
only draft fiches use (an import not yet reviewed brings them in) stay out of the listings,
the filter menus, their own pages, the API, the exports and the sitemap, until a fiche that
uses them is published. A formation no fiche names is the formations catalogue's own, and
public."""

import pytest

from core.cache import bump_catalogue_version
from formations.models import Formation
from metiers.models import CentreInteret, Metier, Secteur, Statut

CENTRE, SECTEUR, STATUT, FORMATION = "centre du brouillon", "secteur du brouillon", "statut du brouillon", \
    "formation du brouillon"
SEULE = "formation sans fiche"

# Where each is listed, by its label or its address.
LISTED = {
    "/metiers/": [CENTRE, SECTEUR, STATUT],
    "/": [CENTRE, SECTEUR],
    "/centres-interet/": [CENTRE],
    "/api/centres-interet/": [CENTRE],
    "/formations/?q=brouillon": [FORMATION],
    "/api/formations/?q=brouillon": [FORMATION],
    "/formations/export.csv": [FORMATION],
    "/formations/export.json": [FORMATION],
    "/sitemap-formations.xml": ["/formations/formation-du-brouillon/"],
    "/sitemap-centres-interet.xml": ["/centres-interet/centre-du-brouillon/"],
}
PAGES = ["/formations/formation-du-brouillon/", "/api/formations/formation-du-brouillon/",
         "/centres-interet/centre-du-brouillon/"]


@pytest.fixture
def draft(portal_data):
    """A draft fiche with references of its own, and a formation no fiche names."""
    metier = Metier.objects.create(titre="métier du brouillon", slug="metier-du-brouillon",
                                   publication=Metier.Publication.BROUILLON, niveau_acces_id=5)
    metier.centres_interet.add(CentreInteret.objects.create(libelle=CENTRE, slug="centre-du-brouillon"))
    metier.secteurs.add(Secteur.objects.create(libelle=SECTEUR, slug="secteur-du-brouillon"))
    metier.statuts.add(Statut.objects.create(libelle=STATUT, slug="statut-du-brouillon"))
    metier.formations.add(Formation.objects.create(libelle=FORMATION, slug="formation-du-brouillon",
                                                   type=Formation.Type.MASTER, niveau_id=5))
    Formation.objects.create(libelle=SEULE, slug="formation-sans-fiche", type=Formation.Type.MASTER, niveau_id=5)
    bump_catalogue_version()
    return metier


def publish(metier):
    Metier.objects.filter(pk=metier.pk).update(publication=Metier.Publication.PUBLIE)
    bump_catalogue_version()


def text(response):
    """The response's text in lower case (a page may capitalise a label)."""
    return (b"".join(response) if response.streaming else response.content).decode().lower()


@pytest.mark.parametrize("address", LISTED)
def test_a_reference_only_drafts_use_is_listed_nowhere_until_one_is_published(client, draft, address):
    page = text(client.get(address))
    assert not [label for label in LISTED[address] if label in page]
    publish(draft)
    page = text(client.get(address))
    assert [label for label in LISTED[address] if label in page] == LISTED[address]


@pytest.mark.parametrize("address", PAGES)
def test_the_page_of_a_reference_only_drafts_use_is_a_404(client, draft, address):
    assert client.get(address).status_code == 404
    publish(draft)
    assert client.get(address).status_code == 200


def test_the_listing_filter_on_a_formation_only_drafts_use_is_refused_without_its_label(client, draft):
    page = text(client.get("/metiers/", {"formation": "formation-du-brouillon"}))
    assert FORMATION not in page
    assert "a été ignoré" in page


@pytest.mark.parametrize("address", ["/formations/?q=sans", "/api/formations/?q=sans", "/formations/formation-sans-fiche/",
                                     "/sitemap-formations.xml"])
def test_a_formation_no_fiche_names_stays_public(client, draft, address):
    response = client.get(address)
    assert response.status_code == 200
    assert "formation-sans-fiche" in text(response)
