from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Commun"

    def ready(self):
        from . import collation  # noqa: F401  (registers the French collation on SQLite connections)
