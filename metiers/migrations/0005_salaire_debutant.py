"""The beginner salary, stored on the métier so that listings sort and filter on it from an
index rather than computing it for every métier; the salary order's index on PostgreSQL."""

from django.db import migrations, models

from core.search import run_on_postgresql
from metiers.models import salaire_debutant

# The listing's salary order: highest first, métiers without a figure last, then by title.
FORWARD = [
    "CREATE INDEX metier_salaire_idx ON metiers_metier (salaire_debutant DESC NULLS LAST, titre, id)",
    # The planner knows how the new column spreads only once ANALYZE has read it.
    "ANALYZE metiers_metier",
]
BACKWARD = ["DROP INDEX IF EXISTS metier_salaire_idx"]


def fill(apps, schema_editor):
    Metier = apps.get_model("metiers", "Metier")
    Salaire = apps.get_model("metiers", "Salaire")
    Metier.objects.using(schema_editor.connection.alias).update(salaire_debutant=salaire_debutant(Salaire))


class Migration(migrations.Migration):
    dependencies = [("metiers", "0004_slug_reserve")]

    operations = [
        migrations.AddField(
            model_name="metier",
            name="salaire_debutant",
            field=models.PositiveIntegerField(
                blank=True, editable=False, help_text="Calculé à partir des salaires de la fiche.",
                null=True, verbose_name="salaire brut débutant (€ par mois)",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
