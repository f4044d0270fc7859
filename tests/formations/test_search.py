"""The formation search on the seed formations, on whichever backend the suite runs."""

import pytest

from core.search import search_words
from formations.models import Formation

ENSTA = "diplome-d-ingenieur-de-l-ecole-nationale-superieure-de-techniques-avancees-bretagne-for-5543"


def found(query):
    return [f.slug for f in Formation.objects.search(query).order_by("-rank", "pk")]


@pytest.mark.parametrize("query", ["ensta", "ENSTA Bretagne", "techniques avancées", "ens"])
def test_school_and_label_are_searched(portal_data, query):
    assert ENSTA in found(query)


def test_label_words_are_found_whatever_the_accents(portal_data):
    results = found("INFORMATIQUE")
    assert "licence-d-informatique" in results
    assert "master-mention-informatique-for-10363" in results
    assert ENSTA not in results


def test_every_word_must_match(portal_data):
    assert found("licence informatique") == ["licence-d-informatique", "licence-de-mathematiques-et-informatique"]


@pytest.mark.parametrize("query", ["zzzzzz", "", "!!!", "& | ! : * ( ) '", "zz\x00" * 5000])
def test_nothing_or_nonsense_finds_nothing(portal_data, query):
    assert found(query) == []


@pytest.mark.parametrize(
    "query, words",
    [
        ("Ingénieur/e environnement", ["ingenieur", "environnement"]),
        ("technicien(ne) de maintenance", ["technicien", "de", "maintenance"]),
        ("chercheur·euse", ["chercheur"]),
        ("conducteur.trice", ["conducteur"]),
        ("directeur/rice", ["directeur"]),
        ("ingénieur(e)s", ["ingenieur"]),
        ("chef/fe de projet", ["chef", "de", "projet"]),
        # Not an ending written after a word: kept.
        ("ingénieur / e", ["ingenieur", "e"]),
        ("e-commerce", ["e", "commerce"]),
        ("C/C++", ["c", "c"]),
        ("R/D", ["r", "d"]),
        ("ingénieur/ensta", ["ingenieur", "ensta"]),
        ("ingénieure", ["ingenieure"]),
    ],
)
def test_a_feminine_ending_after_a_word_is_not_searched_as_a_word(query, words):
    assert search_words(query) == words
