import html

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from metiers.models import Metier

IMAGE = "/metiers/ingenieur-traitement-de-l-image/"


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def page_cache(settings, portal_data):
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def test_a_repeat_visit_is_served_from_the_cache(client, page_cache, django_assert_max_num_queries):
    first = client.get(IMAGE)
    with django_assert_max_num_queries(1):  # the catalogue version only
        second = client.get(IMAGE)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_edit_is_visible_at_once(client, page_cache):
    assert "Ingénieur/e traitement de l'image" in text(client.get(IMAGE))
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    metier.accroche = "<p>Nouvelle accroche relue.</p>"
    metier.save()
    assert "Nouvelle accroche relue." in text(client.get(IMAGE))


def test_an_admin_edit_and_a_bulk_publication_change_are_visible_at_once(client, page_cache):
    assert client.get(IMAGE).status_code == 200
    admin = User.objects.create_superuser("admin", password="motdepasse-solide-42")
    staff = client.__class__()
    staff.force_login(admin)
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    response = staff.post(
        "/admin/metiers/metier/",
        {"action": "depublier", "_selected_action": [metier.pk]},
    )
    assert response.status_code == 302
    assert client.get(IMAGE).status_code == 404


def test_an_m2m_change_is_visible_at_once(client, page_cache):
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    formation = metier.formations.first()
    assert formation.get_absolute_url() in text(client.get(IMAGE))
    metier.formations.remove(formation)
    assert formation.get_absolute_url() not in text(client.get(IMAGE))


def test_visitors_with_a_session_and_error_pages_are_not_cached(client, page_cache):
    client.get("/metiers/inconnu/")
    assert client.get("/metiers/inconnu/").status_code == 404
    client.cookies["sessionid"] = "abc"
    client.get(IMAGE)
    Metier.objects.filter(slug="ingenieur-traitement-de-l-image").update(titre="titre changé sans signal")
    assert "titre changé sans signal" in text(client.get(IMAGE))
