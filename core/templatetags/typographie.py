"""``{{ texte|insecables }}``: a text from the database or from Python, with the non-breaking
spaces of French typography (see core.typographie)."""

from django import template
from django.template.defaultfilters import stringfilter

from core.typographie import insecables as _insecables

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def insecables(texte):
    return _insecables(texte)
