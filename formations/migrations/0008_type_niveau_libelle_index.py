"""The label order within a type and within a level, for the listing's two filters (see
`Formation.Meta.indexes`)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('formations', '0007_collation_fr'),
        ('portal', '0007_collation_fr_references'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='formation',
            index=models.Index(fields=['type', 'libelle', 'id'], name='formation_type_libelle_idx'),
        ),
        migrations.AddIndex(
            model_name='formation',
            index=models.Index(fields=['niveau', 'libelle', 'id'], name='formation_niveau_libelle_idx'),
        ),
    ]
