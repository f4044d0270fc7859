"""French search shared by métiers and formations.

It lives in the formations app because both apps search and métiers depend on
formations, never the reverse.

A query is reduced to normalised words (``normalise``): only ``[0-9a-z]`` survive,
so every word is a safe lexeme whatever the user typed (tsquery operators, quotes,
NUL bytes, SQL). On PostgreSQL the words become a ``to_tsquery`` in the
``french_unaccent`` configuration (accents ignored, French stemming); on SQLite,
each word must begin a word of the normalised text.
"""

import logging
import operator
import re
from functools import reduce

from django.contrib.postgres.search import SearchQuery
from django.db import DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import Case, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import Contains
from django.dispatch import receiver

from core.collation import fold

logger = logging.getLogger(__name__)

CONFIG = "french_unaccent"
# Longer queries are typing accidents or attacks; cut them before any work.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
SQLITE_NORMALISE = "portail_normalise"

_NON_WORD = re.compile(r"[^0-9a-z]+")
# The feminine ending French titles write after the masculine form, once folded:
# « ingénieur/e », « technicien(ne) », « chercheur·euse », « conducteur.trice ». Searched
# as a word of its own, it would ask for the lexeme « e » (in nearly every title: a long
# list of the index to read) and leave out the fiches that write the word without it;
# the masculine form before it finds both.
_FEMININE_ENDING = re.compile(
    r"(?<=[0-9a-z])[/(·.](?:e|ne|le|te|fe|se|ve|ere|esse|euse|rice|trice)s?\)?s?(?![0-9a-z])"
)


def normalise(text):
    """Lower-case, accent-free words separated by single spaces ("Ingénieur/e" → "ingenieur e")."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def search_words(query):
    """The normalised words of a user query, capped in length and number, without the
    feminine endings written after a word ("Ingénieur/e robotique" → ["ingenieur", "robotique"])."""
    text = _FEMININE_ENDING.sub(" ", fold((query or "")[:MAX_QUERY_LENGTH]))
    return _NON_WORD.sub(" ", text).split()[:MAX_WORDS]


def tsquery(words, *, weight=""):
    """PostgreSQL query requiring every word, the last one as a prefix since the user may
    still be typing it; ``weight`` restricts the match to that part of the vector."""
    return SearchQuery(tsquery_text(words, weight=weight), config=CONFIG, search_type="raw")


def tsquery_text(words, *, weight=""):
    """The text of `tsquery`, for ``to_tsquery`` in the ``CONFIG`` configuration."""
    terms = [f"{word}:{weight}" if weight else word for word in words[:-1]]
    terms.append(f"{words[-1]}:*{weight}")
    return " & ".join(terms)


def sqlite_normalised(expression):
    """``normalise()`` applied by SQLite to an expression (registered on each connection)."""
    return Func(expression, function=SQLITE_NORMALISE, output_field=TextField())


def sqlite_search(queryset, words, *, titles, body):
    """Every word begins a word of ``titles`` or ``body`` (normalised text expressions).

    ``rank`` is the share of the words found in the titles, so title matches come first.
    """
    padded_titles = Concat(Value(" "), titles, output_field=TextField())
    padded_body = Concat(Value(" "), body, output_field=TextField())
    conditions = []
    title_hits = []
    for word in words:
        in_titles = Contains(padded_titles, f" {word}")
        conditions.append(Q(in_titles) | Q(Contains(padded_body, f" {word}")))
        title_hits.append(Case(When(in_titles, then=Value(1.0)), default=Value(0.0)))
    rank = Cast(reduce(operator.add, title_hits), FloatField()) / Value(float(len(words)))
    return queryset.filter(*conditions).annotate(rank=rank)


@receiver(connection_created)
def register_sqlite_normalise(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_NORMALISE, 1, normalise, deterministic=True)


# Every GIN index of a table (the text vectors, the title trigrams), each moved in one call.
FLUSH_PENDING_SQL = """
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    WHERE i.indrelid = %s::regclass AND a.amname = 'gin'
"""


def flush_pending_entries(model, using):
    """PostgreSQL: move the new entries of a table's GIN indexes into the indexes themselves.

    A write leaves its vectors in each index's pending list, which every search reads
    through in full until a VACUUM moves them; autovacuum waits for a fifth of the
    table to change, so an import of a few thousand fiches into a large catalogue could
    leave the list there for good. Only the owner of an index may do
    this; any other role leaves it to VACUUM, with a warning.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(FLUSH_PENDING_SQL, [model._meta.db_table])
    except DatabaseError as error:
        logger.warning("Index de recherche de %s non tassés : %s", model._meta.db_table, error)


def run_on_postgresql(statements):
    """A RunPython function executing SQL statements on PostgreSQL only (search migrations)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
