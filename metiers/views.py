from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.text import capfirst

from core.listing import listing_context, paginate
from core.methods import SAFE, allow_methods
from core.search import search_words
from formations.models import Niveau

from .filters import MetierFilterSet
from .models import CentreInteret, Metier
from .references import reference_options


@allow_methods(SAFE)
def metier_list(request):
    context = listing_context(request, MetierFilterSet(request.GET))
    return render(request, "metiers/metier_list.html", context)


# What the search field proposes as one types (static/js/suggestions.js).
SUGGESTIONS = 8
SUGGESTIONS_MIN_LENGTH = 2
SUGGESTIONS_MAX_AGE = 300


@allow_methods(SAFE)
def metier_suggestions(request):
    """What the search field suggests as one types: the published métiers whose title or
    appellations have words beginning with each word typed, in title order; when none
    does, how to respell the search, if the listing's « Vouliez-vous dire » knows.
    Other parameters are ignored; a search the listing would refuse is a 400 saying why.

    Each keystroke is a new search: nothing is counted nor kept in the server's cache, and
    the body of the fiches is left to the listing (the field's own search, always offered).
    """
    q = request.GET.get("q", "")
    data = QueryDict(mutable=True)
    data["q"] = q
    filterset = MetierFilterSet(data)
    if not filterset.is_valid():
        return _json({"erreur": " ".join(filterset.form.errors["q"])}, status=400)
    words = search_words(q)
    if len(q.strip()) < SUGGESTIONS_MIN_LENGTH or not words:
        return _json({"q": q, "suggestions": [], "orthographe": None})
    rows = Metier.objects.published().for_cards().with_title_words(words).order_by("titre", "pk")[:SUGGESTIONS]
    suggestions = [{"titre": capfirst(metier.titre), "url": metier.get_absolute_url()} for metier in rows]
    respelt = None if suggestions else filterset.suggestion()
    response = _json({"q": q, "suggestions": suggestions, "orthographe": respelt[0] if respelt else None})
    # Kept by the browser (typing back over a word), not by the page cache: every prefix
    # typed would take an entry, pushing out the pages.
    patch_cache_control(response, private=True, max_age=SUGGESTIONS_MAX_AGE)
    return response


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@allow_methods(SAFE)
def metier_detail(request, slug):
    metier = Metier.objects.published().for_fiche().filter(slug=slug).first()
    if metier is None:
        raise Http404("Aucune fiche publiée à cette adresse.")
    return render(request, "metiers/metier_detail.html", {"metier": metier, "etiquettes": metier.etiquettes})


@allow_methods(SAFE)
def centre_interet_list(request):
    options = reference_options("centre_interet", count_metiers=True)
    return render(request, "metiers/centre_interet_list.html", {"centres": options["centre_interet"]})


@allow_methods(SAFE)
def centre_interet_detail(request, slug):
    centre = get_object_or_404(CentreInteret.objects.public(), slug=slug)
    return _metiers_page(request, "metiers/centre_interet_detail.html", {"centre": centre}, centres_interet=centre.pk)


@allow_methods(SAFE)
def niveau_list(request):
    options = reference_options("niveau", count_metiers=True)
    return render(request, "metiers/niveau_list.html", {"niveaux": options["niveau"]})


@allow_methods(SAFE)
def niveau_detail(request, slug):
    niveau = get_object_or_404(Niveau, slug=slug)
    return _metiers_page(request, "metiers/niveau_detail.html", {"niveau": niveau}, niveau_acces=niveau.rang)


def _metiers_page(request, template, context, **condition):
    """A page of published métier cards, in title order, for an interest or a level."""
    metiers = Metier.objects.published().for_cards().filter(**condition).order_by("titre", "pk")
    page, page_messages = paginate(metiers, request.GET.get("page"), count_key=request.path)
    # The page number is these pages' only parameter: the links carry nothing else.
    context |= {"page": page, "messages_filtres": page_messages, "params": QueryDict()}
    return render(request, template, context)
