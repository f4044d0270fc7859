"""The options of the small reference tables, read together in one UNION query.

A listing's filter form, the home page's entry points and a fiche's tags each
need several of these tables; one query instead of one per table keeps every
page within its query budget.
"""

from typing import NamedTuple

from django.db.models import Count, F, Q, Value, prefetch_related_objects

from core.cache import cached_for_catalogue
from core.collation import sort_key
from formations.models import Niveau

from .models import CentreInteret, Metier, Secteur, Statut, tag_prefetches

TABLES = {
    "niveau": Niveau,
    "centre_interet": CentreInteret,
    "secteur": Secteur,
    "statut": Statut,
}

# The kinds the listing filters on.
FILTERED = ("niveau", "centre_interet", "secteur", "statut")


class Option(NamedTuple):
    pk: int
    slug: str
    libelle: str
    rang: int
    nb_metiers: int


def reference_options(*kinds, count_metiers=False):
    """Return {kind: [Option, …]} for the given tables, levels by rank, others by label,
    read once per catalogue version; with ``count_metiers``, how many published métiers
    each option has. A métier's own options: `Metier.etiquettes`.
    """
    # The options' fields are part of the name: a shared cache may still hold options
    # of the shape that the previous release stored.
    return cached_for_catalogue(
        f"references:{','.join(Option._fields)}:{','.join(kinds)}:{count_metiers}",
        lambda: _reference_options(kinds, count_metiers),
    )


def _reference_options(kinds, count_metiers):
    parts = []
    for kind in kinds:
        model = TABLES[kind]
        # Every level of the national scale; the other options, those of published fiches.
        rows = model.objects.order_by() if model is Niveau else model.objects.public().order_by()
        rows = rows.annotate(kind=Value(kind), position=F("rang") if model is Niveau else Value(0))
        if count_metiers:
            published = Q(metiers__publication=Metier.Publication.PUBLIE)
            rows = rows.annotate(nb=Count("metiers", filter=published))
        else:
            rows = rows.annotate(nb=Value(0))
        parts.append(rows.values_list("pk", "slug", "libelle", "kind", "position", "nb"))
    options = {kind: [] for kind in kinds}
    for pk, slug, libelle, kind, rang, nb in parts[0].union(*parts[1:], all=True):
        options[kind].append(Option(pk, slug, libelle, rang, nb))
    for values in options.values():
        values.sort(key=lambda option: (option.rang, sort_key(option.libelle)))
    return options


def tag_metiers(metiers):
    """Read, for all these métiers at once, what their ``etiquettes``, ``sources_citees``
    and ``codes_sources`` show (the exports and the API, chunk by chunk)."""
    prefetch_related_objects(metiers, *tag_prefetches())
