"""The admin's search and autocomplete: accents and case ignored, as on the portal."""

import pytest
from django.contrib.auth.models import User

from formations.models import Formation
from metiers.models import Metier

IMAGE = "ingenieur-traitement-de-l-image"


@pytest.fixture
def editeur(client, portal_data):
    client.force_login(User.objects.create_superuser("redaction", password="motdepasse-solide-42"))
    return client


def found(client, path, term):
    response = client.get(path, {"q": term})
    assert response.status_code == 200
    return sorted(response.context["cl"].result_list, key=lambda row: row.pk)


def by_pk(rows):
    return sorted(rows, key=lambda row: row.pk)


@pytest.mark.parametrize("term", ["ingenieur", "INGÉNIEUR", "ingé"])
def test_metiers_are_found_without_their_accents_each_once(editeur, term):
    # A draft too: editors work on them. Every seed métier has several appellations
    # with the word, and is listed once.
    Metier.objects.filter(slug=IMAGE).update(publication=Metier.Publication.BROUILLON)
    assert found(editeur, "/admin/metiers/metier/", term) == by_pk(Metier.objects.all())


def test_every_word_must_match(editeur):
    assert found(editeur, "/admin/metiers/metier/", "traitement image") == [Metier.objects.get(slug=IMAGE)]


def test_formations_are_found_by_school_whatever_its_capitals_and_accents(editeur):
    centrales = by_pk(
        f for f in Formation.objects.all() if "centrale" in f"{f.libelle} {f.etablissement}".lower()
    )
    assert len(centrales) >= 2
    for term in ("ecole centrale", "École Centrale", "école centrale"):
        assert found(editeur, "/admin/formations/formation/", term) == centrales


@pytest.mark.parametrize(("path", "model", "identifier"), [
    ("/admin/formations/formation/", Formation, "FOR.1251"),
    ("/admin/metiers/metier/", Metier, "MET.612"),
])
def test_identifiers_are_still_found(editeur, path, model, identifier):
    assert found(editeur, path, identifier) == [model.objects.get(onisep_id=identifier)]


@pytest.mark.parametrize("term", ["!!!", "\\", "%", "zzzzqx"])
def test_a_search_without_words_or_matches_lists_nothing(editeur, term):
    assert found(editeur, "/admin/metiers/metier/", term) == []


def test_the_formation_field_of_a_fiche_autocompletes_without_accents(editeur):
    response = editeur.get("/admin/autocomplete/", {
        "term": "ecole centrale", "app_label": "metiers", "model_name": "metier", "field_name": "formations",
    })
    assert response.status_code == 200
    shown = {int(result["id"]) for result in response.json()["results"]}
    expected = {f.pk for f in Formation.objects.all() if "centrale" in f"{f.libelle} {f.etablissement}".lower()}
    assert shown == expected and expected
