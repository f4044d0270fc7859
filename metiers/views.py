from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render

from formations.models import Niveau
from portal.listing import listing_context, paginate
from portal.methods import SAFE, allow_methods

from .fiche import published_fiche
from .filters import MetierFilterSet
from .models import CentreInteret, Metier
from .references import reference_options, tag_metiers


@allow_methods(SAFE)
def metier_list(request):
    context = listing_context(request, MetierFilterSet(request.GET))
    return render(request, "metiers/metier_list.html", context)


@allow_methods(SAFE)
def metier_detail(request, slug):
    metier = published_fiche(slug)
    if metier is None:
        raise Http404("Aucune fiche publiée à cette adresse.")
    tag_metiers([metier])
    return render(request, "metiers/metier_detail.html", {"metier": metier, "etiquettes": metier.etiquettes})


@allow_methods(SAFE)
def centre_interet_list(request):
    options = reference_options("centre_interet", count_metiers=True)
    return render(request, "metiers/centre_interet_list.html", {"centres": options["centre_interet"]})


@allow_methods(SAFE)
def centre_interet_detail(request, slug):
    centre = get_object_or_404(CentreInteret, slug=slug)
    return _metiers_page(
        request, "metiers/centre_interet_detail.html", {"centre": centre},
        Metier.objects.filter(centres_interet=centre),
    )


@allow_methods(SAFE)
def niveau_list(request):
    options = reference_options("niveau", count_metiers=True)
    return render(request, "metiers/niveau_list.html", {"niveaux": options["niveau"]})


@allow_methods(SAFE)
def niveau_detail(request, slug):
    niveau = get_object_or_404(Niveau, slug=slug)
    return _metiers_page(
        request, "metiers/niveau_detail.html", {"niveau": niveau},
        Metier.objects.filter(niveau_acces=niveau),
    )


def _metiers_page(request, template, context, metiers):
    """A page of published métier cards, in title order, for an interest or a level."""
    metiers = metiers.published().for_cards().order_by("titre", "pk")
    page, page_messages = paginate(metiers, request.GET.get("page"), count_key=request.path)
    # The page number is these pages' only parameter: the links carry nothing else.
    context |= {"page": page, "messages_filtres": page_messages, "params": QueryDict()}
    return render(request, template, context)
