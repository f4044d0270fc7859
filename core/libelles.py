"""The label of a field's stored choice, for the templates (``get_FOO_display()``)."""


def libelle(obj, name):
    """The label of ``obj``'s choice in field ``name``; the value itself if it has none."""
    return getattr(obj, f"get_{name}_display")()
