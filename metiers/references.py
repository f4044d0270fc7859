"""The options of the small reference tables, read together in one UNION query.

A listing's filter form, the home page's entry points and a fiche's tags each
need several of these tables; one query instead of one per table keeps every
page within its query budget.
"""

from typing import NamedTuple

from django.db.models import Count, F, Q, Value

from formations.models import Niveau
from portal.cache import cached_for_catalogue
from portal.collation import sort_key

from .models import CentreInteret, Metier, Secteur, Statut

TABLES = {
    "niveau": Niveau,
    "centre_interet": CentreInteret,
    "secteur": Secteur,
    "statut": Statut,
}


# The many-to-many field of Metier behind each kind a métier is tagged with.
LINKS = {"secteur": "secteurs", "statut": "statuts", "centre_interet": "centres_interet"}


class Option(NamedTuple):
    pk: int
    slug: str
    libelle: str
    rang: int
    nb_metiers: int


def reference_options(*kinds, metier=None, count_metiers=False):
    """Return {kind: [Option, …]} for the given tables, levels by rank, others by label.

    With ``metier``, only the options linked to that métier; with ``count_metiers``,
    how many published métiers each option has. Without ``metier``, read once per
    catalogue version.
    """
    if metier is None:
        # The options' fields are part of the name: a shared cache may still hold options
        # of the shape that the previous release stored.
        return cached_for_catalogue(
            f"references:{','.join(Option._fields)}:{','.join(kinds)}:{count_metiers}",
            lambda: _reference_options(kinds, None, count_metiers),
        )
    if not count_metiers and set(kinds) <= LINKS.keys():
        return _options_of(metier, kinds)
    return _reference_options(kinds, metier, count_metiers)


def _options_of(metier, kinds):
    """The options a métier is tagged with: their ids from its link tables, in one plain
    query; their labels and order from the lists cached per catalogue version.

    A fiche shows them on every visit: the full query, with its joins and sort, cost
    as much to build as to run.
    """
    parts = []
    for kind in kinds:
        field = Metier._meta.get_field(LINKS[kind])
        links = field.remote_field.through.objects.filter(**{field.m2m_field_name(): metier.pk})
        parts.append(links.order_by().annotate(kind=Value(kind)).values_list(
            "kind", f"{field.m2m_reverse_field_name()}_id"
        ))
    linked = set(parts[0].union(*parts[1:], all=True))
    every = reference_options(*kinds)
    return {kind: [option for option in every[kind] if (kind, option.pk) in linked] for kind in kinds}


def _reference_options(kinds, metier, count_metiers):
    parts = []
    for kind in kinds:
        model = TABLES[kind]
        rows = model.objects.order_by().annotate(
            kind=Value(kind), position=F("rang") if model is Niveau else Value(0)
        )
        if metier is not None:
            rows = rows.filter(metiers=metier)
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
