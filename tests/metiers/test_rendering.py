"""The card helpers keep what they computed: the same input must still give the right text."""

from django.utils import translation

from metiers.rendering import euros, resume


def test_amounts_are_grouped_the_way_of_the_active_language():
    assert euros(2830) == "2\xa0830"
    assert euros(45000) == "45\xa0000"
    with translation.override("en"):
        assert euros(2830) == "2,830"
    assert euros(2830) == "2\xa0830"
    assert euros(950) == "950"


def test_a_summary_is_the_plain_text_cut_after_its_number_of_words():
    markup = "<p>Un <b>métier</b> d'ingénierie &amp; de terrain, pour qui aime comprendre.</p>"
    assert resume(markup) == "Un métier d'ingénierie & de terrain, pour qui aime comprendre."
    assert resume(markup, 4) == "Un métier d'ingénierie &…"
    assert resume(markup, 5) == "Un métier d'ingénierie & de…"
    assert resume("") == ""
