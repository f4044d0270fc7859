from django.apps import AppConfig


class MetiersConfig(AppConfig):
    name = "metiers"
    verbose_name = "Métiers"
