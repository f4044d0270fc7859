"""Model instances read by plain SQL statements written once per process.

For the few reads whose ORM queries cost more to compile, on every request, than to
run: a fiche (`metiers.fiche`) and a formation's page (`formations.fiche`). The
statements are built from the models' own tables, columns and converters, so they
follow the schema; what they give is the same model instances, with their related
objects attached as ``select_related`` and ``prefetch_related`` attach them.
"""

from contextlib import contextmanager

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


class Names:
    """Quoted names of the models' tables and columns, for one database."""

    def __init__(self, connection):
        self.quote = connection.ops.quote_name

    def table(self, model):
        return self.quote(model._meta.db_table)

    def col(self, model, name):
        """A column named by its table, as the ORM names it: each statement here reads each table once."""
        return f"{self.table(model)}.{self.quote(model._meta.get_field(name).column)}"

    def linked(self, field, model, *, model_declares=False):
        """(JOIN, WHERE) reading the rows of ``model`` linked by the many-to-many ``field`` to
        one row on its other side, whose id is the condition's parameter. ``model_declares``:
        ``model`` is the side that declares ``field`` (for a field linking a model to itself,
        the rows read are on the side it points to, unless this is set)."""
        through = self.table(field.remote_field.through)
        declaring, other = self.quote(field.m2m_column_name()), self.quote(field.m2m_reverse_name())
        read, given = (declaring, other) if model_declares else (other, declaring)
        return f"JOIN {through} ON {through}.{read} = {self.col(model, 'id')}", f"{through}.{given} = %s"

    def with_niveau(self, niveau_model, model, name):
        """Join the level of ``model`` through its foreign key ``name``, which may be empty."""
        return f"LEFT JOIN {self.table(niveau_model)} ON {self.col(niveau_model, 'rang')} = {self.col(model, name)}"


class Columns:
    """A model's columns in a SELECT, and the instances built from them."""

    def __init__(self, connection, model, *, only=None, exclude=()):
        """The fields named in ``only`` (all by default; the primary key always), but those
        in ``exclude``; the others are deferred, like ``QuerySet.only`` and ``defer``."""
        self.model = model
        self.fields = [
            field for field in model._meta.concrete_fields
            if field.primary_key or ((only is None or field.name in only) and field.name not in exclude)
        ]
        self.sql = ", ".join(Names(connection).col(model, field.name) for field in self.fields)
        self.attnames = [field.attname for field in self.fields]
        self.pk_index = self.fields.index(model._meta.pk)
        self._default_init = model.__init__ is Model.__init__ and model.from_db.__func__ is Model.from_db.__func__
        # What the ORM's compiler applies to each value (SQLite returns booleans as
        # integers and dates as text, for instance), looked up once.
        self.converters = []
        for index, field in enumerate(self.fields):
            column = field.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if functions:
                self.converters.append((index, column, functions))

    def __len__(self):
        return len(self.fields)

    def instance(self, connection, row, start=0, *, plain=None):
        """The instance in ``row`` from position ``start``; None for an outer join that found nothing.

        ``plain``: whether it may be built without ``Model.__init__`` (see `plain`); asked
        when not given."""
        values = list(row[start:start + len(self.fields)])
        if values[self.pk_index] is None:
            return None
        for index, column, functions in self.converters:
            for function in functions:
                values[index] = function(values[index], column, connection)
        if not (self.plain() if plain is None else plain):
            return self.model.from_db(connection.alias, self.attnames, values)
        # What from_db and __init__ leave, without their loop over every field: the state of
        # an instance read from this database, then the values read, by attribute name (those
        # not read stay deferred, as missing attributes do), set in the order __init__ sets
        # them (its instances and these then share their attributes' layout; filled through
        # ``__dict__``, each would get a dict of its own, slower to read from).
        instance = self.model.__new__(self.model)
        state = instance._state = ModelState()
        state.adding = False
        state.db = connection.alias
        for name, value in zip(self.attnames, values):
            setattr(instance, name, value)
        return instance

    def plain(self):
        """Whether an instance may be built by setting its attributes directly: the model
        keeps Django's ``__init__`` and ``from_db``, and nothing listens to its
        ``pre_init`` or ``post_init`` signals (a receiver connected later is seen at once).
        Through ``__init__``, an instance cost about 10 µs; directly, about 1 µs, and a fiche
        builds some fifty."""
        return self._default_init and not (pre_init.has_listeners(self.model) or post_init.has_listeners(self.model))

    def instances(self, connection, rows, related=None, attribute=None):
        """The instances in ``rows``; with ``related``, each gets the instance of ``related``
        that follows it in the row, set as ``attribute`` the way ``select_related`` sets it."""
        instances = []
        plain = self.plain()
        related_plain = related is not None and related.plain()
        for row in rows:
            instance = self.instance(connection, row, plain=plain)
            if related is not None:
                setattr(instance, attribute, related.instance(connection, row, len(self), plain=related_plain))
            instances.append(instance)
        return instances


def attach(instance, name, instances):
    """Set ``instance.<name>.all()`` to ``instances``, as ``prefetch_related`` does: on the
    relation's own queryset, so that a query chained on it still reads only this instance's rows."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


@contextmanager
def repeated_reads(connection):
    """Within it, on PostgreSQL with prepared statements, ``connection`` prepares the
    statements it runs from their second execution, with their values written in (see
    `portal.postgresql.base.DatabaseWrapper.repeated_reads`); elsewhere, nothing changes."""
    if getattr(connection, "prepares_statements", lambda: False)():
        with connection.repeated_reads():
            yield
    else:
        yield


def fetch(connection, sql, params):
    """The rows of one statement whose plan depends on its values, read within `repeated_reads`."""
    with repeated_reads(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def read_together(connection, statements):
    """The rows of each ``(sql, params)`` of ``statements``, in order.

    On PostgreSQL they go in one round trip, each prepared once per connection (see
    `portal.postgresql.base.DatabaseWrapper.read_prepared`); with prepared statements
    turned off, as one query string: Django's cursors bind parameters on the client
    (psycopg's ``ClientCursor``), which lets a string hold several statements, the
    server answering each in turn. Elsewhere, or with server-side binding, they run one
    by one.
    """
    if getattr(connection, "prepares_statements", lambda: False)():
        return connection.read_prepared(statements)
    with connection.cursor() as cursor:
        client_binding = not connection.settings_dict["OPTIONS"].get("server_side_binding")
        if connection.vendor == "postgresql" and client_binding:
            cursor.execute(
                "; ".join(sql for sql, _ in statements), [value for _, params in statements for value in params]
            )
            results = [cursor.fetchall()]
            while cursor.nextset():
                results.append(cursor.fetchall())
            return results
        results = []
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
        return results
