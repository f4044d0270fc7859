"""The editors' preview of a fiche (/admin/metiers/metier/<id>/apercu/): the public page,
drafts included, for whoever may read the fiche in the admin; never cached nor indexed."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from metiers.models import Metier

IMAGE = "ingenieur-traitement-de-l-image"


def apercu(metier):
    return reverse("admin:metiers_metier_apercu", args=[metier.pk])


def text(response):
    assert response.status_code == 200
    return unescape(response.content.decode()).replace("\xa0", " ")


@pytest.fixture
def brouillon(portal_data):
    """The image engineer's fiche, sent back to draft."""
    Metier.objects.filter(slug=IMAGE).update(publication=Metier.Publication.BROUILLON)
    return Metier.objects.get(slug=IMAGE)


def staff(client, *codenames):
    user = User.objects.create_user("redaction", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


@pytest.fixture
def lecteur(db, client):
    """Staff who may read the fiches in the admin, not change them."""
    return staff(client, "view_metier")


def test_a_draft_is_shown_as_the_public_page_would_show_it_with_a_banner(lecteur, brouillon):
    assert Client().get(brouillon.get_absolute_url()).status_code == 404
    response = lecteur.get(apercu(brouillon))
    page = text(response)
    assert "<h1 class=\"fiche__titre\">Ingénieur/e traitement de l'image</h1>" in page
    assert "Aperçu pour l'équipe éditoriale." in page
    assert "Cette fiche est un brouillon : le public ne la voit pas" in page
    assert f'<a href="{reverse("admin:metiers_metier_change", args=[brouillon.pk])}">Revenir à la modification' in page
    # Its sections, salaries and formations, as on the public page.
    assert 'id="salaires"' in page and "diplôme d'ingénieur" in page
    # Nothing a visitor could do with a draft, nothing for search engines.
    assert f'name="slug" value="{IMAGE}"' not in page  # no button to keep the draft in a selection
    assert 'name="slug" value="ingenieur-en-intelligence-artificielle"' in page  # a published associated fiche's
    assert 'application/ld+json' not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_a_published_fiche_previews_with_a_link_to_its_public_page(lecteur, portal_data):
    metier = Metier.objects.get(slug=IMAGE)
    page = text(lecteur.get(apercu(metier)))
    assert f'Cette fiche est publiée : <a href="{metier.get_absolute_url()}">voir sa page publique</a>' in page
    assert "brouillon" not in page


def test_an_edit_shows_in_the_preview_at_once(lecteur, brouillon):
    assert "Une accroche toute neuve" not in text(lecteur.get(apercu(brouillon)))
    Metier.objects.filter(pk=brouillon.pk).update(accroche="<p>Une accroche toute neuve.</p>")
    assert "Une accroche toute neuve." in text(lecteur.get(apercu(brouillon)))


def test_view_on_site_leads_a_draft_to_its_preview_and_a_published_fiche_to_its_page(client, brouillon):
    editeur = staff(client, "view_metier", "change_metier")
    change = editeur.get(reverse("admin:metiers_metier_change", args=[brouillon.pk])).content.decode()
    assert re.search(r'href="([^"]+)"[^>]*class="viewsitelink"', change).group(1) == apercu(brouillon)
    publie = Metier.objects.exclude(pk=brouillon.pk).filter(publication=Metier.Publication.PUBLIE).first()
    change = editeur.get(reverse("admin:metiers_metier_change", args=[publie.pk])).content.decode()
    assert re.search(r'href="([^"]+)"[^>]*class="viewsitelink"', change).group(1) == publie.get_absolute_url()


def test_anonymous_visitors_are_sent_to_the_login_page(client, brouillon):
    response = client.get(apercu(brouillon))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_may_not_read_the_fiches_get_403(client, brouillon):
    assert staff(client, "view_formation").get(apercu(brouillon)).status_code == 403


@pytest.mark.parametrize("object_id", ["0", "abc", "99999999999999999999999", "-1", "1.5", "%20"])
def test_an_id_that_is_no_fiche_is_a_404(lecteur, portal_data, object_id):
    response = lecteur.get(f"/admin/metiers/metier/{object_id}/apercu/")
    assert response.status_code == 404


def test_only_reading_methods_are_allowed(lecteur, brouillon):
    response = lecteur.post(apercu(brouillon))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert Metier.objects.get(pk=brouillon.pk).publication == Metier.Publication.BROUILLON

