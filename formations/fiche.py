"""The read behind a formation's page, in three plain SQL statements written once (see
`portal.rows`): the formation with its level, the first published métiers it leads to
with their number, and its sources.

Through the ORM, its four queries cost more to compile, on every request, than to run.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connections

from portal.models import Source
from portal.rows import Columns, Names

from .models import Formation, Niveau


@dataclass(frozen=True)
class FormationPage:
    formation: Formation
    metiers: list  # the first published métiers, as cards, in title order
    nb_metiers: int  # all of them
    sources: list


class _Statements:
    def __init__(self, connection):
        names = Names(connection)
        table, col = names.table, names.col
        # The métiers that recommend a formation, from its side: formations do not import métiers.
        recommended = Formation._meta.get_field("metiers")
        Metier = recommended.related_model  # noqa: N806 — a model class

        self.formation = Columns(connection, Formation, exclude=Formation.HIDDEN_COLUMNS)
        self.niveau = Columns(connection, Niveau)
        self.card = Columns(connection, Metier, only=Metier.CARD_COLUMNS)
        self.source = Columns(connection, Source)
        self.published = Metier.Publication.PUBLIE

        self.formation_sql = (
            f"SELECT {self.formation.sql}, {self.niveau.sql} FROM {table(Formation)} "
            f"{names.with_niveau(Niveau, Formation, 'niveau')} WHERE {col(Formation, 'slug')} = %s"
        )
        # Their number comes with the first rows: a window is computed before the limit.
        join, condition = names.linked(recommended.field, Metier, model_declares=True)
        self.metiers_sql = (
            f"SELECT {self.card.sql}, {self.niveau.sql}, COUNT(*) OVER () FROM {table(Metier)} {join} "
            f"{names.with_niveau(Niveau, Metier, 'niveau_acces')} "
            f"WHERE {condition} AND {col(Metier, 'publication')} = %s "
            f"ORDER BY {col(Metier, 'titre')}, {col(Metier, 'id')} LIMIT %s"
        )
        join, condition = names.linked(Formation._meta.get_field("sources"), Source)
        self.sources_sql = (
            f"SELECT {self.source.sql} FROM {table(Source)} {join} "
            f"WHERE {condition} ORDER BY {col(Source, 'titre')}, {col(Source, 'id')}"
        )


@cache
def _statements(alias):
    return _Statements(connections[alias])


def formation_page(slug, *, apercu, using="default"):
    """The formation at ``slug`` with its level, its first ``apercu`` published métiers (as
    cards, with their level) and their number, and its sources; or None."""
    connection = connections[using]
    statements = _statements(using)
    with connection.cursor() as cursor:
        cursor.execute(statements.formation_sql, [slug])
        row = cursor.fetchone()
        if row is None:
            return None
        formation = statements.formation.instance(connection, row)
        formation.niveau = statements.niveau.instance(connection, row, len(statements.formation))
        cursor.execute(statements.metiers_sql, [formation.pk, statements.published, apercu])
        rows = cursor.fetchall()
        metiers = statements.card.instances(connection, rows, statements.niveau, "niveau_acces")
        cursor.execute(statements.sources_sql, [formation.pk])
        sources = statements.source.instances(connection, cursor.fetchall())
    return FormationPage(formation, metiers, rows[0][-1] if rows else 0, sources)
