from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core.cache import bump_catalogue_version
from formations.models import Formation
from metiers.models import Metier
from sources.models import Source

FIXTURE = "fixtures/portail.json"


class Command(BaseCommand):
    help = (
        "Charge les fiches de départ (fixtures/portail.json) dans une base vide, puis "
        "recalcule l'index de recherche. Sur une base déjà remplie, ne touche à rien, "
        "pour ne pas écraser le travail des éditeurs (--force pour recharger)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Recharge les fiches de départ même si la base en contient déjà.",
        )

    def handle(self, *args, force=False, **options):
        if not force and (Source.objects.exists() or Metier.objects.exists()):
            self.stdout.write("Données déjà présentes : rien à charger (--force pour recharger).")
            return
        with transaction.atomic():
            call_command("loaddata", FIXTURE, verbosity=0)
            count = Metier.objects.all().refresh_derived_columns()
            Formation.objects.all().refresh_search_vector()
            bump_catalogue_version()
        self.stdout.write(self.style.SUCCESS(f"Fiches de départ chargées : {count} métiers indexés."))
