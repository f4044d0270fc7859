from django.db import migrations

from core.collation import NAME, POSTGRESQL_CREATE


def create(apps, schema_editor):
    # SQLite gets its collation from each connection (core.collation).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP COLLATION IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0005_version_aleatoire"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
