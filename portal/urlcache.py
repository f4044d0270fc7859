"""Addresses of the pages a listing links to by the dozen, resolved once per process.

`reverse()` walks the URL patterns on every call; a listing page calls it for every
card. The pattern of a slug address is resolved once (per script prefix, so that a
deployment under a sub-path stays right), then filled with each slug.
"""

import functools

from django.urls import get_script_prefix, reverse

MARKER = "marqueur-de-slug"


@functools.lru_cache(maxsize=64)
def _parts(name, script_prefix):
    before, after = reverse(name, args=[MARKER]).split(MARKER)
    return before, after


@functools.lru_cache(maxsize=64)
def _plain(name, script_prefix):
    return reverse(name)


def slug_url(name, slug):
    """``reverse(name, args=[slug])`` for a pattern taking one slug."""
    before, after = _parts(name, get_script_prefix())
    return f"{before}{slug}{after}"


def plain_url(name):
    """``reverse(name)`` for a pattern without arguments."""
    return _plain(name, get_script_prefix())
