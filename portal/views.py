from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from formations.models import Formation
from metiers.models import Metier

from .models import Source


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
            "nb_metiers": published.count(),
            "nb_formations": Formation.objects.count(),
            "recents": published.for_cards().order_by("-modifie_le", "pk")[:6],
        },
    )


def sources(request):
    return render(request, "portal/sources.html", {"sources": Source.objects.all()})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database: the error may come from either.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
