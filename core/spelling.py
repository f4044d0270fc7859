"""« Vouliez-vous dire … ? »: a spelling correction for a search that found nothing.

A search finds words of the titles first (a métier's title and appellations, a
formation's label and school); those words make the vocabulary. A word of the query
that is not in it (nor, for the last word, the start of one of its words, since the
search reads it as a prefix) is replaced by the closest word of about its length, by
difflib's similarity ratio. Words of one or two letters and numbers are kept as typed.

The vocabulary keeps, for each normalised word, its most frequent spelling in the
titles, so that the suggestion shows the accents (« ingenier » → « ingénieur »).
"""

import difflib
import re
from bisect import bisect_left
from collections import Counter, defaultdict

from .search import MAX_QUERY_LENGTH, MAX_WORDS, normalise

# Letters and digits, accents included: the words as the titles spell them.
_TOKEN = re.compile(r"[^\W_]+")
_NOT_KEPT = re.compile(r"[^\w'’-]+")
MIN_LENGTH = 3
# difflib's ratio: 0.94 for « ingenier » / « ingenieur », 0.89 for « imge » / « image »,
# 0.22 for « info » / « image ».
CUTOFF = 0.75
# A misspelling rarely changes the length of a word by more than this.
LENGTH_SLACK = 2
# A query with more unknown words than this is not misspelt but unknown; the bound
# also keeps the comparisons (each unknown word against the words of its length) few.
MAX_UNKNOWN = 4


def vocabulary(texts):
    """{normalised word: its most frequent spelling, in lower case} over ``texts``."""
    tokens = Counter()
    for text in texts:
        tokens.update(_TOKEN.findall((text or "").lower()))
    # Each distinct spelling is normalised once: a catalogue repeats its words.
    spellings = defaultdict(Counter)
    for token, count in tokens.items():
        key = normalise(token)
        if key and " " not in key:
            spellings[key][token] += count
    # In word order, which `Corrector` sorts again at no cost.
    return {key: spellings[key].most_common(1)[0][0] for key in sorted(spellings)}


class Corrector:
    """Corrects queries against one vocabulary (see `vocabulary`)."""

    def __init__(self, spellings):
        self.spellings = spellings
        self.words = sorted(spellings)
        self.by_length = defaultdict(list)
        for word in self.words:
            self.by_length[len(word)].append(word)

    def knows(self, word, *, as_prefix=False):
        """Whether ``word`` is in the vocabulary, or begins one of its words."""
        position = bisect_left(self.words, word)
        if position == len(self.words):
            return False
        found = self.words[position]
        return found == word or (as_prefix and found.startswith(word))

    def closest(self, word):
        """The known word nearest to ``word``, or None if none is near enough."""
        candidates = [
            known
            for length in range(len(word) - LENGTH_SLACK, len(word) + LENGTH_SLACK + 1)
            for known in self.by_length.get(length, ())
        ]
        matches = difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)
        return matches[0] if matches else None

    def correct(self, query):
        """``query`` with its unknown words replaced by their usual spelling, the rest as
        typed; None when no word was replaced."""
        text = (query or "")[:MAX_QUERY_LENGTH]
        words = [(match, normalise(match.group())) for match in _TOKEN.finditer(text)]
        words = [(match, word) for match, word in words if word and " " not in word][:MAX_WORDS]
        replaced = []
        unknown = 0
        for position, (match, word) in enumerate(words):
            last = position == len(words) - 1
            if len(word) < MIN_LENGTH or word.isdigit() or self.knows(word, as_prefix=last):
                continue
            unknown += 1
            if unknown > MAX_UNKNOWN:
                return None
            closest = self.closest(word)
            if closest is not None:
                replaced.append((match.start(), match.end(), self.spellings[closest]))
        if not replaced:
            return None
        parts, end = [], 0
        for start, stop, spelling in replaced:
            parts += [text[end:start], spelling]
            end = stop
        parts.append(text[end:])
        # Apostrophes and hyphens stay; other marks (control characters included) do not.
        return " ".join(_NOT_KEPT.sub(" ", "".join(parts)).split())
