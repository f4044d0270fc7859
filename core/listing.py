"""What every filtered, paginated listing of the portal does the same way.

A listing never fails on a bad query string: an invalid filter is left out and
named in a message, an impossible page number falls back to a real page.
"""

import operator
from functools import reduce

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Min, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.http import QueryDict
from django.utils.functional import cached_property

from core.spelling import Corrector

from . import widgets
from .cache import cached_count, cached_for_catalogue

PAGE_SIZE = 20
# From this many rows on, a page's rows are found by id first (see rows_between).
DEEP_OFFSET = 200
UNKNOWN = {"invalid_choice": "valeur inconnue."}
# A listing page stops here (2 000 rows): a deeper page would cost a walk over every row
# before it, and a search or a filter finds a fiche sooner. The exports and the API
# still hold every row.
MAX_PAGES = 100


class CountCachedPaginator(Paginator):
    """A paginator whose count comes from the cache while the catalogue is unchanged.

    ``count_key`` names the question, so that the count's SQL need not be compiled to
    find it in the cache.
    """

    def __init__(self, object_list, per_page, count_key=None, max_pages=None):
        super().__init__(object_list, per_page)
        self.count_key = count_key
        self.max_pages = max_pages

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return self.object_list.count()
        return cached_count(self.object_list, key=self.count_key)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list
        found = list(rows_between(rows, bottom, top)) if isinstance(rows, QuerySet) else rows[bottom:top]
        return self._get_page(found, number, self)

    def _get_page(self, *args, **kwargs):
        return ListingPage(*args, **kwargs)


class ListingPage(Page):
    """A page whose listing may stop before its last rows (``max_pages``)."""

    def shown_pages(self):
        if self.paginator.max_pages is None:
            return self.paginator.num_pages
        return min(self.paginator.num_pages, self.paginator.max_pages)

    def has_next(self):
        return self.number < self.shown_pages()

    def nb_not_shown(self):
        """How many rows come after the last page shown (0 when every page is)."""
        return max(self.paginator.count - self.shown_pages() * self.paginator.per_page, 0)


def rows_between(rows, bottom, top):
    """Rows ``bottom:top`` of an ordered queryset.

    A deep page walks its offset over ids alone; only its own rows are then read whole,
    with their computed columns (salary, rank), in the same order. PostgreSQL computes
    the select list of every row that OFFSET then skips, a search's rank included.
    """
    if bottom >= DEEP_OFFSET:
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        return list(rows.filter(pk__in=ids))
    return rows[bottom:top]


def keyset_columns(rows):
    """The columns of the order of queryset ``rows``, as (name, descending, nullable),
    when a row's values in them tell where the rows after it start; None otherwise.

    That needs every term of the order to be a column of the model (not a computed rank),
    a nullable one to put its nulls last, and the last one to be the primary key, so that
    no two rows share their values.
    """
    columns, field = [], None
    for term in rows.query.order_by:
        if isinstance(term, str):
            name, descending, nulls_last = term.lstrip("-"), term.startswith("-"), False
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            name, descending, nulls_last = term.expression.name, term.descending, term.nulls_last
        else:
            return None
        try:
            field = rows.model._meta.pk if name == "pk" else rows.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or (field.is_relation and name != field.attname) or (field.null and not nulls_last):
            return None
        columns.append((name, descending, field.null))
    return columns if field is not None and field.primary_key else None


def rows_after(rows, columns, values):
    """The rows of queryset ``rows``, ordered by ``columns`` (see `keyset_columns`), that
    come after the row whose values in them are ``values``.

    A deep page read this way costs what the first one costs, where an OFFSET would walk
    every row before it. The first column's bound is also written on its own, for its index.
    """
    after, same = [], Q()
    for (name, descending, nullable), value in zip(columns, values):
        if value is None:
            # Nulls come last: nothing but another null is level with it, nothing is beyond.
            same &= Q(**{f"{name}__isnull": True})
            continue
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        if nullable:
            beyond |= Q(**{f"{name}__isnull": True})
        after.append(same & beyond)
        same &= Q(**{name: value})
    (name, descending, nullable), first = columns[0], values[0]
    if first is None:
        bound = Q(**{f"{name}__isnull": True})
    else:
        bound = Q(**{f"{name}__{'lte' if descending else 'gte'}": first})
        if nullable:
            bound |= Q(**{f"{name}__isnull": True})
    return rows.filter(bound, reduce(operator.or_, after, Q(pk__in=[])))


def keyset_key(results, index, row):
    """What finds the rows after ``row``, the ``index``-th of ``results`` (from 0): its
    values in the order's columns, or None when the order has no such columns."""
    if isinstance(results, TitleFirstResults):
        columns = keyset_columns(results.titles)
        return [0 if index < results.nb_titles else 1, *(getattr(row, name) for name, _, _ in columns)]
    columns = keyset_columns(results)
    return None if columns is None else [getattr(row, name) for name, _, _ in columns]


def rows_after_key(results, key, size):
    """The ``size`` rows of ``results`` after the row that ``key`` (see `keyset_key`) stands for."""
    if isinstance(results, TitleFirstResults):
        return results.after(key, size)
    return list(rows_after(results, keyset_columns(results), key)[:size])


def title_first_parts(nb_matches, nb_titles, start, stop):
    """(group, bottom, top) of each group of a search in relevance order (see
    `TitleFirstResults`) that rows start:stop span, in order: "together" when the
    matches are few enough to be sorted at once, else "titles" then "others"."""
    if nb_matches <= TitleFirstResults.SORT_AT_ONCE:
        return [("together", start, stop)]
    parts = [("titles", start, min(stop, nb_titles))] if start < nb_titles else []
    if stop > nb_titles:
        parts.append(("others", max(start - nb_titles, 0), stop - nb_titles))
    return parts


class TitleFirstResults:
    """A search's relevance order on PostgreSQL, read page by page from indexes.

    Rows whose title holds every word (``in_title``) come first, then the others, each
    group in title order (``order``, which an index serves). Ranking every match by
    score would cost a pass over all of them (« ingénieur » is in most titles); here a
    page walks the title index and stops as soon as it has its rows.
    Sliced like a queryset, for the paginator.

    The groups' sizes and first titles are read together once per catalogue version, and
    a page walks the index from its group's first title. The rows of a word that begins
    many titles sit together far down the order (« master » among formations): walking
    from the top of the index would pass over every formation before them.

    A few matches (a rare word) are sorted in one query instead: the index walk would
    cost a second query for the same page.

    ``scope`` holds the rows before the search's own condition: the title group is read
    from it, as ``in_title`` implies the search. Asked for both conditions at once,
    PostgreSQL took them for independent and multiplied their frequencies: for a common
    word it then expected few rows and sorted the whole group instead of walking the
    label index.
    """

    # Up to this many matches, sorting them all costs less than a second query.
    SORT_AT_ONCE = 500

    def __init__(self, matches, in_title, order, count_key, *, scope):
        self.matches = matches
        self.in_title = in_title
        self.order = order
        self.count_key = count_key
        self.scope = scope

    @cached_property
    def sizes(self):
        """How many rows match, how many hold the words in their title, and each group's
        first value of ``order[0]``: one pass over the matches, once per catalogue version
        when ``count_key`` names the question (without it, on every call)."""
        first = self.order[0]

        def read():
            return self.matches.aggregate(
                n=Count("pk"),
                titres=Count("pk", filter=self.in_title),
                debut_titres=Min(first, filter=self.in_title),
                debut_autres=Min(first, filter=~self.in_title),
            )

        if self.count_key is None:
            return read()
        return cached_for_catalogue(f"groupes:{self.matches.db}:{self.count_key}", read)

    def _walk(self, rows, condition, start):
        rows = rows.filter(condition)
        if start is not None:
            first = self.order[0]
            rows = rows.alias(cle=F(first) if isinstance(first, str) else first).filter(cle__gte=start)
        return rows.order_by(*self.order)

    # Each built only when a page needs it: building a queryset costs a copy of the query.
    @cached_property
    def titles(self):
        return self._walk(self.scope, self.in_title, self.sizes["debut_titres"])

    @cached_property
    def others(self):
        return self._walk(self.matches, ~self.in_title, self.sizes["debut_autres"])

    @cached_property
    def together(self):
        first = Case(When(self.in_title, then=Value(0)), default=Value(1))
        return self.matches.alias(hors_titre=first).order_by("hors_titre", *self.order)

    @property
    def db(self):
        return self.matches.db

    @cached_property
    def nb_matches(self):
        return self.sizes["n"]

    def count(self):
        return self.nb_matches

    @cached_property
    def nb_titles(self):
        return self.sizes["titres"]

    def parts(self, start, stop):
        """(ordered queryset, bottom, top) of each group that rows start:stop span, in order."""
        return [
            (getattr(self, group), bottom, top)
            for group, bottom, top in title_first_parts(self.nb_matches, self.nb_titles, start, stop)
        ]

    def queries(self, start, stop):
        """The querysets that read rows start:stop of a shallow page, in order."""
        return [rows[bottom:top] for rows, bottom, top in self.parts(start, stop)]

    def __getitem__(self, window):
        return [
            row
            for rows, bottom, top in self.parts(window.start or 0, window.stop)
            for row in rows_between(rows, bottom, top)
        ]

    def after(self, key, size):
        """The ``size`` rows after the one ``key`` stands for: its group (0 for the title
        matches), then its values in ``order``."""
        group, values = key[0], key[1:]
        rows = self.titles if group == 0 else self.others
        found = list(rows_after(rows, keyset_columns(rows), values)[:size])
        if group == 0 and len(found) < size:
            found += self.others[: size - len(found)]
        return found


def choice_filter(label, empty_label, **kwargs):
    """A single-choice filter whose unknown values are reported in plain French."""
    return django_filters.ChoiceFilter(
        label=label, empty_label=empty_label, error_messages=UNKNOWN, widget=widgets.Select, **kwargs
    )


def search_filter(label):
    """The full-text `q` filter; it calls the queryset's own `search()`, which ranks results."""
    return django_filters.CharFilter(
        label=label, method="search", max_length=200,
        error_messages={
            "max_length": "la recherche dépasse 200 caractères.",
            # Django's own message for a NUL byte is English, or French with a capital.
            "null_characters_not_allowed": "la recherche contient un caractère nul.",
        },
    )


class ListingFilterSet(django_filters.FilterSet):
    """A FilterSet that can say which filters it ignored and show the others as chips."""

    # Parameters that change the order or the view, not the set of results.
    not_chips = ()

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        for name, choices in self.database_choices().items():
            self.filters[name].extra["choices"] = choices

    def database_choices(self):
        """{filter name: choices} of the filters whose options come from the database."""
        return {}

    def search(self, queryset, name, value):
        return queryset.search(value)

    def searching(self):
        """Whether a valid search applied (the page's title then names it)."""
        return bool(self.form.cleaned_data.get("q"))

    # The search actually run, when the one typed found nothing but its respelling does.
    respelling = None

    # The condition of a full-text search on PostgreSQL, applied after the other filters,
    # and the rows of those other filters (see TitleFirstResults).
    search_condition = None
    scope = None

    def filter_queryset(self, queryset):
        self.scope = super().filter_queryset(queryset)
        if self.search_condition is None:
            return self.scope
        return self.scope.filter(self.search_condition)

    def results(self, count_key):
        """What the listing pages through: the filtered queryset, unless a listing knows
        a cheaper way to read the same order page by page."""
        return self.qs

    def in_listing_order(self):
        """Every result, in the order of the listing's pages, as one queryset (for the
        exports, which read them all at once)."""
        results = self.results(count_key=None)
        return results.together if isinstance(results, TitleFirstResults) else results

    def vocabulary(self):
        """{normalised word: its spelling} of the words this listing's search finds first
        (see core.spelling); None for a listing that suggests nothing."""
        return None

    def respelt(self):
        """The search with its unknown words replaced by the closest ones of the listing's
        vocabulary; None when it has none to replace (or the listing suggests nothing)."""
        if not hasattr(self, "_respelt"):
            spellings = self.vocabulary() if self.searching() else None
            self._respelt = Corrector(spellings).correct(self.form.cleaned_data["q"]) if spellings else None
        return self._respelt

    def suggestion(self):
        """For a search that found nothing: (the search respelt, the listing's query
        string with it, the other filters kept), when that finds something; else None."""
        corrected = self.respelt()
        if corrected is None:
            return None
        params = self.valid_params().copy()
        params["q"] = corrected
        respelt = type(self)(params, queryset=self.queryset)
        found = respelt.qs.exists()  # reading qs decides whether it is approximate
        if not found or respelt.approximate():
            return None
        return corrected, f"?{params.urlencode()}"

    def approximate(self):
        """Whether the search looks for what is only close to its words, none having
        matched them all (the results, if any, are then approximate)."""
        return False

    def ignored_filters(self):
        """One French sentence per filter left out because its value was invalid."""
        return [
            f"Le filtre « {self.form.fields[name].label} » a été ignoré : {' '.join(errors)}"
            for name, errors in self.form.errors.items()
        ]

    def valid_params(self):
        """The query string without the invalid filters nor the page number (the count
        key, the chips, the pagination and the export links all start from it: copy it
        before changing it)."""
        if not hasattr(self, "_valid_params"):
            self._valid_params = self._read_valid_params()
        return self._valid_params

    def _read_valid_params(self):
        params = QueryDict(mutable=True)
        for name, field in self.form.fields.items():
            if name in self.form.errors:
                continue
            if isinstance(field, forms.MultipleChoiceField):
                values = self.form.data.getlist(name)
            else:
                values = [self.form.data.get(name)]
            values = list(dict.fromkeys(value for value in values if value))
            if values:
                params.setlist(name, values)
        return params

    def chips(self):
        """Active filters as (text, query string without that filter), for removable chips."""
        params = self.valid_params()
        chips = []
        for name, values in params.lists():
            if name in self.not_chips:
                continue
            field = self.form.fields[name]
            for value in values:
                rest = params.copy()
                rest.setlist(name, [other for other in values if other != value])
                text = f"{field.label} : {self.chip_value(name, self.chip_label(field, name, value))}"
                chips.append((text, f"?{rest.urlencode()}"))
        return chips

    def chip_label(self, field, name, value):
        if isinstance(field, forms.ModelChoiceField):
            # The object validation fetched; its menu would query the whole table.
            return str(self.form.cleaned_data[name])
        return dict(getattr(field, "choices", ())).get(value, value)

    def chip_value(self, name, label):
        return label

    def display_form(self):
        """The form as the page shows it: the values applied, none of the ignored ones."""
        if not self.form.errors:
            return self.form
        applied = type(self)(self.valid_params(), queryset=self.queryset)
        applied.form.is_valid()
        return applied.form


def paginate(queryset, raw_number, *, per_page=PAGE_SIZE, count_key=None):
    """Return (page, messages): the requested page, or the nearest real one and why.

    ``count_key``: what determines the count (the address and the filters), if known.
    """
    paginator = CountCachedPaginator(queryset, per_page, count_key, max_pages=MAX_PAGES)
    if not raw_number:
        return paginator.page(1), []
    try:
        number = int(raw_number)
    except ValueError:
        return paginator.page(1), ["Le numéro de page n'est pas un nombre : première page affichée."]
    if number > MAX_PAGES and paginator.num_pages > MAX_PAGES:
        return paginator.page(MAX_PAGES), [
            f"La liste s'arrête à la page {MAX_PAGES} : précisez la recherche ou les filtres "
            "pour trouver les résultats suivants."
        ]
    page = paginator.get_page(max(number, 1))
    if page.number != number:
        return page, [f"Cette page n'existe pas : page {page.number} sur {paginator.num_pages} affichée."]
    return page, []


def listing_count_key(request, filterset):
    """What names a listing's cached counts: its address and the filters applied (the
    order and the page do not change the count)."""
    return f"{request.path}?{filterset.valid_params().urlencode()}"


def listing_context(request, filterset):
    """The template context of a filtered listing: its filters, its page, what was ignored."""
    count_key = listing_count_key(request, filterset)
    page, page_messages = paginate(filterset.results(count_key), request.GET.get("page"), count_key=count_key)
    messages = filterset.ignored_filters() + page_messages
    suggestion = filterset.suggestion() if not page.paginator.count or filterset.approximate() else None
    return {"filterset": filterset, "page": page, "messages_filtres": messages, "suggestion": suggestion}
