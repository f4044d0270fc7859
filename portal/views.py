from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from api import views as api_views
from core.cache import cached_count
from core.methods import SAFE, allow_methods
from formations.models import Formation
from metiers.models import Metier
from metiers.references import reference_options
from sources.models import Source

from .middleware import InvalidAdminQuery, InvalidHeader

# Last resorts if even the error template cannot be rendered.
BARE_BAD_REQUEST = (
    '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Requête invalide</title>'
    "<h1>Requête invalide</h1><p>Le portail n'a pas pu lire cette requête.</p></html>"
)
# What the 400 page says, by the reason Django or the portal gave for refusing the request.
BAD_REQUEST_REASONS = [
    (InvalidHeader, "un en-tête ou un cookie contient des caractères de contrôle. "
                    "Effacez les cookies de ce site, puis rechargez la page."),
    (InvalidAdminQuery, "un de ses paramètres contient un octet nul ou une date impossible."),
    (DisallowedHost, "elle est adressée à un nom de site que ce serveur ne sert pas."),
    (RequestDataTooBig, "elle envoie trop de données."),
    ((TooManyFieldsSent, TooManyFilesSent), "elle envoie trop de paramètres ou de fichiers."),
]
BARE_SERVER_ERROR = (
    '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Erreur du serveur</title>'
    "<h1>Le portail a rencontré une erreur</h1><p>Réessayez dans un instant.</p></html>"
)


@never_cache
def healthz(request):
    """Liveness probe for load balancers: no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


@allow_methods(SAFE)
def home(request):
    published = Metier.objects.published()
    return render(
        request,
        "portal/home.html",
        {
            "nb_metiers": cached_count(published, key="metiers-publies"),
            "nb_formations": cached_count(Formation.objects.public(), key="formations-publiques"),
            # What the listing's demand filter keeps for « forte », which the figure links to.
            "nb_demande_forte": cached_count(
                published.filter(demande__in=Metier.Demande.at_least(Metier.Demande.FORTE)),
                key="metiers-demande-forte",
            ),
            "recents": published.for_cards().order_by("-modifie_le", "pk")[:6],
            "entrees": reference_options("niveau", "centre_interet", "secteur", count_metiers=True),
        },
    )


@allow_methods(SAFE)
def sources(request):
    return render(request, "portal/sources.html", {"sources": Source.objects.all()})


def csrf_failure(request, reason=""):
    # Django renders a 403_csrf.html of the project without the reason; the page needs it
    # to say whether the cookie is missing or the token is stale.
    return render(request, "403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403)


def page_not_found(request, exception):
    if api_views.in_api(request):
        return api_views.unknown_address(request)
    return render(request, "404.html", status=404)


def bad_request(request, exception):
    # No request context: what could not be read may be the host or a header it depends on.
    raison = next((text for kind, text in BAD_REQUEST_REASONS if isinstance(exception, kind)), None)
    if api_views.in_api(request):
        return api_views.unreadable_request(raison)
    return _error_page("400.html", BARE_BAD_REQUEST, status=400, context={"raison": raison})


def server_error(request):
    if api_views.in_api(request):
        return api_views.server_error()
    # No request context: the error may come from a context processor or the database.
    return _error_page("500.html", BARE_SERVER_ERROR, status=500)


def _error_page(template_name, bare, *, status, context=None):
    try:
        body = loader.get_template(template_name).render(context)
    except Exception:  # noqa: BLE001 — an error page itself must never fail
        body = bare
    return HttpResponse(body, status=status)
