from django.shortcuts import get_object_or_404, render

from .models import Formation


def formation_list(request):
    formations = Formation.objects.with_niveau()
    return render(request, "formations/formation_list.html", {"formations": formations})


def formation_detail(request, slug):
    formation = get_object_or_404(Formation.objects.with_niveau(), slug=slug)
    metiers = formation.metiers.published().for_cards()
    return render(
        request, "formations/formation_detail.html", {"formation": formation, "metiers": metiers}
    )
