"""The read behind a fiche page and the API's fiche: one métier with everything it shows,
in five plain SQL statements written once.

The ORM's version of this read (``select_related``, ``defer`` and four ``Prefetch``)
spent most of a fiche's time compiling its five queries, on every request: about two
thirds of the view, against a quarter for rendering the page. The statements here are
built once per process from the models' own tables, columns and converters, so they
follow the schema; what they return is the same model instances, related objects
attached as ``select_related`` and ``prefetch_related`` would attach them, so templates
and serialisers read ``metier.formations.all()`` without a query.
"""

from functools import cache

from django.db import connections

from formations.models import Formation, Niveau
from portal.models import Source

from .models import Appellation, Metier, Salaire


class _Columns:
    """A model's columns in a SELECT, and the instances built from them."""

    def __init__(self, connection, model, names=None):
        self.model = model
        self.fields = [
            field for field in model._meta.concrete_fields
            if names is None or field.name in names or field.primary_key
        ]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        self.sql = ", ".join(f"{table}.{quote(field.column)}" for field in self.fields)
        self.attnames = [field.attname for field in self.fields]
        # What the ORM's compiler applies to each value (SQLite returns booleans as
        # integers and dates as text, for instance), looked up once.
        self.converters = []
        for index, field in enumerate(self.fields):
            column = field.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if functions:
                self.converters.append((index, column, functions))

    def instance(self, connection, row, start):
        """The instance in ``row`` from position ``start``; None for an outer join that found nothing."""
        values = list(row[start:start + len(self.fields)])
        if values[self.fields.index(self.model._meta.pk)] is None:
            return None
        for index, column, functions in self.converters:
            for function in functions:
                values[index] = function(values[index], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


class _Statements:
    """The statements and the columns they read. Each statement reads each table once, so
    its columns are named by their table, as the ORM names them."""

    def __init__(self, connection):
        quote = connection.ops.quote_name

        def table(model):
            return quote(model._meta.db_table)

        def col(model, name):
            return f"{table(model)}.{quote(model._meta.get_field(name).column)}"

        def with_niveau(model, name):
            return f"LEFT JOIN {table(Niveau)} ON {col(Niveau, 'rang')} = {col(model, name)}"

        def linked(name, model):
            """Join the rows of ``model`` linked to one métier by its many-to-many ``name``;
            the condition on the métier's id is the returned string."""
            field = Metier._meta.get_field(name)
            through = table(field.remote_field.through)
            own, other = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
            return f"JOIN {through} ON {through}.{other} = {col(model, 'id')}", f"{through}.{own} = %s"

        def without(model, *hidden):
            return {field.name for field in model._meta.concrete_fields} - set(hidden)

        self.metier = _Columns(connection, Metier, names=without(Metier, *Metier.HIDDEN_COLUMNS))
        self.niveau = _Columns(connection, Niveau)
        self.appellation = _Columns(connection, Appellation)
        self.salaire = _Columns(connection, Salaire)
        self.source = _Columns(connection, Source)
        self.formation = _Columns(connection, Formation, names=without(Formation, "vecteur"))
        self.card = _Columns(connection, Metier, names=set(Metier.CARD_COLUMNS))

        published = f"{col(Metier, 'publication')} = %s"
        self.metier_sql = (
            f"SELECT {self.metier.sql}, {self.niveau.sql} FROM {table(Metier)} {with_niveau(Metier, 'niveau_acces')} "
            f"WHERE {col(Metier, 'slug')} = %s AND {published}"
        )
        self.appellations_sql = (
            f"SELECT {self.appellation.sql} FROM {table(Appellation)} WHERE {col(Appellation, 'metier')} = %s "
            f"ORDER BY {col(Appellation, 'principale')} DESC, {col(Appellation, 'id')}"
        )
        # One métier's salaries: the model's order without its first key, the métier.
        self.salaires_sql = (
            f"SELECT {self.salaire.sql}, {self.source.sql} FROM {table(Salaire)} "
            f"JOIN {table(Source)} ON {col(Source, 'id')} = {col(Salaire, 'source')} "
            f"WHERE {col(Salaire, 'metier')} = %s "
            f"ORDER BY {col(Salaire, 'pays')}, {col(Salaire, 'experience')}, {col(Salaire, 'id')}"
        )
        join, condition = linked("formations", Formation)
        self.formations_sql = (
            f"SELECT {self.formation.sql}, {self.niveau.sql} FROM {table(Formation)} {join} "
            f"{with_niveau(Formation, 'niveau')} "
            f"WHERE {condition} ORDER BY {col(Formation, 'libelle')}, {col(Formation, 'id')}"
        )
        join, condition = linked("metiers_associes", Metier)
        self.associes_sql = (
            f"SELECT {self.card.sql}, {self.niveau.sql} FROM {table(Metier)} {join} "
            f"{with_niveau(Metier, 'niveau_acces')} "
            f"WHERE {condition} AND {published} ORDER BY {col(Metier, 'titre')}, {col(Metier, 'id')}"
        )


@cache
def _statements(alias):
    return _Statements(connections[alias])


def _with_related(connection, rows, columns, related, attribute):
    """Instances of ``columns`` with, on each, the instance of ``related`` that follows it in
    the row, set as ``attribute`` the way ``select_related`` sets it."""
    instances = []
    for row in rows:
        instance = columns.instance(connection, row, 0)
        setattr(instance, attribute, related.instance(connection, row, len(columns.fields)))
        instances.append(instance)
    return instances


def _attach(metier, name, instances):
    """Set ``metier.<name>.all()`` to ``instances``, as ``prefetch_related`` does: on the
    relation's own queryset, so that a query chained on it still reads only this métier's rows."""
    queryset = getattr(metier, name).get_queryset()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    metier._prefetched_objects_cache[name] = queryset


def published_fiche(slug, using="default"):
    """The published métier at ``slug`` with its level, appellations, salaries (with their
    source), formations (with their level) and published associated métiers (as cards,
    with their level), or None. Its tags and sources: `metiers.references.tag_metiers`."""
    connection = connections[using]
    statements = _statements(using)
    with connection.cursor() as cursor:
        cursor.execute(statements.metier_sql, [slug, Metier.Publication.PUBLIE])
        row = cursor.fetchone()
        if row is None:
            return None
        metier = statements.metier.instance(connection, row, 0)
        metier.niveau_acces = statements.niveau.instance(connection, row, len(statements.metier.fields))
        metier._prefetched_objects_cache = {}
        cursor.execute(statements.appellations_sql, [metier.pk])
        _attach(metier, "appellations", [
            statements.appellation.instance(connection, row, 0) for row in cursor.fetchall()
        ])
        cursor.execute(statements.salaires_sql, [metier.pk])
        _attach(metier, "salaires", _with_related(
            connection, cursor.fetchall(), statements.salaire, statements.source, "source",
        ))
        cursor.execute(statements.formations_sql, [metier.pk])
        _attach(metier, "formations", _with_related(
            connection, cursor.fetchall(), statements.formation, statements.niveau, "niveau",
        ))
        cursor.execute(statements.associes_sql, [metier.pk, Metier.Publication.PUBLIE])
        _attach(metier, "metiers_associes", _with_related(
            connection, cursor.fetchall(), statements.card, statements.niveau, "niveau_acces",
        ))
    return metier
