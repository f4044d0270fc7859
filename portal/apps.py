from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"

    def ready(self):
        from core.cache import bump_catalogue_version

        # Single saves and deletes of catalogue rows, from the admin or elsewhere;
        # bulk writers (imports, fixtures) call bump_catalogue_version() themselves.
        for label in ("metiers", "formations"):
            for model in self.apps.get_app_config(label).get_models():
                post_save.connect(bump_catalogue_version, sender=model, dispatch_uid=f"cache-save-{model._meta.label}")
                post_delete.connect(bump_catalogue_version, sender=model, dispatch_uid=f"cache-del-{model._meta.label}")
        # A source named on the pages; deleting one also unlinks it from every fiche,
        # which sends no m2m_changed.
        post_save.connect(bump_catalogue_version, sender="sources.Source", dispatch_uid="cache-save-source")
        post_delete.connect(bump_catalogue_version, sender="sources.Source", dispatch_uid="cache-del-source")
        m2m_changed.connect(_bump_on_catalogue_m2m, dispatch_uid="cache-m2m")


def _bump_on_catalogue_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_") and instance._meta.app_label in ("metiers", "formations"):
        from core.cache import bump_catalogue_version

        bump_catalogue_version()
