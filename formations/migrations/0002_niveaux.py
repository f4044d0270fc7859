"""The bac … bac + 8 scale is reference data every install needs, so a migration creates it."""

from django.db import migrations


def create_levels(apps, schema_editor):
    Niveau = apps.get_model("formations", "Niveau")
    for rang in range(9):
        libelle = "bac" if rang == 0 else f"bac + {rang}"
        slug = "bac" if rang == 0 else f"bac-{rang}"
        Niveau.objects.update_or_create(rang=rang, defaults={"libelle": libelle, "slug": slug})


class Migration(migrations.Migration):
    dependencies = [("formations", "0001_initial")]

    operations = [migrations.RunPython(create_levels, migrations.RunPython.noop)]
