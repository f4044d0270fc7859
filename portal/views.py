from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from formations.models import Formation
from metiers.models import Metier
from metiers.references import reference_options

from .cache import cached_count
from .models import Source

# Last resort if even the error template cannot be rendered.
BARE_SERVER_ERROR = (
    '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Erreur du serveur</title>'
    "<h1>Le portail a rencontré une erreur</h1><p>Réessayez dans un instant.</p></html>"
)


@never_cache
def healthz(request):
    """Liveness probe for load balancers: no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


def home(request):
    published = Metier.objects.published()
    return render(
        request,
        "portal/home.html",
        {
            "nb_metiers": cached_count(published, key="metiers-publies"),
            "nb_formations": cached_count(Formation.objects.all(), key="formations"),
            "recents": published.for_cards().order_by("-modifie_le", "pk")[:6],
            "entrees": reference_options("niveau", "centre_interet", "secteur", count_metiers=True),
        },
    )


def sources(request):
    return render(request, "portal/sources.html", {"sources": Source.objects.all()})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the error may come from a context processor or the database.
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # noqa: BLE001 — the error page itself must never fail
        body = BARE_SERVER_ERROR
    return HttpResponse(body, status=500)
