from django.db import migrations

from core.models import new_catalogue_version


def draw_version(apps, schema_editor):
    """The first version was the counter's 1, the same in every new database."""
    CatalogueVersion = apps.get_model("portal", "CatalogueVersion")
    CatalogueVersion.objects.update_or_create(pk=1, defaults={"version": new_catalogue_version()})


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0004_catalogue_version"),
    ]

    operations = [
        migrations.RunPython(draw_version, migrations.RunPython.noop),
    ]
