"""The card helpers keep what they computed: the same input must still give the right text."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString

from formations.models import Niveau
from metiers.rendering import echelle_niveau, euros, resume, sanitize


def test_amounts_are_grouped_the_way_of_the_active_language():
    assert euros(2830) == "2\xa0830"
    assert euros(45000) == "45\xa0000"
    with translation.override("en"):
        assert euros(2830) == "2,830"
    assert euros(2830) == "2\xa0830"
    assert euros(950) == "950"


def test_a_section_is_sanitised_the_same_each_time_and_an_edit_is_sanitised_anew():
    hostile = '<p onclick="x()">Un <script>alert(1)</script><a href="javascript:alert(1)">lien</a> : oui</p>'
    expected = '<p>Un <a rel="noopener noreferrer nofollow">lien</a>\xa0: oui</p>'
    for _ in range(3):
        html = sanitize(hostile)
        assert html == expected and isinstance(html, SafeString)
    assert sanitize(hostile.replace("oui", "non <img src=x onerror=y()>")) == expected.replace("oui", "non ")
    assert sanitize(None) == sanitize("") == ""


def test_a_summary_is_the_plain_text_cut_after_its_number_of_words():
    markup = "<p>Un <b>métier</b> d'ingénierie &amp; de terrain, pour qui aime comprendre.</p>"
    assert resume(markup) == "Un métier d'ingénierie & de terrain, pour qui aime comprendre."
    assert resume(markup, 4) == "Un métier d'ingénierie &…"
    assert resume(markup, 5) == "Un métier d'ingénierie & de…"
    assert resume("") == ""


def test_a_card_names_the_level_of_its_scale_and_the_style_sheet_draws_each_level():
    """On cards the scale is one element named by the rank (the browser test checks what it
    draws); the fiche keeps its nine SVG steps with their labels."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    for rang in range(9):
        card = echelle_niveau(Niveau(rang=rang, libelle=f"niveau {rang}"), compact=True)
        assert re.search(rf'<span class="echelle__barre echelle__barre--{rang}" aria-hidden="true"></span>\s*'
                         rf'<span class="echelle__texte">niveau {rang}</span>', card), card
        assert "<svg" not in card
        assert f".echelle__barre--{rang} {{ --rang: {rang}; }}" in css
        fiche = echelle_niveau(Niveau(rang=rang, libelle=f"niveau {rang}"))
        assert fiche.count("<rect ") == 9 and fiche.count("echelle__marche--atteint") == 1
    unknown = echelle_niveau(None, compact=True)
    assert 'echelle__barre--aucun' in unknown and "non précisé" in unknown
    assert ".echelle__barre--aucun" not in css  # no rank: every step drawn as below
