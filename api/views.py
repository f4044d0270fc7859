"""The read-only open data API: plain views answering JSON, every payload with its
sources and its licence. Anything but GET and HEAD is answered 405."""

import hashlib
import re

from django.core import signing
from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import csrf_exempt

from core.exports import LICENCE
from core.listing import CountCachedPaginator, ListingPage, keyset_key, listing_count_key, rows_after_key
from core.methods import SAFE, allow_methods
from core.outage import without_database
from formations.exports import tag_formations
from formations.filters import FormationFilterSet
from formations.models import Formation
from metiers.filters import MetierFilterSet
from metiers.models import Metier
from metiers.references import reference_options, tag_metiers
from sources.models import Source

from . import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, payloads
from .openapi import openapi_document


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status, message, details=None):
    data = {"erreur": message}
    if details:
        data["details"] = details
    return _json(data, status=status)


def read_only(view):
    """GET and HEAD only (405 otherwise, not a CSRF refusal: nothing is ever written)."""
    return csrf_exempt(allow_methods(SAFE, refusal=_read_only_refusal)(view))


def _read_only_refusal(request, methods):
    return _error(405, f"L'API est en lecture seule : seules les méthodes {' et '.join(methods)} sont acceptées.")


def in_api(request):
    """Whether an error should be answered in the API's JSON; an error page must not fail itself."""
    try:
        return request.path.startswith(reverse("api:index"))
    except NoReverseMatch:
        return False


def unavailable():
    return _error(503, "La base de données est momentanément injoignable. Réessayez dans quelques secondes.")


def unknown_address(request):
    """The 404 of an address under /api/ that no endpoint serves: JSON, like the API's own."""
    index = request.build_absolute_uri(reverse("api:index"))
    return _error(404, f"Aucune ressource de l'API à cette adresse ; la liste des adresses est sur {index}")


def unreadable_request(raison):
    """The 400 of a request Django refused before any endpoint ran: JSON, like the API's own."""
    return _error(400, f"Requête illisible : {raison or 'elle est mal formée.'}")


def server_error():
    return _error(500, "Le portail a rencontré une erreur ; elle est enregistrée. Réessayez dans un instant.")


def _envelope(data, sources):
    return {**data, "sources": [s.payload() for s in sources], "licence": LICENCE}


def _cited(codes):
    codes = set(codes)
    return Source.objects.filter(code__in=codes) if codes else []


# ASCII digits only: str.isdigit() also takes « ² », which int() refuses; and few enough
# for int(), which refuses more than 4 300 digits.
DIGITS = re.compile(r"[0-9]{1,20}")


def _page_parameter(request, name, default, maximum=None):
    raw = request.GET.get(name, "")
    if not raw:
        return default, None
    if not DIGITS.fullmatch(raw) or int(raw) < 1:
        return None, f"« {name} » doit être un entier positif écrit en chiffres (20 au plus)."
    if maximum is not None and int(raw) > maximum:
        return None, f"« {name} » vaut au plus {maximum}."
    return int(raw), None


# Signed, so that a cursor holds only what the API wrote in it.
CURSOR_SIGNER = signing.Signer(salt="api.apres")


def _list_digest(count_key, size):
    """What a cursor must come back to: the same list (address and filters) by pages of the same size."""
    return hashlib.sha256(f"{count_key}|{size}".encode()).hexdigest()[:16]


def _cursor(count_key, size, position, key):
    """The ``apres`` value of the page that starts at row ``position``, after the row ``key`` stands for."""
    # Without a timestamp: the same page always links to the same next page.
    return CURSOR_SIGNER.sign_object({"l": _list_digest(count_key, size), "p": position, "k": key}, compress=True)


def _read_cursor(raw, count_key, size):
    """(position, key) from an ``apres`` value, or a message saying why it cannot be read."""
    try:
        data = CURSOR_SIGNER.unsign_object(raw)
    except signing.BadSignature:
        return None, "« apres » n'est pas un curseur de l'API : suivez le lien « suivante » d'une réponse."
    if data.get("l") != _list_digest(count_key, size):
        return None, ("Ce curseur « apres » vient d'une autre liste (filtres, tri ou « par_page » différents) : "
                      "suivez le lien « suivante » de cette liste.")
    return (data["p"], data["k"]), None


def _listing(request, filterset, *, key, summary, attach):
    if filterset.form.errors:
        return _error(400, "Paramètres de filtre invalides.", filterset.form.errors.get_json_data())
    number, problem = _page_parameter(request, "page", 1)
    size, size_problem = _page_parameter(request, "par_page", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if problem or size_problem:
        return _error(400, problem or size_problem)
    cursor = request.GET.get("apres")
    if cursor and request.GET.get("page"):
        return _error(400, "« page » et « apres » ne vont pas ensemble : le lien « suivante » porte « apres » seul.")
    # The rows in the listing's order, read the same way: a search's pages from its
    # indexes, deep pages by id, the count from the cache while the catalogue is unchanged.
    count_key = listing_count_key(request, filterset)
    results = filterset.results(count_key)
    paginator = CountCachedPaginator(results, size, count_key)
    after = None
    if cursor:
        found, problem = _read_cursor(cursor, count_key, size)
        if problem:
            return _error(400, problem)
        position, after = found
        number = position // size + 1
    if number > paginator.num_pages:
        return _error(404, f"Cette page n'existe pas : {paginator.num_pages} page(s) au total.")
    if after is None:
        page = paginator.page(number)
        items = list(page.object_list)
    else:
        # From the row the cursor names: as fast as the first page, however deep.
        items = rows_after_key(results, after, size)
        page = ListingPage(items, number, paginator)
    attach(items)

    def link(name, value):
        params = request.GET.copy()
        for other in ("page", "apres"):
            params.pop(other, None)
        params[name] = value
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    following = None
    if page.has_next() and items:
        last = keyset_key(results, page.end_index() - 1, items[-1])
        following = (link("page", page.next_page_number()) if last is None
                     else link("apres", _cursor(count_key, size, page.end_index(), last)))
    search = None
    if filterset.searching():
        approximate = filterset.approximate() and bool(paginator.count)
        respelt = filterset.suggestion() if approximate or not paginator.count else None
        search = {
            "approchee": approximate,
            "suggestion": {"q": respelt[0], "url": link("q", respelt[0])} if respelt else None,
        }
    data = {
        "nombre": paginator.count,
        "recherche": search,
        "page": page.number,
        "pages": paginator.num_pages,
        "par_page": size,
        "precedente": link("page", page.previous_page_number()) if page.has_previous() else None,
        "suivante": following,
        key: [summary(request, item) for item in items],
    }
    return _json(_envelope(data, _cited(code for item in items for code in item.codes_sources)))


@without_database
@read_only
def index(request):
    def url(path):
        return request.build_absolute_uri(path)

    return _json({
        "nom": "Cap Ingé — données ouvertes",
        "documentation": url("/api/openapi.json"),
        "points_d_acces": {
            "metiers": url("/api/metiers/"),
            "formations": url("/api/formations/"),
            "centres_interet": url("/api/centres-interet/"),
            "niveaux": url("/api/niveaux/"),
        },
        "sources": url("/sources/"),
        "licence": LICENCE,
    })


@read_only
def metier_list(request):
    return _listing(
        request, MetierFilterSet(request.GET, queryset=Metier.objects.published().for_summaries()),
        key="metiers", summary=payloads.metier_summary, attach=tag_metiers,
    )


@read_only
def metier_detail(request, slug):
    metier = Metier.objects.published().for_fiche().filter(slug=slug).first()
    if metier is None:
        return _error(404, "Aucune fiche publiée à cette adresse.")
    return _json(_envelope({"metier": payloads.metier_detail(request, metier)}, _cited(metier.codes_sources)))


@read_only
def formation_list(request):
    return _listing(
        request, FormationFilterSet(request.GET), key="formations", summary=payloads.formation_summary,
        attach=tag_formations,
    )


@read_only
def formation_detail(request, slug):
    formation = Formation.objects.public().with_niveau().filter(slug=slug).first()
    if formation is None:
        return _error(404, "Aucune formation à cette adresse.")
    tag_formations([formation])
    metiers = formation.metiers.published().order_by("titre", "pk")
    return _json(_envelope({"formation": payloads.formation_detail(request, formation, metiers)},
                           _cited(formation.codes_sources)))


def _options(kind):
    return [
        {"slug": o.slug, "libelle": o.libelle, "nb_metiers_publies": o.nb_metiers}
        | ({"annees_apres_bac": o.rang} if kind == "niveau" else {})
        for o in reference_options(kind, count_metiers=True)[kind]
    ]


@read_only
def centre_interet_list(request):
    # The interests are those the fiches' sources attach to the métiers.
    sources = Source.objects.filter(
        metiers__publication=Metier.Publication.PUBLIE, metiers__centres_interet__isnull=False
    ).distinct()
    return _json(_envelope({"centres_interet": _options("centre_interet")}, sources))


@read_only
def niveau_list(request):
    # The bac … bac + 8 scale is the national one, counted in years after the bac: no source.
    return _json(_envelope({"niveaux": _options("niveau")}, []))


@without_database
@read_only
def openapi(request):
    return _json(openapi_document(request))
