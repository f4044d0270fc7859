"""Sources move here from the portal app: their table stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0008_source_nature_sans_synthetique'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Source',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.SlugField(max_length=80, unique=True, verbose_name='code')),
                    ('titre', models.CharField(db_collation='fr', max_length=300, verbose_name='titre')),
                    ('nature', models.CharField(choices=[('fiche_onisep', 'fiche métier ONISEP'), ('export_onisep', 'export open data ONISEP'), ('article', 'article'), ('saisie', 'saisie éditoriale')], max_length=20, verbose_name='nature')),
                    ('editeur', models.CharField(blank=True, max_length=200, verbose_name='éditeur')),
                    ('url', models.URLField(blank=True, verbose_name='adresse')),
                    ('licence', models.CharField(blank=True, max_length=200, verbose_name='licence')),
                    ('fichier', models.CharField(blank=True, help_text='Nom du fichier dont les faits ont été tirés.', max_length=300, verbose_name="fichier d'origine")),
                    ('consulte_le', models.DateField(blank=True, null=True, verbose_name='consulté le')),
                ],
                options={
                    'verbose_name': 'source',
                    'verbose_name_plural': 'sources',
                    'db_table': 'portal_source',
                    'ordering': ['titre', 'pk'],
                },
            ),
        ]),
    ]
