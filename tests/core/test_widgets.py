"""Filter menus rendered once per state give exactly what Django's own widgets give."""

from django import forms

from core import widgets

CHOICES = [("", "Tous les secteurs"), ("energie", "Énergie"), ("spatial", "Aéronautique & spatial")]


def test_select_matches_django_for_every_state():
    for value in ("", "energie", "spatial", "<script>"):
        expected = forms.Select(choices=CHOICES).render("secteur", value, {"id": "id_secteur"})
        assert widgets.Select(choices=CHOICES).render("secteur", value, {"id": "id_secteur"}) == expected
        # The second call comes from the store and must not differ.
        assert widgets.Select(choices=CHOICES).render("secteur", value, {"id": "id_secteur"}) == expected
    assert 'value="energie" selected' in widgets.Select(choices=CHOICES).render("secteur", "energie")
    spatial = widgets.Select(choices=CHOICES).render("secteur", "spatial")
    assert 'value="spatial" selected' in spatial and 'value="energie" selected' not in spatial


def test_checkboxes_match_django_and_follow_the_choices():
    checked = ["energie", "spatial"]
    expected = forms.CheckboxSelectMultiple(choices=CHOICES[1:]).render("centre", checked)
    assert widgets.CheckboxSelectMultiple(choices=CHOICES[1:]).render("centre", checked) == expected
    renamed = [("energie", "Énergies")]
    assert "Énergies" in widgets.CheckboxSelectMultiple(choices=renamed).render("centre", checked)


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(widgets, "MAX_ENTRIES", 3)
    widgets._rendered.clear()
    for n in range(10):
        widgets.Select(choices=CHOICES).render(f"champ{n}", "")
    assert len(widgets._rendered) <= 3



def test_number_input_matches_django():
    for value in (None, "2500", '"><script>'):
        expected = forms.NumberInput(attrs={"min": 0}).render("salaire_min", value)
        assert widgets.NumberInput(attrs={"min": 0}).render("salaire_min", value) == expected
