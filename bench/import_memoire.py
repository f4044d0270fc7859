"""Wall time and peak memory of `manage.py import_fiches` on a large synthetic Idéo export.

    .venv/bin/python bench/import_memoire.py                  # one export of about 200 Mo
    .venv/bin/python bench/import_memoire.py --mo 5 --mo 10   # the sizes to measure
    .venv/bin/python bench/import_memoire.py --projet /tmp/autre-version

For each size, bench/ideo_generate.py writes the export (same seed, same file) and
`manage.py import_fiches` imports it in a subprocess into a new SQLite database, then imports
it again (nothing changes). Printed for each import: the wall time and the peak resident
memory of that subprocess alone (its rusage, from os.wait4). --projet measures the
manage.py of another copy of the project (a `git worktree` of an earlier commit) on the same
files.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ideo_generate import ROOT, ecrire_export  # noqa: E402  (sets Django up)

ETAPES = ("premier import", "ré-import sans changement")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mo", type=float, action="append", help="taille de l'export en Mo (répétable ; 200 par défaut)")
    parser.add_argument("--projet", type=Path, default=ROOT, help="dossier du projet dont on lance manage.py")
    args = parser.parse_args()
    manage = args.projet.resolve() / "manage.py"
    with tempfile.TemporaryDirectory() as dossier:
        dossier = Path(dossier)
        octets_par_fiche = _octets_par_fiche(dossier / "echantillon.xml")
        print(f"{manage} — SQLite")
        for mo in args.mo or [200]:
            export = dossier / f"ideo-{mo:g}mo.xml"
            fiches = round(mo * 1024 * 1024 / octets_par_fiche)
            ecrire_export(export, fiches)
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{dossier / f'base-{mo:g}mo.sqlite3'}", "DEBUG": "0"}
            _lancer([sys.executable, str(manage), "migrate", "--noinput"], env)
            for etape in ETAPES:
                duree, pic, bilan = _lancer([sys.executable, str(manage), "import_fiches", "--verbosity", "0", str(export)], env)
                print(f"{export.stat().st_size / 1024 / 1024:.0f} Mo ({fiches} fiches), {etape} : "
                      f"{duree:.1f} s, pic de mémoire {pic:.0f} Mo — {bilan}", flush=True)


def _octets_par_fiche(chemin, fiches=1000):
    ecrire_export(chemin, fiches)
    return chemin.stat().st_size / fiches


def _lancer(commande, env):
    """Run a command; return its wall time, its peak resident memory in Mo, and its count of métiers."""
    with tempfile.TemporaryFile() as sortie:
        debut = time.perf_counter()
        processus = subprocess.Popen(commande, env=env, stdout=sortie, stderr=subprocess.STDOUT)
        # wait4 gives the rusage of this child alone; RUSAGE_CHILDREN would be the largest of all.
        _, statut, usage = os.wait4(processus.pid, 0)
        duree = time.perf_counter() - debut
        processus.returncode = os.waitstatus_to_exitcode(statut)
        sortie.seek(0)
        texte = sortie.read().decode(errors="replace")
    if processus.returncode:
        sys.exit(f"échec de {' '.join(commande)} :\n{texte[-3000:]}")
    # ru_maxrss is in kibibytes on Linux.
    return duree, usage.ru_maxrss / 1024, next((ligne for ligne in texte.splitlines() if ligne.startswith("métiers :")), "")


if __name__ == "__main__":
    main()
