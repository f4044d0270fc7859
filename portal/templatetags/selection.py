"""The selection's controls on fiches and cards, and its size for the navigation."""

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse

from metiers.compare import MAX_METIERS
from portal.selection import Selection

register = template.Library()


# A longer address is not a filtered listing but a pasted or hostile one: it is neither
# echoed back in the page nor kept; the form comes back to the page without its query.
MAX_RETOUR = 300


def _selection(request):
    """The visitor's selection, or None without a session cookie: reading the session
    would mark the page as varying on cookies, and the page cache would skip it."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    return Selection(request.session)


def _retour(request):
    full = request.get_full_path()
    return full if len(full) <= MAX_RETOUR else request.path


@register.inclusion_tag("includes/selection_bouton.html", takes_context=True)
def selection_bouton(context, kind, obj, compact=False):
    """An add or a remove button for ``obj``, as a POST form that comes back to this page;
    on a métier's own page (not ``compact``), a link comparing it with the other selected métiers."""
    request = context.get("request")
    if request is None:  # error pages render without a request
        return {}
    selection = _selection(request)
    autres = [] if compact or kind != "metier" or selection is None else [
        s for s in selection.slugs("metier") if s != obj.slug]
    comparer = None
    if autres:
        query = QueryDict(mutable=True)
        query.setlist("m", [obj.slug, *autres[: MAX_METIERS - 1]])
        comparer = f"{reverse('metiers:compare')}?{query.urlencode()}"
    return {
        "type": kind,
        "obj": obj,
        "choisi": selection is not None and (kind, obj.slug) in selection,
        "retour": _retour(request),
        "comparer": comparer,
        "compact": compact,
    }


@register.simple_tag(takes_context=True)
def selection_nombre(context):
    """How many fiches are selected; reads the session only if the visitor has one."""
    request = context.get("request")
    selection = _selection(request) if request is not None else None
    return len(selection) if selection is not None else 0
