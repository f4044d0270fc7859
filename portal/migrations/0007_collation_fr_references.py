"""Source titles in French alphabetical order (see core.collation), as the sources page lists them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0006_collation_fr'),
    ]

    operations = [
        migrations.AlterField(
            model_name='source',
            name='titre',
            field=models.CharField(db_collation='fr', max_length=300, verbose_name='titre'),
        ),
    ]
