"""Sources no longer have a nature of their own for the benchmark's fictitious catalogue:
`generate_catalogue` files it as an editorial entry, its title saying the data are fictitious.
A catalogue generated before keeps its source, under that nature."""

from django.db import migrations, models


def synthetic_as_editorial(apps, schema_editor):
    apps.get_model("portal", "Source").objects.filter(nature="synthetique").update(nature="saisie")


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0007_collation_fr_references'),
    ]

    operations = [
        migrations.RunPython(synthetic_as_editorial, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='source',
            name='nature',
            field=models.CharField(choices=[('fiche_onisep', 'fiche métier ONISEP'), ('export_onisep', 'export open data ONISEP'), ('article', 'article'), ('saisie', 'saisie éditoriale')], max_length=20, verbose_name='nature'),
        ),
    ]
