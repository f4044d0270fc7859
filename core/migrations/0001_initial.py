"""The catalogue version moves here from the portal app: its table stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0008_source_nature_sans_synthetique'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='CatalogueVersion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveBigIntegerField(default=1)),
                ],
                options={
                    'verbose_name': 'version du catalogue',
                    'verbose_name_plural': 'version du catalogue',
                    'db_table': 'portal_catalogueversion',
                },
            ),
        ]),
    ]
