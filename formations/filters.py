"""The one FilterSet of the formations listing."""


from django.db.models.functions import Lower

from portal.listing import ListingFilterSet, choice_filter, search_filter

from .models import Formation, Niveau


class FormationFilterSet(ListingFilterSet):
    q = search_filter("Rechercher une formation")
    type = choice_filter("Type de diplôme", "Tous les types", choices=Formation.Type.choices)
    niveau = choice_filter("Niveau", "Tous les niveaux", field_name="niveau__slug")

    class Meta:
        model = Formation
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Formation.objects.with_niveau()
        super().__init__(data, queryset, **kwargs)
        self.filters["niveau"].extra["choices"] = list(Niveau.objects.values_list("slug", "libelle"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("q"):
            return queryset.order_by("-rank", Lower("libelle"), "pk")
        return queryset.order_by(Lower("libelle"), "pk")
