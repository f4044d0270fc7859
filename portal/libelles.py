"""The label of a field's stored choice, as ``get_FOO_display()`` gives it, from a dictionary
built once per field: Django builds it again at every call, and a fiche shows up to thirty
formations with their kind of diploma, and each salary's experience, period and nature."""

import functools


@functools.cache
def _labels(model, name):
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def libelle(obj, name):
    """The label of ``obj``'s choice in field ``name``; the value itself if it has none."""
    value = getattr(obj, name)
    return _labels(type(obj), name).get(value, value)
