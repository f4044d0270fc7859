"""French alphabetical order, the same on PostgreSQL and SQLite.

The database sorts the titles: the listings, the title-first search and their index
walks. Left to the database's default collation, that order depended on how the
server was set up: byte order under C or C.UTF-8 (the default of many containers,
and SQLite's), where « électronicien » and « œnologue » come after « zoologiste ».
The title columns therefore name a collation, ``fr``: ICU's French on PostgreSQL,
created by a migration; on SQLite, `compare` below, registered on each connection.
Pages that sort a few rows in Python use `sort_key`, which orders them alike.
"""

import unicodedata
from functools import lru_cache

from django.db.backends.signals import connection_created
from django.dispatch import receiver

NAME = "fr"
POSTGRESQL_CREATE = f"CREATE COLLATION IF NOT EXISTS {NAME} (provider = icu, locale = 'fr')"


def fold(text):
    """Lower case, without accents, ligatures spelt out ("Œnologue" → "oenologue")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().replace("œ", "oe").replace("æ", "ae")


@lru_cache(maxsize=4096)
def sort_key(text):
    """Letters first, then accents and case, as a French reader expects; two different
    texts never tie, so that an order never depends on the rows' storage."""
    return fold(text), text


def compare(a, b):
    """The SQLite collation: -1, 0 or 1, as `sort_key` orders."""
    a, b = sort_key(a), sort_key(b)
    return (a > b) - (a < b)


@receiver(connection_created)
def register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME, compare)
