"""The selection's controls on fiches and cards, and its size for the navigation."""

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from jinja2 import pass_context
from markupsafe import escape

from metiers.compare import MAX_METIERS
from portal.selection import Selection
from portal.urlcache import plain_url


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


# Where a button's own values go in its markup (see _gabarit). No address holds one:
# get_full_path() percent-encodes a NUL byte.
TROUS = ("\x00slug\x00", "\x00titre\x00", "\x00lien\x00")


@pass_context
def selection_bouton(context, kind, obj, compact=False):
    """An add or a remove button for ``obj``, as a POST form that comes back to this page;
    on a métier's own page (not ``compact``), a link comparing it with the other selected métiers.

    Built here rather than by a template: a listing draws one on every card.
    """
    request = context.get("request")
    if request is None or not obj:  # error pages render without a request
        return ""
    selection = _selection(request)
    choisi = selection is not None and (kind, obj.slug) in selection
    autres = [] if compact or kind != "metier" or selection is None else [
        s for s in selection.slugs("metier") if s != obj.slug]
    lien = ""
    if autres:
        query = QueryDict(mutable=True)
        query.setlist("m", [obj.slug, *autres[: MAX_METIERS - 1]])
        lien = format_html('<a class="selection-bouton__lien" href="{}?{}">Comparer avec ma sélection</a>',
                           reverse("metiers:compare"), query.urlencode())
    elif choisi and not compact:
        lien = format_html('<a class="selection-bouton__lien" href="{}">Voir ma sélection</a>', reverse("selection"))
    avant, entre, apres, fin = _gabarit(request, kind, choisi)
    titre = getattr(obj, "titre", None) or getattr(obj, "libelle", "")
    # markupsafe's escape, as the templates': half the time of Django's (which also
    # takes lazy texts), for two values on each of a listing's twenty cards.
    return mark_safe(f"{avant}{escape(obj.slug)}{entre}{escape(titre)}{apres}{lien}{fin}")  # noqa: S308 — every part is escaped


def _gabarit(request, kind, choisi):
    """The button's markup around its slug, title and link, in four pieces.

    Only those three change from card to card: the rest (the address to come back to,
    the action, the label) is escaped once per request and state, not once per card.
    """
    gabarits = request.__dict__.setdefault("_selection_gabarits", {})
    pieces = gabarits.get((kind, choisi))
    if pieces is None:
        markup = format_html(
            '<form class="selection-bouton" method="post" action="{}">\n'
            '  <input type="hidden" name="type" value="{}"><input type="hidden" name="slug" value="{}">'
            '<input type="hidden" name="next" value="{}">\n'
            '  <button class="button button--ghost" type="submit">{}<span class="visually-hidden">&nbsp;: {}</span></button>\n'
            "  {}\n</form>",
            plain_url("selection_remove" if choisi else "selection_add"), kind, mark_safe(TROUS[0]), _retour(request),
            "Retirer de ma sélection" if choisi else "Ajouter à ma sélection", mark_safe(TROUS[1]), mark_safe(TROUS[2]),
        )
        avant, reste = markup.split(TROUS[0])
        entre, reste = reste.split(TROUS[1])
        apres, fin = reste.split(TROUS[2])
        pieces = gabarits[(kind, choisi)] = (avant, entre, apres, fin)
    return pieces


@pass_context
def selection_nombre(context):
    """How many fiches are selected; reads the session only if the visitor has one."""
    request = context.get("request")
    selection = _selection(request) if request is not None else None
    return len(selection) if selection is not None else 0
