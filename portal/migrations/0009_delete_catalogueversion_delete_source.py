"""Sources and the catalogue version left for their own apps (sources, core): their
content types, and so the permissions the staff groups hold on them, go with them."""

from django.db import migrations

MOVED = {"source": "sources", "catalogueversion": "core"}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not ContentType.objects.filter(app_label=app_label, model=model).exists():
            ContentType.objects.filter(app_label="portal", model=model).update(app_label=app_label)


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model=model).update(app_label="portal")


class Migration(migrations.Migration):

    dependencies = [
        ('formations', '0009_alter_formation_sources'),
        ('metiers', '0011_alter_metier_sources_alter_salaire_source'),
        ('portal', '0008_source_nature_sans_synthetique'),
        ('core', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(
                name='CatalogueVersion',
            ),
            migrations.DeleteModel(
                name='Source',
            ),
        ]),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
