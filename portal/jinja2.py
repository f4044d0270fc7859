"""The template environment of the public pages (Jinja2); the admin keeps Django's engine.

Django's template language walked its nodes, resolved each variable through a chain of
lookups and copied contexts for every include: two thirds of the time of an uncached
listing, a third of a fiche's. Jinja2 compiles each template to Python once per process.

The helpers live with what they show (``metiers.rendering``, ``portal.seo``,
``selection.controls``); Django's ``date``, ``floatformat``, ``pluralize`` and the
like are its own filters. Undefined names render empty, as in Django's language: the error
pages render without a request.
"""

import datetime
import functools

from django.template import defaultfilters, defaulttags
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeData, mark_safe
from jinja2 import ChainableUndefined, Environment, Undefined, pass_context

from core.libelles import libelle
from core.typographie import insecables as _insecables
from metiers import rendering
from portal import seo
from selection import controls as selection_controls


def _keeps_safety(function):
    """A text filter whose result is as safe as its input, like Django's ``is_safe`` filters:
    a sanitised section stays unescaped, a plain title is escaped once."""

    @functools.wraps(function)
    def wrapped(value, *args):
        if value is None or isinstance(value, Undefined):
            return ""
        result = function(str(value), *args)
        return mark_safe(result) if isinstance(value, SafeData) else result  # noqa: S308 — input was safe

    return wrapped


@pass_context
def querystring(context, query_dict, **kwargs):
    """Django's ``{% querystring %}``: ``query_dict`` with these parameters changed."""
    return defaulttags.querystring(context, query_dict, **kwargs)


def url(name, *args):
    return reverse(name, args=args)


def date(value, format_string=None):
    """Django's ``date`` filter, in the current time zone as Django's templates show dates."""
    return defaultfilters.date(timezone.template_localtime(value), format_string)


def date_longue(value):
    """A day as French prose writes it, « 15 janvier 2026 », the first of a month as an
    ordinal, « 1er mars 2026 »; a date and time is read in the current time zone."""
    if value is None or value == "" or isinstance(value, Undefined):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.template_localtime(value).date()
    return f"{'1er' if value.day == 1 else value.day} {dateformat.format(value, 'F Y')}"


def aujourdhui():
    """Today, in the current time zone (every page prints it on paper)."""
    return date_longue(timezone.localdate())


def environment(**options):
    options["undefined"] = ChainableUndefined
    options["keep_trailing_newline"] = True
    env = Environment(**options)
    env.globals.update(
        adresse=reverse,
        url=url,
        static=static,
        aujourdhui=aujourdhui,
        querystring=querystring,
        url_canonique=seo.url_canonique,
        jsonld_metier=seo.jsonld_metier,
        jsonld_formation=seo.jsonld_formation,
        selection_bouton=selection_controls.selection_bouton,
        selection_nombre=selection_controls.selection_nombre,
        echelle_niveau=rendering.echelle_niveau,
        salaires=rendering.salaires,
    )
    env.filters.update(
        capfirst=_keeps_safety(defaultfilters.capfirst),
        insecables=_keeps_safety(_insecables),
        truncatechars=_keeps_safety(defaultfilters.truncatechars),
        date=date,
        date_longue=date_longue,
        floatformat=defaultfilters.floatformat,
        pluralize=defaultfilters.pluralize,
        sanitize=rendering.sanitize,
        resume=rendering.resume,
        euros=rendering.euros,
        intitules=rendering.intitules,
        par_type=rendering.par_type,
        sources_fiche=rendering.sources_fiche,
        libelle=libelle,
    )
    return env
