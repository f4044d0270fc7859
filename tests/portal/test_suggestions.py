"""« Vouliez-vous dire … ? »: the listings' searches that find nothing, or only titles
close to their words, suggest a respelt search that finds something."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection

from metiers.models import Metier

IMAGE = "ingenieur-traitement-de-l-image"
SUGGESTION = re.compile(r'Vouliez-vous dire «&nbsp;<a href="([^"]+)">([^<]+)</a>&nbsp;»&nbsp;\?')
APPROXIMATE = "Aucune fiche ne contient tous ces mots"


def page(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def suggestion(content):
    """(address, text) of the suggestion, or None."""
    found = SUGGESTION.findall(content)
    assert len(found) <= 1
    return tuple(html.unescape(part) for part in found[0]) if found else None


def metier_slugs(content):
    return re.findall(r'class="card__title"><a href="/metiers/([^/]+)/"', content)


def test_a_misspelt_metier_search_suggests_the_right_spelling(client, portal_data):
    content = page(client, "/metiers/", q="ingenier imge")
    assert suggestion(content) == ("/metiers/?q=ingénieur+image".replace("é", "%C3%A9"), "ingénieur image")
    # Full text found nothing; on PostgreSQL, titles close to the words may be shown,
    # and are then said to be.
    shown = metier_slugs(content)
    assert (APPROXIMATE in content) == bool(shown)
    if connection.vendor != "postgresql":
        assert not shown and "Aucun métier trouvé" in content
    followed = page(client, "/metiers/", q="ingénieur image")
    assert metier_slugs(followed)[0] == IMAGE
    assert suggestion(followed) is None and APPROXIMATE not in followed


def test_the_suggestion_keeps_the_other_filters_and_the_order_but_not_the_page(client, portal_data):
    address, text = suggestion(page(client, "/metiers/", q="traitemnt de l'imge", niveau="bac-5", tri="titre", page="3"))
    assert text == "traitement de l'image"
    assert address == "/metiers/?q=traitement+de+l%27image&niveau=bac-5&tri=titre"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="close titles: PostgreSQL's trigrams")
def test_close_titles_are_said_to_be_close(client, portal_data):
    content = page(client, "/metiers/", q="traitemnt de l'image")
    assert metier_slugs(content)[0] == IMAGE
    assert APPROXIMATE in content
    assert suggestion(content) == ("/metiers/?q=traitement+de+l%27image", "traitement de l'image")


def test_no_suggestion_when_the_respelt_search_finds_nothing_either(client, portal_data):
    # No seed métier is open at bac + 8.
    assert not Metier.objects.filter(niveau_acces__slug="bac-8").exists()
    assert suggestion(page(client, "/metiers/", q="ingenier imge", niveau="bac-8")) is None


@pytest.mark.parametrize("query", ["zzzz qqqq", "ingénieur image", "ingé", "embarqués", "!!!"])
def test_no_suggestion_for_a_search_found_as_typed_or_nothing_near(client, portal_data, query):
    content = page(client, "/metiers/", q=query)
    assert suggestion(content) is None
    assert APPROXIMATE not in content


def test_a_misspelt_formation_search_suggests_the_right_spelling(client, portal_data):
    content = page(client, "/formations/", q="ecol centrle")
    assert "Aucune formation trouvée" in content
    address, text = suggestion(content)
    assert text == "école centrale"
    followed = page(client, address.split("?")[0], q=text)
    labels = re.findall(r'class="card__title"><a href="/formations/[^"]+">([^<]+)</a>', followed)
    assert labels and all("centrale" in html.unescape(label).lower() for label in labels)


@pytest.mark.parametrize("query", ["imge\x01", "é" * 5000, "%00%s{{ }}", "imge " * 50])
def test_hostile_searches_get_a_page(client, portal_data, query):
    for path in ("/metiers/", "/formations/"):
        assert client.get(path, {"q": query}).status_code == 200


def test_the_words_of_a_new_fiche_are_suggested_at_once(client, portal_data, settings):
    # The vocabulary is kept until the catalogue changes: an edit must renew it.
    settings.COUNT_CACHE = True
    cache.clear()
    assert suggestion(page(client, "/metiers/", q="acousticen")) is None
    metier = Metier.objects.create(
        titre="Acousticien/ne", slug="acousticien", accroche="<p>Le son.</p>", publication="publie",
    )
    Metier.objects.filter(pk=metier.pk).refresh_search_index()
    assert suggestion(page(client, "/metiers/", q="acousticen")) == ("/metiers/?q=acousticien", "acousticien")
    cache.clear()
