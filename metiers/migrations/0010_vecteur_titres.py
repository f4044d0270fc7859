"""The titles' own search vector (see `Metier.vecteur_titres` and `title_vector()`),
filled for the existing métiers on PostgreSQL."""

import django.contrib.postgres.search
from django.db import migrations

from metiers.models import INDEX_BATCH, title_vector


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    metiers = apps.get_model("metiers", "Metier").objects.using(schema_editor.connection.alias)
    pks = list(metiers.order_by("pk").values_list("pk", flat=True))
    # In batches, as `refresh_search_index()` does: one statement over every métier would
    # outlive the statement timeout.
    for start in range(0, len(pks), INDEX_BATCH):
        metiers.filter(pk__in=pks[start : start + INDEX_BATCH]).update(vecteur_titres=title_vector())


class Migration(migrations.Migration):
    dependencies = [("metiers", "0009_demande_index")]

    operations = [
        migrations.AddField(
            model_name="metier",
            name="vecteur_titres",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
