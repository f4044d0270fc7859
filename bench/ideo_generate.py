"""Write a synthetic ONISEP "Idéo-Fiches métiers" XML export, for the import benchmark.

    .venv/bin/python bench/ideo_generate.py --fiches 1500 --sortie /tmp/ideo-1500.xml

The fiches are fictitious (ids from MET.100000 on) but shaped like the real export: titles
built from the word lists of `generate_catalogue`, 5–30 formations per fiche drawn from a
shared pool, interests, sectors and statuses with ONISEP-like ids, related métiers (a few
of them absent from the file), HTML sections with a beginner salary. Same seed, same file.
"""

import argparse
import os
import random
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from metiers.management.commands.generate_catalogue import (  # noqa: E402
    CITIES,
    CONTEXTS,
    DOMAINS,
    FORMATION_KINDS,
    INTERESTS,
    NOUNS,
    SECTORS,
    STATUSES,
)

PREMIER_ID = 100000
NIVEAUX = ["Bac + 2", "bac + 3", "Bac + 5", "Bac+5", "Bac + 8"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=1500)
    parser.add_argument("--sortie", type=Path, default=Path("/tmp/ideo-synthetique.xml"))
    parser.add_argument("--graine", type=int, default=1)
    args = parser.parse_args()
    ecrire_export(args.sortie, args.fiches, args.graine)
    print(f"{args.fiches} fiches écrites dans {args.sortie} ({args.sortie.stat().st_size // 1024} Kio)")


def ecrire_export(chemin, fiches, graine=1):
    rng = random.Random(graine)
    formations = _formations(rng, max(200, fiches * 2))
    with chemin.open("w", encoding="utf-8") as sortie:
        sortie.write('<?xml version="1.0" encoding="UTF-8"?>\n<metiers>\n')
        for numero in range(fiches):
            sortie.write(_fiche(rng, numero, fiches, formations))
        sortie.write("</metiers>\n")


def _formations(rng, nombre):
    pool = []
    for numero in range(nombre):
        prefixe = rng.choice(FORMATION_KINDS)[0]
        libelle = f"{prefixe} {rng.choice(DOMAINS)} ({rng.choice(CITIES)})"
        pool.append((f"FOR.{20000 + numero}", libelle))
    return pool


def _fiche(rng, numero, total, formations):
    neutre, feminin, masculin = rng.choice(NOUNS)
    domaine = rng.choice(DOMAINS) + rng.choice(CONTEXTS)
    titre = f"{neutre} {domaine}"
    salaire = sorted(rng.sample(range(1800, 4200, 10), 2), reverse=rng.random() < 0.5)
    associes = [
        f"MET.{PREMIER_ID + rng.randrange(total + total // 20)}" for _ in range(rng.randint(0, 5))
    ]
    synonymes = [f"{rng.choice(NOUNS)[0]} {rng.choice(DOMAINS)}" for _ in range(rng.randint(0, 3))]
    return f"""  <metier>
    <identifiant>MET.{PREMIER_ID + numero}</identifiant>
    <nom_metier>{escape(titre)}</nom_metier>
    <libelle_feminin>{escape(f"{feminin} {domaine}")}</libelle_feminin>
    <libelle_masculin>{escape(f"{masculin} {domaine}")}</libelle_masculin>
    <synonymes>{"".join(f"<synonyme>{escape(s)}</synonyme>" for s in synonymes)}</synonymes>
    <romesV3><romeV3>M{1800 + numero % 99}</romeV3></romesV3>
    <competences>{_html(f"<h4>Savoir-faire</h4><p>Maîtrise de {domaine}.</p><ul><li>Rigueur</li><li>Anglais</li></ul>")}</competences>
    <condition_travail>{_html("<p>En équipe projet, avec des déplacements ponctuels.</p>")}</condition_travail>
    <nature_travail>{_html(f"<h4>Concevoir</h4><p>Le ou la {escape(titre)} conçoit et améliore des systèmes.</p>")}</nature_travail>
    <acces_metier>{_html("<p>Un diplôme d'ingénieur ou un master est demandé.</p>")}</acces_metier>
    <vie_professionnelle>{_html(f"<h5>Salaire du débutant</h5><p>Entre {salaire[0]} et {salaire[1]} euros brut par mois</p><h5>Qui recrute ?</h5><p>Grands groupes et PME.</p>")}</vie_professionnelle>
    <accroche_metier>{_html(f"<p>Au cœur de {escape(domaine)}, un métier d'avenir.</p>")}</accroche_metier>
    <formats_courts/>
    <statuts>{_items(rng, "statut", [(f"T-ITM.{i}", s) for i, s in enumerate(STATUSES)], 1, 2)}</statuts>
    <metiers_associes>{"".join(f"<metier_associe><id>{code}</id><libelle>métier associé</libelle></metier_associe>" for code in associes)}</metiers_associes>
    <niveau_acces_min><id>REF.42{numero % 5}</id><libelle>{rng.choice(NIVEAUX)}</libelle></niveau_acces_min>
    <formations_min_requise>{_items(rng, "formation_min_requise", formations, 5, 30)}</formations_min_requise>
    <publications/>
    <sources_numeriques/>
    <secteurs_activite>{_items(rng, "secteur_activite", [(f"T-IDEO2.{100 + i}", s) for i, s in enumerate(SECTORS)], 1, 4)}</secteurs_activite>
    <centres_interet>{_items(rng, "centre_interet", [(f"T-IDEO2.{4800 + i}", s) for i, s in enumerate(INTERESTS)], 1, 3)}</centres_interet>
  </metier>
"""


def _html(markup):
    """The export carries its HTML as escaped text."""
    return escape(markup)


def _items(rng, balise, pool, minimum, maximum):
    return "".join(
        f"<{balise}><id>{code}</id><libelle>{escape(libelle)}</libelle></{balise}>"
        for code, libelle in rng.sample(pool, rng.randint(minimum, maximum))
    )


if __name__ == "__main__":
    main()
