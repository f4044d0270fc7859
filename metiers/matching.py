"""« Quels métiers pour moi ? »: métiers ranked by how many of the ticked interests they share.

The listing's own FilterSet validates the interests and the highest level and keeps
only the métiers sharing at least one interest (and accessible at or below that
level); this module only ranks them and says why each is proposed. A métier that
shares no ticked interest is never proposed, whatever else it has.
"""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import QueryDict
from django.shortcuts import render

from core.listing import paginate
from core.methods import SAFE, allow_methods

from .filters import MetierFilterSet
from .models import CentreInteret, Metier

PARAMETERS = ("centre_interet", "niveau_max")


def matching_filterset(query):
    """The listing's FilterSet, fed only with the interests and the highest level."""
    data = QueryDict(mutable=True)
    for name in PARAMETERS:
        data.setlist(name, query.getlist(name))
    filterset = MetierFilterSet(data)
    filterset.is_valid()  # fills cleaned_data, which the ranking reads
    return filterset


def ranked_metiers(filterset):
    """The métiers the FilterSet keeps, most shared interests first, each with
    ``nb_communs`` and ``centres_communs`` (the ticked interests it shares)."""
    chosen = filterset.form.cleaned_data.get("centre_interet") or []
    shared = (
        Metier.centres_interet.through.objects.filter(
            metier=OuterRef("pk"), centreinteret__slug__in=chosen
        )
        .order_by()
        .values("metier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        filterset.qs.annotate(nb_communs=Subquery(shared))
        .order_by("-nb_communs", "titre", "pk")
        .prefetch_related(
            Prefetch(
                "centres_interet",
                queryset=CentreInteret.objects.filter(slug__in=chosen),
                to_attr="centres_communs",
            )
        )
    )


@allow_methods(SAFE)
def metier_matching(request):
    filterset = matching_filterset(request.GET)
    context = {
        "filterset": filterset,
        "page": None,
        "messages_filtres": filterset.ignored_filters(),
        "adresse_avec_parametres": True,
    }
    form = filterset.form
    if form.cleaned_data.get("centre_interet"):
        context["page"], page_messages = paginate(ranked_metiers(filterset), request.GET.get("page"))
        context["messages_filtres"] += page_messages
        context["nb_choisis"] = len(form.cleaned_data["centre_interet"])
        if niveau := form.cleaned_data.get("niveau_max"):
            context["niveau_max"] = dict(form.fields["niveau_max"].choices)[niveau]
    return render(request, "metiers/matching.html", context)
