"""The selection's controls on fiches and cards, and its size for the navigation."""

from django.conf import settings
from django.http import QueryDict
from jinja2 import pass_context
from markupsafe import Markup

from metiers.compare import MAX_METIERS
from selection.views import Selection

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
    # A page may name its own address, built from what it found (a shared selection's
    # can be long, and is no pasted text).
    own = getattr(request, "selection_retour", None)
    if own:
        return own
    full = request.get_full_path()
    return full if len(full) <= MAX_RETOUR else request.path


@pass_context
def selection_bouton(context, kind, obj, compact=False):
    """An add or a remove button for ``obj`` (includes/selection_bouton.html), as a POST
    form that comes back to this page; on a métier's own page (not ``compact``), a link
    comparing it with the other selected métiers."""
    request = context.get("request")
    if request is None or not obj:  # error pages render without a request
        return ""
    selection = _selection(request)
    autres = [] if compact or kind != "metier" or selection is None else [
        s for s in selection.slugs("metier") if s != obj.slug]
    comparer = None
    if autres:
        query = QueryDict(mutable=True)
        query.setlist("m", [obj.slug, *autres[: MAX_METIERS - 1]])
        comparer = query.urlencode()
    template = context.environment.get_template("includes/selection_bouton.html")
    return Markup(template.render(
        kind=kind, obj=obj, compact=compact, retour=_retour(request), comparer=comparer,
        choisi=selection is not None and (kind, obj.slug) in selection,
    ))


@pass_context
def selection_nombre(context):
    """How many fiches are selected; reads the session only if the visitor has one."""
    request = context.get("request")
    selection = _selection(request) if request is not None else None
    return len(selection) if selection is not None else 0
