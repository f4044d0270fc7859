"""Spelling corrections of searches that found nothing (core.spelling)."""

import pytest

from core.spelling import MAX_UNKNOWN, Corrector, vocabulary

TITLES = [
    "Ingénieur/e traitement de l'image",
    "ingénieur systèmes embarqués et IA",
    "INGENIEUR en électronique",
    "Master 2 image et vision",
]


@pytest.fixture
def corrector():
    return Corrector(vocabulary(TITLES))


def test_the_vocabulary_keeps_each_word_in_its_most_frequent_spelling():
    assert vocabulary(["Ingénieur image", "ingénieur son", "INGENIEUR", "l'Œuvre"]) == {
        "image": "image", "ingenieur": "ingénieur", "l": "l", "oeuvre": "œuvre", "son": "son",
    }


@pytest.mark.parametrize(("query", "expected"), [
    ("ingenier imge", "ingénieur image"),
    ("traitemnt de l'image", "traitement de l'image"),
    ("INGENIER electronque", "ingénieur électronique"),
    ("mastr 2 visoin", "master 2 vision"),
    # Known words stay as typed, accents or not.
    ("ingenieur embarqé", "ingenieur embarqués"),
])
def test_unknown_words_take_the_spelling_of_the_closest_known_word(corrector, query, expected):
    assert corrector.correct(query) == expected


@pytest.mark.parametrize("query", [
    "ingénieur image",
    "INGENIEUR Image",
    # The last word is read as the start of a word.
    "traitement ima",
    # One and two letters, numbers: kept.
    "ia de 5",
    # Nothing near.
    "zzzz",
    "qwxzpt",
    "",
    None,
    "!!! ''' ---",
])
def test_no_correction_when_every_word_is_known_or_none_is_near(corrector, query):
    assert corrector.correct(query) is None


def test_a_word_not_last_is_not_taken_as_a_prefix(corrector):
    # « traitemen » begins « traitement », but only the last word is read as a prefix.
    assert corrector.correct("traitemen image") == "traitement image"


def test_too_many_unknown_words_are_not_a_misspelling(corrector):
    assert corrector.correct(" ".join(["imge"] * MAX_UNKNOWN)) == " ".join(["image"] * MAX_UNKNOWN)
    assert corrector.correct(" ".join(["imge"] * (MAX_UNKNOWN + 1))) is None


@pytest.mark.parametrize(("query", "expected"), [
    ("imge\x00\x01 <b>ingenier</b>", "image b ingénieur b"),
    ("imge %s {{ ingenier }} ; l'image-vision", "image s ingénieur l'image-vision"),
])
def test_marks_and_control_characters_do_not_reach_the_correction(corrector, query, expected):
    assert corrector.correct(query) == expected


def test_a_long_query_is_cut_like_the_search(corrector):
    assert corrector.correct("imge " * 1000) is None
    assert corrector.correct("x" * 195 + " imge") == "x" * 195 + " image"
    assert corrector.correct("x" * 197 + " imge") is None
