"""The labels the pages show for stored choices are Django's own (get_FOO_display)."""

import pytest

from core.libelles import libelle
from formations.models import Formation
from metiers.models import Metier, Salaire
from sources.models import Source

FIELDS = [(Formation, "type"), (Metier, "demande"), (Salaire, "experience"), (Salaire, "periode"),
          (Salaire, "nature"), (Source, "nature")]


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
def test_each_choice_has_django_s_label_and_an_unknown_value_stays_itself(model, name):
    values = [value for value, _ in model._meta.get_field(name).flatchoices] + ["", "inconnu"]
    assert len(values) > 3
    for value in values:
        obj = model(**{name: value})
        assert libelle(obj, name) == getattr(obj, f"get_{name}_display")()
    assert libelle(model(**{name: "inconnu"}), name) == "inconnu"
