"""The read behind a fiche page and the API's fiche: one métier with everything it shows,
in six plain SQL statements written once (see `portal.rows`): the métier, then the
five others sent together on PostgreSQL (one round trip instead of five, see
`portal.rows.read_together`).

The ORM's version of this read (``select_related``, ``defer`` and four ``Prefetch``)
spent most of a fiche's time compiling its five queries, on every request: about two
thirds of the view, against a quarter for rendering the page. Templates and serialisers
still read ``metier.formations.all()``, without a query.
"""

from functools import cache

from django.db import connections

from formations.models import Formation, Niveau
from portal.cache import read_with_catalogue_version
from portal.models import Source
from portal.rows import Columns, Names, attach, read_together

from .models import Appellation, Metier, Salaire
from .references import TAGS, links_sql, tag_metiers


class _Statements:
    def __init__(self, connection):
        names = Names(connection)
        table, col = names.table, names.col

        self.metier = Columns(connection, Metier, exclude=Metier.HIDDEN_COLUMNS)
        self.niveau = Columns(connection, Niveau)
        self.appellation = Columns(connection, Appellation)
        self.salaire = Columns(connection, Salaire)
        self.source = Columns(connection, Source)
        self.formation = Columns(connection, Formation, only=Formation.LINK_COLUMNS)
        self.card = Columns(connection, Metier, only=Metier.CARD_COLUMNS)

        published = f"{col(Metier, 'publication')} = %s"
        level = names.with_niveau(Niveau, Metier, "niveau_acces")
        metier = f"SELECT {self.metier.sql}, {self.niveau.sql} FROM {table(Metier)} {level} "
        appellations = (
            f"SELECT {self.appellation.sql} FROM {table(Appellation)} WHERE {col(Appellation, 'metier')} = %s "
            f"ORDER BY {col(Appellation, 'principale')} DESC, {col(Appellation, 'id')}"
        )
        # One métier's salaries: the model's order without its first key, the métier.
        salaires = (
            f"SELECT {self.salaire.sql}, {self.source.sql} FROM {table(Salaire)} "
            f"JOIN {table(Source)} ON {col(Source, 'id')} = {col(Salaire, 'source')} "
            f"WHERE {col(Salaire, 'metier')} = %s "
            f"ORDER BY {col(Salaire, 'pays')}, {col(Salaire, 'experience')}, {col(Salaire, 'id')}"
        )
        join, condition = names.linked(Metier._meta.get_field("formations"), Formation)
        formations = (
            f"SELECT {self.formation.sql}, {self.niveau.sql} FROM {table(Formation)} {join} "
            f"{names.with_niveau(Niveau, Formation, 'niveau')} "
            f"WHERE {condition} ORDER BY {col(Formation, 'libelle')}, {col(Formation, 'id')}"
        )
        join, condition = names.linked(Metier._meta.get_field("metiers_associes"), Metier)
        associes = (
            f"SELECT {self.card.sql}, {self.niveau.sql} FROM {table(Metier)} {join} {level} "
            f"WHERE {condition} AND {published} ORDER BY {col(Metier, 'titre')}, {col(Metier, 'id')}"
        )
        self.metier_sql = f"{metier}WHERE {col(Metier, 'slug')} = %s AND {published}"
        # The editors' preview: any fiche, draft or published, by its id.
        self.any_metier_sql = f"{metier}WHERE {col(Metier, 'id')} = %s"
        # The rows of the métier read first, by its id: (SQL, how many times it names the
        # métier, the parameters that follow).
        self.related = [
            (appellations, 1, ()), (salaires, 1, ()), (formations, 1, ()), (associes, 1, (Metier.Publication.PUBLIE,)),
            (links_sql("%s", TAGS), len(TAGS), ()),
        ]


@cache
def _statements(alias):
    return _Statements(connections[alias])


def published_fiche(slug, using="default"):
    """The published métier at ``slug`` with its level, appellations, salaries (with their
    source), formations (with their level) and published associated métiers (as cards,
    with their level), tagged as `metiers.references.tag_metiers` tags métiers; or None."""
    return _fiche(using, "metier_sql", [slug, Metier.Publication.PUBLIE])


def any_fiche(pk, using="default"):
    """The métier ``pk``, draft or published, read as `published_fiche` reads a published
    one (for the editors' preview), or None."""
    return _fiche(using, "any_metier_sql", [pk])


def _fiche(using, statement, params):
    connection = connections[using]
    statements = _statements(using)
    (rows,) = read_with_catalogue_version(connection, [(getattr(statements, statement), params)])
    if not rows:
        return None
    row = rows[0]
    metier = statements.metier.instance(connection, row)
    metier.niveau_acces = statements.niveau.instance(connection, row, len(statements.metier))
    # The others name it by its id, so that each is planned as a lookup by key: naming it
    # by its address in each (a subquery) would save this round trip, but double what
    # PostgreSQL spends planning them.
    appellations, salaires, formations, associes, links = read_together(
        connection, [(sql, [metier.pk] * times + list(more)) for sql, times, more in statements.related]
    )
    attach(metier, "appellations", statements.appellation.instances(connection, appellations))
    attach(metier, "salaires", statements.salaire.instances(connection, salaires, statements.source, "source"))
    attach(metier, "formations", statements.formation.instances(connection, formations, statements.niveau, "niveau"))
    attach(metier, "metiers_associes", statements.card.instances(
        connection, associes, statements.niveau, "niveau_acces",
    ))
    tag_metiers([metier], links=links)
    return metier
