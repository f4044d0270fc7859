from django.shortcuts import get_object_or_404, render

from formations.models import Niveau

from .models import CentreInteret, Metier


def metier_list(request):
    metiers = Metier.objects.published().for_cards()
    return render(request, "metiers/metier_list.html", {"metiers": metiers})


def metier_detail(request, slug):
    metier = get_object_or_404(
        Metier.objects.published()
        .select_related("niveau_acces")
        .prefetch_related(
            "appellations", "salaires__source", "statuts", "secteurs", "centres_interet",
            "formations__niveau", "metiers_associes", "sources",
        ),
        slug=slug,
    )
    return render(request, "metiers/metier_detail.html", {"metier": metier})


def centre_interet_list(request):
    return render(
        request, "metiers/centre_interet_list.html", {"centres": CentreInteret.objects.all()}
    )


def centre_interet_detail(request, slug):
    centre = get_object_or_404(CentreInteret, slug=slug)
    metiers = Metier.objects.published().for_cards().filter(centres_interet=centre)
    return render(
        request, "metiers/centre_interet_detail.html", {"centre": centre, "metiers": metiers}
    )


def niveau_list(request):
    return render(request, "metiers/niveau_list.html", {"niveaux": Niveau.objects.all()})


def niveau_detail(request, slug):
    niveau = get_object_or_404(Niveau, slug=slug)
    metiers = Metier.objects.published().for_cards().filter(niveau_acces=niveau)
    return render(request, "metiers/niveau_detail.html", {"niveau": niveau, "metiers": metiers})
