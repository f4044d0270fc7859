"""Formation labels in French alphabetical order (see core.collation). The listing's index
is on the label itself: the collation already puts upper and lower case together."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('formations', '0006_vecteur_stocke'),
        ('portal', '0006_collation_fr'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='formation',
            name='formation_libelle_lower_idx',
        ),
        migrations.AlterField(
            model_name='formation',
            name='libelle',
            field=models.CharField(db_collation='fr', max_length=400, verbose_name='libellé'),
        ),
        migrations.AddIndex(
            model_name='formation',
            index=models.Index(fields=['libelle', 'id'], name='formation_libelle_idx'),
        ),
    ]
