"""Labels of the reference tables in French alphabetical order (see core.collation), as the
administration lists them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metiers', '0006_collation_fr'),
    ]

    operations = [
        migrations.AlterField(
            model_name='centreinteret',
            name='libelle',
            field=models.CharField(db_collation='fr', max_length=200, unique=True, verbose_name='libellé'),
        ),
        migrations.AlterField(
            model_name='secteur',
            name='libelle',
            field=models.CharField(db_collation='fr', max_length=200, unique=True, verbose_name='libellé'),
        ),
        migrations.AlterField(
            model_name='statut',
            name='libelle',
            field=models.CharField(db_collation='fr', max_length=200, unique=True, verbose_name='libellé'),
        ),
    ]
