"""Sources moved to their own app; the link table and the salary column are unchanged."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metiers', '0010_vecteur_titres'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='metier',
                name='sources',
                field=models.ManyToManyField(blank=True, related_name='metiers', to='sources.source', verbose_name='sources'),
            ),
            migrations.AlterField(
                model_name='salaire',
                name='source',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='salaires', to='sources.source', verbose_name='source'),
            ),
        ]),
    ]
