"""On PostgreSQL, a GIN index on a formation's label and school as a text vector, the
expression of `formations.models.label_vector()`: a search counts and finds the
formations whose label holds every word without computing each one's vector.

Replaced by the stored vector of migration 0006."""

from django.db import migrations

from core.search import run_on_postgresql

# Must stay identical to the SQL of label_vector() without weight, or the planner cannot
# use the index (tests/formations/test_search_postgresql.py checks the plan).
VECTOR = (
    "to_tsvector('french_unaccent'::regconfig, COALESCE(libelle, '') || ' ' || COALESCE(etablissement, ''))"
)
# The planner estimates how many labels hold a word from the statistics of the index's
# expression, which only ANALYZE gathers.
FORWARD = [
    f"CREATE INDEX formation_libelle_gin ON formations_formation USING gin (({VECTOR}))",
    "ANALYZE formations_formation",
]
BACKWARD = ["DROP INDEX IF EXISTS formation_libelle_gin"]


class Migration(migrations.Migration):
    dependencies = [("formations", "0004_search_indexes")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
