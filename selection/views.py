"""A student's or counsellor's selection of métiers and formations, kept in their session.

No account: the selection lives as long as the session cookie. It holds slugs
only, so a fiche unpublished since it was added simply stops being listed.
Changes are POST forms that work without JavaScript: emptying the selection carries
the CSRF token; the add and remove buttons, drawn on pages cached for every visitor,
are checked by their origin instead (see `same_site_post`).

A selection is shared by an address naming its slugs (/selection/partagee/?m=…&f=…):
it shows those fiches to whoever opens it, and downloads them, without any session.
"""

from django.http import HttpResponseForbidden, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from core.exports import csv_response
from core.methods import SAFE, allow_methods
from formations.exports import formation_columns, tag_formations
from formations.models import Formation
from metiers.compare import MAX_METIERS
from metiers.exports import metier_columns
from metiers.filters import SLUG
from metiers.models import Metier
from metiers.references import tag_metiers

SESSION_KEY = "selection"
# Bounds the session's size; a selection is for a handful of fiches, not a catalogue.
MAX_PAR_TYPE = 30
KINDS = {
    "metier": lambda: Metier.objects.published(),
    "formation": lambda: Formation.objects.public(),
}


class Selection:
    """The slugs selected in one session, per kind, in the order they were added."""

    def __init__(self, session):
        self.session = session

    def slugs(self, kind):
        stored = self.session.get(SESSION_KEY) or {}
        return list(stored.get(kind, []))

    def __len__(self):
        return sum(len(self.slugs(kind)) for kind in KINDS)

    def __contains__(self, item):
        kind, slug = item
        return slug in self.slugs(kind)

    def _save(self, kind, slugs):
        stored = dict(self.session.get(SESSION_KEY) or {})
        stored[kind] = slugs
        self.session[SESSION_KEY] = stored

    def add(self, kind, slug):
        """Add a fiche; return a reason in French if it cannot be added."""
        slugs = self.slugs(kind)
        if slug in slugs:
            return None
        if len(slugs) >= MAX_PAR_TYPE:
            return f"Votre sélection compte déjà {MAX_PAR_TYPE} fiches de ce type : retirez-en une d'abord."
        if not KINDS[kind]().filter(slug=slug).exists():
            return "Cette fiche n'existe pas ou n'est pas publiée : elle n'a pas été ajoutée."
        self._save(kind, [*slugs, slug])
        return None

    def remove(self, kind, slug):
        self._save(kind, [other for other in self.slugs(kind) if other != slug])

    def clear(self):
        self.session.pop(SESSION_KEY, None)

    def metiers(self):
        """The selected published métiers, in the order they were added."""
        return self._in_order("metier", Metier.objects.published().for_cards())

    def formations(self):
        return self._in_order("formation", Formation.objects.public().with_niveau())

    def _in_order(self, kind, queryset):
        return in_order(self.slugs(kind), queryset)


def in_order(slugs, queryset):
    """The objects of ``queryset`` named by ``slugs``, in that order; the others are left out."""
    if not slugs:
        return []
    found = {obj.slug: obj for obj in queryset.filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


# A shared selection's address: /selection/partagee/?m=<métier>&…&f=<formation>&…
SHARE_PARAMETERS = {"metier": "m", "formation": "f"}
# Beyond this, an address would not pass gunicorn's request line limit (8 190 bytes, see
# gunicorn_conf) with its host and method: a selection of long formation slugs is not
# given one.
MAX_SHARE_LENGTH = 8000


def share_path(metiers, formations, view="selection_shared"):
    """The address showing these fiches to whoever opens it, from the site's root; with
    ``view``, another page of the same fiches (their downloads)."""
    query = QueryDict(mutable=True)
    query.setlist(SHARE_PARAMETERS["metier"], [metier.slug for metier in metiers])
    query.setlist(SHARE_PARAMETERS["formation"], [formation.slug for formation in formations])
    return f"{reverse(view)}?{query.urlencode()}"


def _lists(metiers, formations):
    """What the lists of a selection show (includes/selection_listes.html): the fiches,
    the métiers ticked for comparison, and the CSV downloads."""
    return {
        "metiers": metiers,
        "formations": formations,
        "comparables": metiers[:MAX_METIERS],
        "max_metiers": MAX_METIERS,
        "export_metiers": share_path(metiers, [], "selection_export_metiers") if metiers else None,
        "export_formations": share_path([], formations, "selection_export_formations") if formations else None,
    }


def shared_slugs(query, kind):
    """The slugs of ``kind`` an address names, each once, in order, as many as a selection
    holds; values that cannot be a slug are dropped before the database sees them."""
    slugs = []
    for value in query.getlist(SHARE_PARAMETERS[kind]):
        if SLUG.fullmatch(value) and value not in slugs:
            slugs.append(value)
    return slugs[:MAX_PAR_TYPE]


def _page(request, *, problem=None, status=200):
    selection = Selection(request.session)
    metiers, formations = selection.metiers(), selection.formations()
    shared = share_path(metiers, formations) if metiers or formations else None
    return render(
        request,
        "selection/selection.html",
        _lists(metiers, formations) | {
            "probleme": problem,
            "lien_partage": request.build_absolute_uri(shared) if shared and len(shared) <= MAX_SHARE_LENGTH else None,
            "lien_trop_long": bool(shared) and len(shared) > MAX_SHARE_LENGTH,
        },
        status=status,
    )


@allow_methods(SAFE)
def selection_shared(request):
    """The fiches a shared address names, each with the visitor's own add or remove button;
    opening it changes nobody's selection."""
    named = {kind: shared_slugs(request.GET, kind) for kind in KINDS}
    metiers = in_order(named["metier"], Metier.objects.published().for_cards())
    formations = in_order(named["formation"], Formation.objects.public().with_niveau())
    missing = len(named["metier"]) + len(named["formation"]) - len(metiers) - len(formations)
    # The add and remove buttons come back here: to the fiches found, however long the list.
    request.selection_retour = share_path(metiers, formations)
    return render(
        request,
        "selection/partagee.html",
        _lists(metiers, formations) | {"absentes": missing},
    )


# The columns of the listings' downloads, for the same fiches named by slug.
EXPORTS = {
    "metiers": ("metier", lambda: Metier.objects.published().for_summaries(), metier_columns, tag_metiers),
    "formations": ("formation", lambda: Formation.objects.public().with_niveau(), formation_columns, tag_formations),
}


@allow_methods(SAFE)
def selection_export(request, kind):
    """A CSV of the métiers (or formations) a selection's address names, in its order,
    with the columns of the listing's own download."""
    slug_kind, queryset, columns, attach = EXPORTS[kind]
    objects = in_order(shared_slugs(request.GET, slug_kind), queryset())
    attach(objects)
    return csv_response(objects, columns(request), stem=f"selection-{kind}")


def _back(request):
    """Where to go after a change: the page the form was on, if it is on this site.

    The forms send that page's path: a relative address (« metier », « ../x ») would
    lead beside the form's own address, to a page that does not exist.
    """
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("selection"))


@allow_methods(SAFE)
def selection_page(request):
    return _page(request)


def _change(request, *, verb):
    """Add or remove the fiche named by the form, then go back, or say what was wrong."""
    kind, slug = request.POST.get("type", ""), request.POST.get("slug", "").strip()
    # A value that cannot be an address is refused before the database sees it.
    if kind not in KINDS or not SLUG.fullmatch(slug):
        return _page(request, problem=f"Demande incomplète : aucune fiche n'a été {verb}.", status=400)
    selection = Selection(request.session)
    problem = selection.add(kind, slug) if verb == "ajoutée" else selection.remove(kind, slug)
    if problem:
        return _page(request, problem=problem, status=400)
    return _back(request)


def same_site_post(view):
    """POST only, from this site. The add and remove buttons sit on fiches and listings,
    which the page cache serves to every visitor without a session: they cannot carry a
    per-visitor CSRF token. A forged cross-site post could only touch a throwaway
    selection anyway (the session cookie is SameSite=Lax, so it is not sent), and the
    Origin header browsers put on every POST is checked as well."""

    @csrf_exempt
    @allow_methods(("POST",))
    def wrapped(request):
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.get_host()}":
            return HttpResponseForbidden("Demande venue d'un autre site : refusée.")
        return view(request)

    return wrapped


@same_site_post
def selection_add(request):
    return _change(request, verb="ajoutée")


@same_site_post
def selection_remove(request):
    return _change(request, verb="retirée")


@allow_methods(("POST",))
def selection_clear(request):
    Selection(request.session).clear()
    return HttpResponseRedirect(reverse("selection"))
