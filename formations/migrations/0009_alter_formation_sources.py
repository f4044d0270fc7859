"""Sources moved to their own app; the link table is unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('formations', '0008_type_niveau_libelle_index'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='formation',
                name='sources',
                field=models.ManyToManyField(blank=True, related_name='formations', to='sources.source', verbose_name='sources'),
            ),
        ]),
    ]
