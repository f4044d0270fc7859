"""The selection's controls on fiches and cards, and its size for the navigation."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from metiers.compare import MAX_METIERS
from portal.selection import Selection

register = template.Library()


@register.inclusion_tag("includes/selection_bouton.html", takes_context=True)
def selection_bouton(context, kind, obj, compact=False):
    """An add or a remove button for ``obj``, as a POST form that comes back to this page;
    on a métier's own page (not ``compact``), a link comparing it with the other selected métiers."""
    request = context["request"]
    selection = Selection(request.session)
    autres = [] if compact or kind != "metier" else [s for s in selection.slugs("metier") if s != obj.slug]
    comparer = None
    if autres:
        query = QueryDict(mutable=True)
        query.setlist("m", [obj.slug, *autres[: MAX_METIERS - 1]])
        comparer = f"{reverse('metiers:compare')}?{query.urlencode()}"
    return {
        "csrf_token": context.get("csrf_token"),
        "type": kind,
        "obj": obj,
        "choisi": (kind, obj.slug) in selection,
        "retour": request.get_full_path(),
        "comparer": comparer,
        "compact": compact,
    }


@register.simple_tag(takes_context=True)
def selection_nombre(context):
    """How many fiches are selected; reads the session only if the visitor has one."""
    request = context["request"]
    if not request.session.session_key:
        return 0
    return len(Selection(request.session))
