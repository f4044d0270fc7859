from django.http import Http404
from django.shortcuts import render

from core.listing import listing_context
from core.methods import SAFE, allow_methods

from .filters import FormationFilterSet
from .models import Formation

APERCU = 12


@allow_methods(SAFE)
def formation_list(request):
    context = listing_context(request, FormationFilterSet(request.GET))
    return render(request, "formations/formation_list.html", context)


@allow_methods(SAFE)
def formation_detail(request, slug):
    formation = Formation.objects.public().for_page().filter(slug=slug).first()
    if formation is None:
        raise Http404("Aucune formation à cette adresse.")
    # A formation may lead to hundreds of métiers: the page shows the first ones and
    # links to the listing filtered on this formation for the rest.
    metiers = formation.metiers.published().for_cards().order_by("titre", "pk")
    shown = list(metiers[:APERCU])
    nb_metiers = len(shown) if len(shown) < APERCU else metiers.count()
    return render(
        request,
        "formations/formation_detail.html",
        {
            "formation": formation, "metiers": shown, "nb_metiers": nb_metiers,
            "sources": formation.sources.all(),
        },
    )
