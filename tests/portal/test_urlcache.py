"""Addresses resolved once per process are those reverse() gives."""

from django.urls import reverse, set_script_prefix

from portal.urlcache import plain_url, slug_url


def test_cached_addresses_match_reverse_and_follow_the_script_prefix():
    assert slug_url("metiers:detail", "ingenieur-image") == reverse("metiers:detail", args=["ingenieur-image"])
    assert slug_url("formations:detail", "master-x") == reverse("formations:detail", args=["master-x"])
    assert plain_url("selection_add") == reverse("selection_add")
    set_script_prefix("/portail/")
    try:
        assert slug_url("metiers:detail", "a") == "/portail/metiers/a/" == reverse("metiers:detail", args=["a"])
    finally:
        set_script_prefix("/")


def test_the_adresse_function_of_the_templates_gives_the_address_reverse_gives_under_any_prefix():
    from django.template import engines

    template = engines["jinja2"].from_string("{{ adresse('metiers:list') }}|{{ adresse(nom) }}")
    expected = f"{reverse('metiers:list')}|{reverse('formations:list')}"
    assert template.render({"nom": "formations:list"}) == expected == "/metiers/|/formations/"
    set_script_prefix("/portail/")
    try:
        assert template.render({"nom": "formations:list"}) == "/portail/metiers/|/portail/formations/"
    finally:
        set_script_prefix("/")


def test_every_page_frame_links_where_it_did(client, portal_data):
    html = client.get("/").content.decode()
    for name in ("home", "metiers:list", "formations:list", "metiers:centres_interet", "metiers:niveaux",
                 "metiers:matching", "selection", "sources"):
        assert f'href="{reverse(name)}"' in html


def test_static_addresses_are_those_static_gives_under_any_prefix_and_storage(settings):
    from django.templatetags.static import static

    from portal.urlcache import static_url

    for path in ("css/portal.css", "js/suggestions.js", "img/inconnu.png"):
        assert static_url(path) == static(path)
    settings.STATIC_URL = "/fichiers/"
    assert static_url("css/portal.css") == static("css/portal.css")
    assert static_url("css/portal.css").startswith("/fichiers/")


def test_the_static_function_of_the_templates_gives_the_static_address():
    from django.template import engines
    from django.templatetags.static import static

    template = engines["jinja2"].from_string("{{ static('css/portal.css') }}")
    assert template.render({}) == static("css/portal.css")


def test_level_and_interest_addresses_are_those_reverse_gives_under_any_prefix():
    from formations.models import Niveau
    from metiers.models import CentreInteret

    niveau, centre = Niveau(slug="bac-5"), CentreInteret(slug="sciences")
    a_niveau, a_centre = reverse("metiers:niveau", args=["bac-5"]), reverse("metiers:centre_interet", args=["sciences"])
    assert (niveau.get_absolute_url(), centre.get_absolute_url()) == (a_niveau, a_centre)
    assert a_niveau.endswith("/niveaux/bac-5/") and a_centre.endswith("/centres-interet/sciences/")
    set_script_prefix("/portail/")
    try:
        assert niveau.get_absolute_url() == "/portail" + a_niveau
        assert centre.get_absolute_url() == "/portail" + a_centre
    finally:
        set_script_prefix("/")
