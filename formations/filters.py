"""The one FilterSet of the formations listing."""

from functools import cached_property

from django.db import connections
from django.db.models import Q

from core.cache import cached_for_catalogue
from core.listing import ListingFilterSet, TitleFirstResults, choice_filter, search_filter
from core.search import search_words, tsquery
from core.spelling import vocabulary

from .models import Formation, Niveau

# The listing's order, which the label index serves. The French collation of the label
# (core.collation) puts « Master » and « master » together, as lower case did before it.
ORDER = ("libelle", "pk")


def formation_vocabulary():
    """The words of the formations' labels and schools (see `core.spelling`), each
    label and school read once: a school teaches many formations."""
    return vocabulary(
        text
        for column in ("libelle", "etablissement")
        for text in Formation.objects.public().order_by().values_list(column, flat=True).distinct().iterator()
    )


class FormationFilterSet(ListingFilterSet):
    q = search_filter("Rechercher une formation")
    type = choice_filter("Type de diplôme", "Tous les types", choices=Formation.Type.choices)
    niveau = choice_filter("Niveau", "Tous les niveaux", method="at_niveau")

    class Meta:
        model = Formation
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Formation.objects.public().with_niveau()
        super().__init__(data, queryset, **kwargs)

    def database_choices(self):
        return {"niveau": [(slug, libelle) for slug, libelle, _ in self.niveaux]}

    @cached_property
    def niveaux(self):
        """(slug, label, rank) of the levels, read once per catalogue version, like the
        métiers listing's options."""
        return cached_for_catalogue(
            "formations:niveaux:slug,libelle,rang",
            lambda: list(Niveau.objects.values_list("slug", "libelle", "rang")),
        )

    def vocabulary(self):
        return cached_for_catalogue("formations:vocabulaire", formation_vocabulary)

    def at_niveau(self, queryset, name, value):
        # On the formation's own column, which the planner knows, rather than through a
        # join on the slug: the level's index then serves the listing's order.
        rang = next(rang for slug, _, rang in self.niveaux if slug == value)
        return queryset.filter(niveau_id=rang)

    # On PostgreSQL, the words sought in the label and school (see results).
    label_query = None

    def search(self, queryset, name, value):
        words = search_words(value)
        if words and connections[queryset.db].vendor == "postgresql":
            # No rank: the results are read label matches first (see results).
            self.label_query = tsquery(words, weight="A")
            self.search_condition = Q(vecteur=tsquery(words))
            return queryset
        return queryset.search(value)

    def results(self, count_key):
        """On PostgreSQL, a search reads its pages from the label index, formations whose
        label or school holds every word first: ranking thousands of matches would cost a
        pass over all of them."""
        matches = self.qs
        if self.label_query is not None:
            in_label = Q(vecteur=self.label_query)
            return TitleFirstResults(matches, in_label, ORDER, count_key, scope=self.scope)
        return matches

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("q") and self.label_query is None:
            return queryset.order_by("-rank", *ORDER)
        return queryset.order_by(*ORDER)
