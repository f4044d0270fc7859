"""The title index carries the publication (PostgreSQL), so that a page of the listing's
default order reads its ids from the index alone (see Metier.Meta.indexes)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metiers', '0007_collation_fr_references'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='metier',
            name='metier_titre_idx',
        ),
        migrations.AddIndex(
            model_name='metier',
            index=models.Index(fields=['titre', 'id'], include=('publication',), name='metier_titre_idx'),
        ),
    ]
