"""The formation's text vector, stored (see `formations.models.search_vector()`), with a
GIN index on it in place of the two expression indexes of migrations 0004 and 0005.

A search looks at a formation's vector for every row it walks in label order, and
computing it from the text costs about 20 µs a row: a word that begins many labels
(« master ») walked 150 000 formations for 1.4 s at 200 000 formations.
"""

import django.contrib.postgres.search
from django.db import migrations

from core.search import run_on_postgresql
from formations.models import VECTOR_BATCH, search_vector

FORWARD_INDEXES = [
    "CREATE INDEX formation_vecteur_gin ON formations_formation USING gin (vecteur)",
    "DROP INDEX IF EXISTS formation_recherche_gin",
    "DROP INDEX IF EXISTS formation_libelle_gin",
    "ANALYZE formations_formation",
]
# The expression indexes of migrations 0004 and 0005, as they were.
LABEL = "to_tsvector('french_unaccent'::regconfig, COALESCE(libelle, '') || ' ' || COALESCE(etablissement, ''))"
VECTOR = (
    "setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(libelle, '') || ' ' || "
    "COALESCE(etablissement, '')), 'A') || "
    "setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(description, '')), 'B')"
)
BACKWARD_INDEXES = [
    f"CREATE INDEX formation_recherche_gin ON formations_formation USING gin (({VECTOR}))",
    f"CREATE INDEX formation_libelle_gin ON formations_formation USING gin (({LABEL}))",
    "DROP INDEX IF EXISTS formation_vecteur_gin",
]


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    formations = apps.get_model("formations", "Formation").objects.using(schema_editor.connection.alias)
    pks = list(formations.order_by("pk").values_list("pk", flat=True))
    # In batches: one statement over every formation would outlive the statement timeout.
    for start in range(0, len(pks), VECTOR_BATCH):
        formations.filter(pk__in=pks[start : start + VECTOR_BATCH]).update(vecteur=search_vector())


class Migration(migrations.Migration):
    dependencies = [("formations", "0005_libelle_search_index")]

    operations = [
        migrations.AddField(
            model_name="formation",
            name="vecteur",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(run_on_postgresql(FORWARD_INDEXES), run_on_postgresql(BACKWARD_INDEXES)),
    ]
