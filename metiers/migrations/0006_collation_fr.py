"""Métier titles in French alphabetical order (see core.collation); PostgreSQL rebuilds
their indexes in that order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metiers', '0005_salaire_debutant'),
        ('portal', '0006_collation_fr'),
    ]

    operations = [
        migrations.AlterField(
            model_name='metier',
            name='titre',
            field=models.CharField(db_collation='fr', help_text="Forme neutre et inclusive, par exemple « ingénieur/e traitement de l'image ».", max_length=300, verbose_name='intitulé'),
        ),
    ]
