"""Addresses of the pages a listing links to by the dozen, resolved once per process.

`reverse()` walks the URL patterns on every call; a listing page calls it for every
card. The pattern of a slug address is resolved once (per script prefix, so that a
deployment under a sub-path stays right), then filled with each slug. The static files'
addresses (their hashed names, from the manifest) likewise: every page asks for half a
dozen.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
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


@functools.lru_cache(maxsize=128)
def _static(path, script_prefix):
    return static(path)


def static_url(path):
    """``static(path)``, the address of a static file."""
    return _static(path, get_script_prefix())


@receiver(setting_changed)
def _static_settings_changed(setting, **kwargs):
    if setting in ("STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS", "STORAGES"):
        _static.cache_clear()
