"""The admin's search and autocomplete: accents and case ignored, as on the portal."""

import pytest
from django.contrib.auth.models import User

from formations.models import Formation, Niveau
from metiers.models import CentreInteret, Metier, Secteur, Statut
from sources.models import Source

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


def completed(client, field_name, term):
    """What the autocomplete of a fiche's ``field_name`` offers for ``term``."""
    response = client.get("/admin/autocomplete/", {
        "term": term, "app_label": "metiers", "model_name": "metier", "field_name": field_name,
    })
    assert response.status_code == 200
    return response.json()["results"]


def test_the_formation_field_of_a_fiche_autocompletes_without_accents(editeur):
    shown = {int(result["id"]) for result in completed(editeur, "formations", "ecole centrale")}
    expected = {f.pk for f in Formation.objects.all() if "centrale" in f"{f.libelle} {f.etablissement}".lower()}
    assert shown == expected and expected


# The reference tables: their rows are few, and compared in Python.

def labels(rows, attribute="libelle"):
    return sorted(getattr(row, attribute) for row in rows)


@pytest.mark.parametrize(("path", "model", "term", "expected"), [
    ("/admin/metiers/secteur/", Secteur, "electronique", ["Électronique et semi-conducteurs"]),
    ("/admin/metiers/secteur/", Secteur, "SANTE dispositifs", ["Santé et dispositifs médicaux"]),
    ("/admin/metiers/centreinteret/", CentreInteret, "organiser gerer", ["j'aime organiser, gérer"]),
    ("/admin/metiers/statut/", Statut, "createur", ["créateur d'entreprise"]),
    ("/admin/formations/niveau/", Niveau, "BAC+5", ["bac + 5"]),
])
def test_reference_tables_are_searched_without_accents(editeur, path, model, term, expected):
    assert labels(found(editeur, path, term)) == expected


def test_sources_are_found_by_any_of_their_fields_without_accents(editeur):
    # « rôle » in one title and « rôles » in another; « innovation » in the first only.
    assert labels(found(editeur, "/admin/sources/source/", "role innovation"), "code") == [
        "ingenieur-ia-innovation-performance"
    ]
    expected = sorted(s.code for s in Source.objects.all() if "ingénieur" in s.titre.lower())
    assert len(expected) == 4
    assert labels(found(editeur, "/admin/sources/source/", "INGENIEUR"), "code") == expected
    assert labels(found(editeur, "/admin/sources/source/", "onisep"), "code") == ["onisep-met-612"]


def test_reference_search_as_typed_still_finds_within_words(editeur):
    assert labels(found(editeur, "/admin/metiers/secteur/", "tronique")) == ["Électronique et semi-conducteurs"]


@pytest.mark.parametrize("term", ["!!!", "zzzzqx", "électronique zzzzqx"])
def test_reference_search_without_matches_lists_nothing(editeur, term):
    assert found(editeur, "/admin/metiers/secteur/", term) == []


def test_the_sources_field_of_a_fiche_autocompletes_without_accents(editeur):
    shown = [result["text"] for result in completed(editeur, "sources", "role innovation")]
    assert shown == [str(Source.objects.get(code="ingenieur-ia-innovation-performance"))]
