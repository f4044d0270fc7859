"""PostgreSQL text-search configuration shared by the métier and formation searches.

`french_unaccent` is a copy of `french` whose word mappings strip accents before
stemming, so "ingénieurs", "Ingenieur" and "INGÉNIEURE" meet on one lexeme.
Nothing to do on SQLite, which searches normalised text instead.
"""

from django.db import migrations

from core.search import run_on_postgresql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION french_unaccent "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
]
BACKWARD = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
    "DROP EXTENSION IF EXISTS pg_trgm",
    "DROP EXTENSION IF EXISTS unaccent",
]


class Migration(migrations.Migration):
    dependencies = [("formations", "0002_niveaux")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
