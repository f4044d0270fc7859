from django.db import migrations

# The roles as they stood when this migration was written (see portal.roles); sources
# were then a model of this app (migration 0009 moves them with their permissions).
CONTENT_MODELS = {
    "metiers": ["metier", "appellation", "salaire", "centreinteret", "secteur", "statut", "lienenattente"],
    "formations": ["formation", "niveau"],
    "portal": ["source"],
}
ROLE_ACTIONS = {
    "Éditeurs": ["view", "add", "change", "delete"],
    "Conseillers": ["view"],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLE_ACTIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            f"{action}_{model}" for models in CONTENT_MODELS.values() for model in models for action in actions
        ]
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=CONTENT_MODELS, codename__in=codenames
            )
        )


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_ACTIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("metiers", "0001_initial"),
        ("formations", "0002_niveaux"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
