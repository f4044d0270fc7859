"""Text helpers for the métier search; the shared query side is in formations.search."""

import html
import operator
from functools import reduce

import nh3
from django.db.models import Case, Q, Value, When
from django.utils.functional import cached_property

from formations.search import normalise
from portal.cache import cached_count

__all__ = ["TitleFirstResults", "html_to_text", "misspelt_titles", "normalise"]

# Below three letters a word has no trigram of its own, and French ones are mostly
# articles and prepositions ("de", "l", "en") that titles need not contain.
MIN_FUZZY_LENGTH = 3


def html_to_text(markup):
    """Plain text of an HTML section, for indexing."""
    return html.unescape(nh3.clean(markup or "", tags=set()))


def misspelt_titles(words):
    """PostgreSQL condition: each word is close to a word of the titles (trigram index).

    Catches "traitemnt de l'image", which full-text search misses. Matches nothing
    when no word is long enough to compare.
    """
    conditions = [Q(texte_titres__trigram_word_similar=w) for w in words if len(w) >= MIN_FUZZY_LENGTH]
    return reduce(operator.and_, conditions) if conditions else Q(pk__in=[])


class TitleFirstResults:
    """The listing's relevance order on PostgreSQL, read page by page from indexes.

    Métiers whose titles or appellations hold every word come first, then the others,
    each group in title order. Ranking every match by score would cost a pass over all
    of them (18 000 rows for « ingénieur » among 20 000 métiers); here a page walks the
    title index and stops as soon as it has its rows. The size of each group is counted
    once per catalogue version. Sliced like a queryset, for the paginator.

    A few matches (a rare word) are sorted in one query instead: the index walk would
    cost a second query for the same page.
    """

    # Up to this many matches, sorting them all costs less than a second query.
    SORT_AT_ONCE = 500

    def __init__(self, matches, title_query, count_key):
        self.matches = matches
        self.title_query = title_query
        self.count_key = count_key

    # Each built only when a page needs it: building a queryset costs a copy of the query.
    @cached_property
    def titles(self):
        return self.matches.filter(vecteur_recherche=self.title_query).order_by("titre", "pk")

    @cached_property
    def others(self):
        return self.matches.exclude(vecteur_recherche=self.title_query).order_by("titre", "pk")

    @cached_property
    def together(self):
        in_title = When(vecteur_recherche=self.title_query, then=Value(0))
        return self.matches.alias(hors_titre=Case(in_title, default=Value(1))).order_by(
            "hors_titre", "titre", "pk"
        )

    @cached_property
    def nb_matches(self):
        return cached_count(self.matches, key=self.count_key)

    def count(self):
        return self.nb_matches

    @cached_property
    def nb_titles(self):
        return cached_count(self.titles, key=f"{self.count_key}#titres")

    def queries(self, start, stop):
        """The querysets that read rows start:stop, in order."""
        if self.nb_matches <= self.SORT_AT_ONCE:
            return [self.together[start:stop]]
        parts = [self.titles[start : min(stop, self.nb_titles)]] if start < self.nb_titles else []
        if stop > self.nb_titles:
            parts.append(self.others[max(start - self.nb_titles, 0) : stop - self.nb_titles])
        return parts

    def __getitem__(self, window):
        return [row for query in self.queries(window.start or 0, window.stop) for row in query]
