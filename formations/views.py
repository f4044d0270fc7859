from django.http import Http404
from django.shortcuts import render

from portal.listing import listing_context
from portal.methods import SAFE, allow_methods

from .fiche import formation_page
from .filters import FormationFilterSet
from .models import Formation

APERCU = 12


@allow_methods(SAFE)
def formation_list(request):
    context = listing_context(request, FormationFilterSet(request.GET))
    return render(request, "formations/formation_list.html", context)


@allow_methods(SAFE)
def formation_detail(request, slug):
    # A formation may lead to hundreds of métiers: the page shows the first ones and
    # links to the listing filtered on this formation for the rest.
    page = formation_page(slug, apercu=APERCU)
    # Not public when only drafts name it (see FormationQuerySet.public): no further query
    # when a published fiche does.
    if page is None or not page.nb_metiers and not Formation.objects.public().filter(pk=page.formation.pk).exists():
        raise Http404("Aucune formation à cette adresse.")
    return render(
        request,
        "formations/formation_detail.html",
        {
            "formation": page.formation, "metiers": page.metiers, "nb_metiers": page.nb_metiers,
            "sources": page.sources,
        },
    )
