"""Text helpers for the métier search; the shared query side is in core.search."""

import html
import operator
from functools import reduce

import nh3
from django.db.models import Q

from core.search import normalise

__all__ = ["html_to_text", "misspelt_titles", "normalise"]

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
