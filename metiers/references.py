"""The options of the small reference tables, read together in one UNION query.

A listing's filter form, the home page's entry points and a fiche's tags each
need several of these tables; one query instead of one per table keeps every
page within its query budget.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import Count, F, Q, Value

from formations.models import Niveau
from portal.cache import cached_for_catalogue
from portal.collation import sort_key
from portal.exports import sources_by_pk

from .models import CentreInteret, Metier, Salaire, Secteur, Statut

TABLES = {
    "niveau": Niveau,
    "centre_interet": CentreInteret,
    "secteur": Secteur,
    "statut": Statut,
}


# The many-to-many field of Metier behind each kind a métier is tagged with.
LINKS = {"secteur": "secteurs", "statut": "statuts", "centre_interet": "centres_interet"}
# The kinds the listing filters on. The options of a métier's tags are read from
# this one list too, so that every page reads them once per catalogue version.
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
    each option has. A métier's own options: `tag_metiers`.
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


# What a métier cites, besides its tags: the sources of its fiche and of its salaries.
CITED = ("source", "salaire")


def _link_columns(kind):
    """(table, métier column, linked column) of a kind of LINKS or CITED."""
    if kind == "salaire":
        return Salaire._meta.db_table, "metier_id", "source_id"
    field = Metier._meta.get_field(LINKS.get(kind, "sources"))
    through = field.remote_field.through._meta
    return (
        through.db_table,
        through.get_field(field.m2m_field_name()).column,
        through.get_field(field.m2m_reverse_field_name()).column,
    )


def links_sql(ids, kinds):
    """The SQL reading (kind, métier id, linked id) of some métiers' links of these kinds
    (those of LINKS, and CITED: a source's id), in one plain UNION ALL on the link tables.
    ``ids``: what gives the métiers' ids in each part (placeholders, or a subquery), so
    its parameters come once per kind.

    Written in SQL, from the models' table and column names: the ORM took 1.6 ms to
    build this query, which runs in 0.25 ms, and every fiche, page of the API and
    chunk of an export runs it.
    """
    quote = connection.ops.quote_name
    parts = []
    for kind in kinds:
        if not kind.isidentifier():  # written in the query as it is
            raise ValueError(f"type de lien inconnu : {kind!r}")
        table, metier, linked = (quote(name) for name in _link_columns(kind))
        parts.append(f"SELECT '{kind}', {metier}, {linked} FROM {table} WHERE {metier} IN ({ids})")  # noqa: S608 — names from the models
    return " UNION ALL ".join(parts)


def _links(metier_ids, kinds):
    """(kind, métier id, linked id) of these métiers' links of these kinds (see links_sql)."""
    if not metier_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(links_sql(", ".join(["%s"] * len(metier_ids)), kinds), list(metier_ids) * len(kinds))
        return cursor.fetchall()


# What tag_metiers reads of each métier.
TAGS = (*LINKS, *CITED)


def tag_metiers(metiers, links=None):
    """Set on each métier ``etiquettes``, {kind: its options} for each kind of LINKS, in
    their usual order; ``sources_citees``, the sources its fiche and its salaries cite;
    and ``codes_sources``, their sorted codes.

    One query for all of them: the links' ids (``links``, when the caller read them with
    its own statements: the rows of ``links_sql`` for TAGS). The options and the sources come from
    their lists, read once per catalogue version (an option created since is left out
    until the next version). Prefetching the five relations instead built a manager, a
    queryset and a model instance per métier and per link: two thirds of the time of an
    export, or of a page of the API.
    """
    if not metiers:
        return
    linked = {metier.pk: set() for metier in metiers}
    cited = {metier.pk: set() for metier in metiers}
    if links is None:
        links = _links(list(linked), TAGS)
    for kind, metier, pk in links:
        if kind in LINKS:
            linked[metier].add((kind, pk))
        else:
            cited[metier].add(pk)
    options = reference_options(*FILTERED)
    sources = sources_by_pk(set().union(*cited.values()))
    for metier in metiers:
        metier.etiquettes = {
            kind: [option for option in options[kind] if (kind, option.pk) in linked[metier.pk]] for kind in LINKS
        }
        metier.sources_citees = [sources[pk] for pk in cited[metier.pk]]
        metier.codes_sources = sorted(source.code for source in metier.sources_citees)
