"""Time and count the SQL queries of importing a synthetic Idéo export of 1 500 fiches.

    .venv/bin/python bench/import_bench.py            # SQLite (or whatever DATABASE_URL says)
    DATABASE_URL=postgres://… .venv/bin/python bench/import_bench.py

Runs in a throwaway test database created next to the one DATABASE_URL names, so the
development data is not touched: a first import, the same file again (nothing changes), then
a file where every fiche changed.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from ideo_generate import ecrire_export  # noqa: E402  (sets Django up)

from metiers.models import Appellation, Metier  # noqa: E402

LIMITE_SECONDES = 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as dossier:
        export = Path(dossier) / "ideo-synthetique.xml"
        ecrire_export(export, args.fiches)
        print(f"{connection.vendor}, {args.fiches} fiches ({export.stat().st_size // 1024} Kio)")
        nom_origine = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            for etape in ("premier import", "ré-import sans changement"):
                _mesurer(etape, export)
            # Worst case: every fiche of the file rewritten (other titles, texts, formations, links).
            ecrire_export(export, args.fiches, graine=2)
            _mesurer("ré-import d'un export entièrement modifié", export)
            print(f"en base : {Metier.objects.count()} métiers, {Appellation.objects.count()} appellations")
        finally:
            connection.creation.destroy_test_db(nom_origine, verbosity=0)


def _mesurer(etape, export):
    with CaptureQueriesContext(connection) as requetes:
        debut = time.perf_counter()
        call_command("import_fiches", str(export), verbosity=0, stdout=open("/dev/null", "w"))
        duree = time.perf_counter() - debut
    verdict = "ok" if duree < LIMITE_SECONDES else f"TROP LENT (limite {LIMITE_SECONDES} s)"
    print(f"{etape} : {duree:.1f} s, {len(requetes)} requêtes SQL — {verdict}")


if __name__ == "__main__":
    main()
