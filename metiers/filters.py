"""The one FilterSet of the métiers listing; every parameter is a plain GET value."""

import re
from itertools import chain

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q
from django.utils.formats import number_format

from core import widgets
from core.cache import cached_for_catalogue
from core.listing import UNKNOWN, ListingFilterSet, TitleFirstResults, choice_filter, search_filter
from core.search import search_words, tsquery
from core.spelling import vocabulary
from formations.models import Formation, is_public

from .models import LINKS, Appellation, Metier, in_titles
from .references import FILTERED, reference_options

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,220}")


# An integer in ASCII digits, few enough for int() (which refuses more than 4 300 digits)
# and for any 64-bit value; int() alone also reads « ١٢ », « 1_0 » and « +3 ».
INTEGER = re.compile(r"-?[0-9]{1,20}")


class IntegerField(forms.IntegerField):
    widget = widgets.NumberInput

    def to_python(self, value):
        if value not in self.empty_values and not INTEGER.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(django_filters.Filter):
    field_class = IntegerField


class SlugModelChoiceField(forms.ModelChoiceField):
    """A choice looked up by slug, whose shape is checked before the database sees it."""

    def to_python(self, value):
        # PostgreSQL rejects a NUL byte in a query: such a value must stop here.
        if value not in self.empty_values and not SLUG.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)




class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SlugModelChoiceField


class SeveralChoicesField(django_filters.fields.MultipleChoiceField):
    """Empty values dropped: an empty parameter counts as not given, as for every other filter."""

    def to_python(self, value):
        return [item for item in super().to_python(value) if item]


class SeveralChoicesFilter(django_filters.MultipleChoiceFilter):
    field_class = SeveralChoicesField


def metier_vocabulary():
    """The words of the published métiers' titles and appellations (see `core.spelling`),
    each label read once however many métiers share it."""
    published = Metier.objects.published()
    return vocabulary(chain(
        published.order_by().values_list("titre", flat=True).distinct().iterator(),
        Appellation.objects.filter(metier__in=published).order_by().values_list("libelle", flat=True)
        .distinct().iterator(),
    ))


def found_key(using, count_key, respelling=None):
    """The name under which whether a listing's full-text search finds anything is kept,
    for the words typed or for their ``respelling``."""
    suffix = "" if respelling is None else f":{respelling}"
    return f"existe:{using}:{count_key}#texte{suffix}"


class MetierFilterSet(ListingFilterSet):
    q = search_filter("Rechercher un métier")
    niveau = choice_filter("Niveau d'accès", "Tous les niveaux", method="niveau_equal")
    niveau_max = choice_filter("Accessible avec au plus", "Peu importe", method="niveau_at_most")
    centre_interet = SeveralChoicesFilter(
        label="Centres d'intérêt", method="any_centre_interet", widget=widgets.CheckboxSelectMultiple,
        error_messages=UNKNOWN,
    )
    secteur = choice_filter("Secteur d'activité", "Tous les secteurs", method="filter_linked")
    statut = choice_filter("Statut", "Tous les statuts", method="filter_linked")
    # At least this strong, as counsellors ask for « les métiers qui recrutent »; fiches
    # whose sources say nothing of it are left out (the help text says so).
    demande = choice_filter(
        "Demande de recrutement", "Peu importe", method="demande_at_least",
        choices=[
            (Metier.Demande.TRES_FORTE, "très forte"),
            (Metier.Demande.FORTE, "forte ou très forte"),
            (Metier.Demande.MOYENNE, "au moins moyenne"),
        ],
    )
    # Thousands of formations would not fit in a menu: the filter is reached from a
    # formation's page, kept in a hidden field and shown as a chip.
    formation = SlugChoiceFilter(
        label="Formation", field_name="formations", queryset=Formation.objects.filter(is_public()),
        to_field_name="slug", widget=forms.HiddenInput, error_messages=UNKNOWN,
    )
    salaire_min = IntegerFilter(
        label="Salaire brut débutant minimum (€ par mois)", field_name="salaire_debutant",
        lookup_expr="gte", min_value=0, max_value=100_000,
        error_messages={
            "invalid": "ce n'est pas un nombre entier d'euros.",
            "min_value": "le montant ne peut pas être négatif.",
            "max_value": "le montant dépasse 100 000 € par mois.",
        },
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par", method="sort", empty_label=None, error_messages=UNKNOWN,
        choices=[
            ("pertinence", "pertinence"),
            ("titre", "intitulé (A → Z)"),
            ("niveau", "niveau d'accès (croissant)"),
            ("salaire", "salaire débutant (décroissant)"),
        ],
    )

    not_chips = ("tri",)

    class Meta:
        model = Metier
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Metier.objects.published().for_cards()
        self.options = reference_options(*FILTERED)
        super().__init__(data, queryset, **kwargs)

    def database_choices(self):
        return {
            name: [(o.slug, o.libelle) for o in self.options["niveau" if name == "niveau_max" else name]]
            for name in ("niveau", "niveau_max", "centre_interet", "secteur", "statut")
        }

    def rang(self, slug):
        return next(o.rang for o in self.options["niveau"] if o.slug == slug)

    def linked(self, kind, slugs):
        """Condition: the métier is linked to one of these options (sector, status, interest).

        EXISTS on the link table, with the options' ids written in the query: the planner
        then knows how common they are, walks the title index for a common one and stops
        at the page (flat cost, however big the catalogue), and starts from the link
        table for a rare one. A join would also repeat a métier linked to two of them.
        """
        field = Metier._meta.get_field(LINKS[kind])
        ids = [o.pk for o in self.options[kind] if o.slug in slugs]
        return Exists(field.remote_field.through.objects.filter(**{
            field.m2m_field_name(): OuterRef("pk"), f"{field.m2m_reverse_field_name()}__in": ids,
        }))

    def filter_linked(self, queryset, name, value):
        return queryset.filter(self.linked(name, {value}))

    def niveau_equal(self, queryset, name, value):
        return queryset.filter(niveau_acces_id=self.rang(value))

    def niveau_at_most(self, queryset, name, value):
        return queryset.filter(niveau_acces_id__lte=self.rang(value))

    def demande_at_least(self, queryset, name, value):
        return queryset.filter(demande__in=Metier.Demande.at_least(value))

    def any_centre_interet(self, queryset, name, values):
        return queryset.filter(self.linked("centre_interet", set(values)))

    # On PostgreSQL the search is in full text. When that finds nothing (a cached answer),
    # the search respelt from the titles' words is searched instead, if that finds
    # something; else the titles close to every word typed. See filter_queryset.
    title_query = None
    misspelt = False

    def search(self, queryset, name, value):
        words = search_words(self.respelling or value)
        if not words or connections[queryset.db].vendor != "postgresql":
            return queryset.search(value)
        if self.misspelt:
            return queryset.search_misspelt(words)
        # No rank: by relevance, the results are read title matches first (see results),
        # and the other orders are by column.
        self.title_query = tsquery(words)
        self.search_condition = Q(vecteur_recherche=self.title_query)
        return queryset

    def _nothing_in_full_text(self, matches, respelling=None):
        # Whether anything matches, not how many: the count comes later, with the groups'.
        key = getattr(self, "count_key", None)
        if key is None:
            return not matches.exists()
        return not cached_for_catalogue(found_key(matches.db, key, respelling), matches.exists)

    def approximate(self):
        """Whether the results are those of the search respelt, or of titles close to its words."""
        return self.misspelt or self.respelling is not None

    def vocabulary(self):
        return cached_for_catalogue("metiers:vocabulaire", metier_vocabulary)

    def results(self, count_key):
        self.count_key = count_key  # names the cached counts, see _nothing_in_full_text
        matches = self.qs
        if self.title_query is not None and self.applied_tri() == "pertinence":
            in_title = in_titles(self.title_query)
            return TitleFirstResults(matches, in_title, ("titre", "pk"), count_key, scope=self.scope)
        return matches

    def sort(self, queryset, name, value):
        # The order depends on whether a search applied, so `filter_queryset` sets it last.
        return queryset

    def filter_queryset(self, queryset):
        matches = super().filter_queryset(queryset)
        if self.title_query is not None and self._nothing_in_full_text(matches):
            matches = self._search_respelt_or_close(queryset)
        return matches.order_by(*self.ordering())

    def _search_respelt_or_close(self, queryset):
        # Respelt first: the trigram index finds the titles close to a common word (« ingenier »
        # is close to every « ingénieur »), then compares them one by one; the respelt search
        # reads the full-text index.
        respelling = self.respelt()
        if respelling is not None and search_words(respelling):
            self.respelling, self.title_query, self.search_condition = respelling, None, None
            matches = super().filter_queryset(queryset)
            if not self._nothing_in_full_text(matches, respelling):
                return matches
            self.respelling = None
        # Titles close to every word typed.
        self.misspelt, self.title_query, self.search_condition = True, None, None
        return super().filter_queryset(queryset)

    def panel_filters_active(self):
        """Whether a filter of the panel applies: the search has its own field above the
        panel, and on a phone a search alone folds the panel so that its results come first."""
        return any(name not in (*self.not_chips, "q") for name in self.valid_params())

    def applied_tri(self):
        """The order applied: relevance only means something when a search applied."""
        tri = self.form.cleaned_data.get("tri") or "pertinence"
        if tri == "pertinence" and not self.searching():
            return "titre"
        return tri

    def tri_choices(self):
        """(value, label, selected) of the sort menu.

        The default order has the empty value, so that a new search from this page is
        sorted by relevance unless the visitor chose another order.
        """
        default = "pertinence" if self.searching() else "titre"
        labels = dict(self.filters["tri"].extra["choices"])
        chosen = self.applied_tri()
        others = [value for value in labels if value not in (default, "pertinence")]
        return [("", labels[default], chosen == default)] + [
            (value, labels[value], value == chosen) for value in others
        ]

    def ordering(self):
        tri = self.applied_tri()
        if tri == "pertinence" and self.title_query is not None:
            return ["titre", "pk"]  # title matches first, see results
        if tri == "pertinence":
            return ["-rank", "titre", "pk"]
        if tri == "niveau":
            return [F("niveau_acces_id").asc(nulls_last=True), "titre", "pk"]
        if tri == "salaire":
            return [F("salaire_debutant").desc(nulls_last=True), "titre", "pk"]
        return ["titre", "pk"]

    def chip_value(self, name, label):
        if name == "q":
            return f"« {label} »"
        if name == "salaire_min":
            return f"{number_format(int(label), force_grouping=True)} € brut par mois"
        return label
