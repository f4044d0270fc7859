"""Titles in French alphabetical order, whatever the database's own collation."""

import re
from html import unescape

import pytest
from django.db import connection

from core.collation import sort_key
from core.listing import TitleFirstResults
from formations.models import Formation
from metiers.models import Metier
from metiers.references import reference_options

# As a French dictionary orders them: accents and ligatures do not send a word to the end.
TITLES = ["acousticien", "écologue", "électronicien", "Électronique", "ergonome", "œnologue", "oeuvre", "zoologiste"]
SHUFFLED = ["zoologiste", "oeuvre", "Électronique", "œnologue", "acousticien", "ergonome", "électronicien", "écologue"]


def page(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return unescape(response.content.decode())


def titles_on(html, prefix):
    return re.findall(rf'<a href="/{prefix}/[^"]+/">([^<]+)</a>', html)


@pytest.fixture
def metiers(db):
    Metier.objects.bulk_create(
        Metier(titre=f"ingénieur {titre}", slug=f"m-{n}", accroche="<p>Un métier.</p>", publication="publie")
        for n, titre in enumerate(SHUFFLED)
    )
    Metier.objects.all().refresh_search_index()


def test_the_metier_listing_is_in_french_alphabetical_order(client, metiers):
    shown = re.findall(r'class="card__title"><a href="/metiers/[^"]+/">([^<]+)</a>', page(client, "/metiers/"))
    assert shown == [f"Ingénieur {titre}" for titre in TITLES]


@pytest.mark.parametrize("sort_at_once", [0, 500], ids=["index-walk", "one-sort"])
def test_a_search_lists_its_title_matches_in_french_order(client, metiers, monkeypatch, sort_at_once):
    monkeypatch.setattr(TitleFirstResults, "SORT_AT_ONCE", sort_at_once)
    html = page(client, "/metiers/", q="ingenieur")
    shown = re.findall(r'class="card__title"><a href="/metiers/[^"]+/">([^<]+)</a>', html)
    assert shown == [f"Ingénieur {titre}" for titre in TITLES]


def test_the_formation_listing_is_in_french_alphabetical_order(client, db):
    Formation.objects.bulk_create(
        Formation(libelle=f"master {titre}", slug=f"f-{n}", type="master") for n, titre in enumerate(SHUFFLED)
    )
    html = page(client, "/formations/")
    # Cards head with a capital.
    assert [t for t in titles_on(html, "formations") if t.startswith("Master ")] == [f"Master {t}" for t in TITLES]


def test_a_fiche_lists_its_formations_of_one_kind_in_french_order(client, metiers):
    metier = Metier.objects.get(slug="m-0")
    metier.formations.set(Formation.objects.bulk_create(
        Formation(libelle=f"master {titre}", slug=f"f-{n}", type="master") for n, titre in enumerate(SHUFFLED)
    ))
    html = page(client, metier.get_absolute_url())
    assert titles_on(html, "formations") == [f"master {t}" for t in TITLES]


def test_the_sources_page_and_the_reference_tables_are_in_french_order(client, metiers):
    from metiers.models import CentreInteret
    from sources.models import Source

    for n, titre in enumerate(SHUFFLED):
        Source.objects.create(code=f"s-{n}", titre=f"Étude {titre}" if n % 2 else f"étude {titre}", nature="article")
        CentreInteret.objects.create(libelle=f"le {titre}", slug=f"c-{n}")
    shown = re.findall(r'<h3 class="card__title">([^<]+)</h3>', page(client, "/sources/"))
    assert [t.split(" ", 1)[1] for t in shown] == TITLES
    assert [c.libelle for c in CentreInteret.objects.all()] == [f"le {titre}" for titre in TITLES]
    # The public menus and pages sort the same labels in Python, with the same rule; they
    # list the interests of published fiches.
    Metier.objects.get(slug="m-0").centres_interet.set(CentreInteret.objects.all())
    menu = reference_options("centre_interet")["centre_interet"]
    assert [option.libelle for option in menu] == [f"le {titre}" for titre in TITLES]


def test_the_python_order_agrees_with_the_database(db):
    assert sorted(SHUFFLED, key=sort_key) == TITLES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ICU collation of PostgreSQL")
def test_postgresql_sorts_with_icu_french(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT t FROM unnest(%s::text[]) AS t ORDER BY t COLLATE fr", [SHUFFLED])
        assert [row[0] for row in cursor.fetchall()] == TITLES
