"""Indexes of the formations listing at national scale (hundreds of thousands of rows).

- its default order, case-insensitive label then id, on every backend;
- on PostgreSQL, a GIN index on the very expression `Formation.objects.search()`
  matches, so that a search reads the index instead of computing every row's vector.
"""

import django.db.models.functions.text
from django.db import migrations, models

from core.search import run_on_postgresql

# Must stay identical to the vector built in FormationQuerySet.search(), or the planner
# cannot use the index (tests/formations/test_search_postgresql.py checks the plan).
VECTOR = (
    "setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(libelle, '') || ' ' || "
    "COALESCE(etablissement, '')), 'A') || "
    "setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(description, '')), 'B')"
)
FORWARD = [f"CREATE INDEX formation_recherche_gin ON formations_formation USING gin (({VECTOR}))"]
BACKWARD = ["DROP INDEX IF EXISTS formation_recherche_gin"]


class Migration(migrations.Migration):
    dependencies = [("formations", "0003_search")]

    operations = [
        migrations.AddIndex(
            model_name="formation",
            index=models.Index(
                django.db.models.functions.text.Lower("libelle"), "id", name="formation_libelle_lower_idx"
            ),
        ),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
