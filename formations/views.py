from django.shortcuts import get_object_or_404, render

from portal.listing import listing_context
from portal.methods import SAFE, allow_methods

from .filters import FormationFilterSet
from .models import Formation

APERCU = 12


@allow_methods(SAFE)
def formation_list(request):
    context = listing_context(request, FormationFilterSet(request.GET))
    return render(request, "formations/formation_list.html", context)


@allow_methods(SAFE)
def formation_detail(request, slug):
    formation = get_object_or_404(Formation.objects.with_niveau(), slug=slug)
    metiers = formation.metiers.published().for_cards().order_by("titre", "pk")
    # A formation may lead to hundreds of métiers: the page shows the first ones and
    # links to the listing filtered on this formation for the rest.
    return render(
        request,
        "formations/formation_detail.html",
        {
            "formation": formation,
            "metiers": metiers[:APERCU],
            "nb_metiers": metiers.count(),
            "sources": formation.sources.all(),
        },
    )
