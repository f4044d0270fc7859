"""Full-text search support on PostgreSQL (filled in by the search work)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("metiers", "0001_initial")]

    operations = []
