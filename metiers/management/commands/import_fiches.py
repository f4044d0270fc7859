from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metiers.importers import ImportRefuse, importer_fichiers
from metiers.models import Metier


class Command(BaseCommand):
    help = (
        "Importe des fiches métiers : fiches au format texte structuré ou export ONISEP "
        "Idéo-Fiches métiers (XML), reconnus à leur contenu. Les dossiers sont parcourus "
        "récursivement. Tout ou rien : un seul fichier invalide et rien n'est écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("chemins", nargs="+", metavar="CHEMIN", help="Fichiers ou dossiers à importer.")
        parser.add_argument("--dry-run", action="store_true", help="Vérifie et compte sans rien écrire.")
        parser.add_argument(
            "--ecraser", action="store_true",
            help="Remplace aussi les champs modifiés à la main depuis le dernier import.",
        )
        etat = parser.add_mutually_exclusive_group()
        etat.add_argument("--publier", dest="publication", action="store_const", const=Metier.Publication.PUBLIE,
                          help="Publie tous les métiers importés.")
        etat.add_argument("--brouillon", dest="publication", action="store_const",
                          const=Metier.Publication.BROUILLON, help="Met tous les métiers importés en brouillon.")

    def handle(self, *args, chemins, dry_run, ecraser, publication, verbosity, **options):
        def progression(faites, total):
            if verbosity >= 1:
                self.stderr.write(f"… {faites}/{total} fiches")

        contenus = ((str(chemin), chemin, explicite) for chemin, explicite in self._fichiers(chemins))
        try:
            rapport, ignores = importer_fichiers(
                contenus, publication=publication, ecraser=ecraser, dry_run=dry_run, progression=progression
            )
        except ImportRefuse as refus:
            raise CommandError(
                f"Import refusé, rien n'a été écrit ({len(refus.erreurs)} fichier(s) refusé(s)) :\n{refus}"
            ) from refus
        if verbosity >= 1:
            for message in ignores:
                self.stderr.write(f"Ignoré : {message}")
        for message in rapport.avertissements + rapport.conflits:
            self.stdout.write(message)
        if dry_run:
            self.stdout.write("Essai à blanc : rien n'a été écrit.")
        self.stdout.write("\n".join(rapport.lignes()))

    def _fichiers(self, chemins):
        """(path, named explicitly): directories are walked, hidden files skipped."""
        for chemin in map(Path, chemins):
            if chemin.is_dir():
                for fichier in sorted(chemin.rglob("*")):
                    if fichier.is_file() and not any(p.startswith(".") for p in fichier.relative_to(chemin).parts):
                        yield fichier, False
            elif chemin.is_file():
                yield chemin, True
            else:
                raise CommandError(f"{chemin} : fichier ou dossier introuvable")
