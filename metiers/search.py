"""Text normalisation shared by the search columns and the search queries."""

import html
import re
import unicodedata

import nh3

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text):
    """Lower-case, accent-free words separated by single spaces ("Ingénieur/e" → "ingenieur e")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def html_to_text(markup):
    """Plain text of an HTML section, for indexing."""
    return html.unescape(nh3.clean(markup or "", tags=set()))
