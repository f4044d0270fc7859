"""Small builders for tests: a catalogue of many fully linked métiers in a few bulk queries."""

from dataclasses import dataclass, field

from formations.models import Formation
from metiers.models import Appellation, CentreInteret, Metier, Salaire, Secteur, Statut
from sources.models import Source


@dataclass
class Catalogue:
    metiers: list
    centres: list = field(default_factory=list)
    secteurs: list = field(default_factory=list)
    statuts: list = field(default_factory=list)
    formations: list = field(default_factory=list)
    source: Source | None = None


def make_references():
    """Three interests, three sectors, two statuses, three formations and one source."""
    centres = CentreInteret.objects.bulk_create(
        CentreInteret(libelle=f"centre {name}", slug=f"centre-{name}") for name in ("a", "b", "c")
    )
    secteurs = Secteur.objects.bulk_create(
        Secteur(libelle=f"secteur {name}", slug=f"secteur-{name}") for name in ("a", "b", "c")
    )
    statuts = Statut.objects.bulk_create(
        Statut(libelle=f"statut {name}", slug=f"statut-{name}") for name in ("a", "b")
    )
    formations = Formation.objects.bulk_create(
        Formation(libelle=f"formation {name}", slug=f"formation-{name}", type=kind, niveau_id=rang)
        for name, kind, rang in [
            ("a", Formation.Type.DIPLOME_INGENIEUR, 5),
            ("b", Formation.Type.MASTER, 5),
            ("c", Formation.Type.LICENCE, 3),
        ]
    )
    Formation.objects.all().refresh_search_vector()
    source = Source.objects.create(code="source-test", titre="Source de test", nature="article")
    return centres, secteurs, statuts, formations, source


def make_catalogue(count=60, *, titre="métier de test {i:02d}", publication=Metier.Publication.PUBLIE):
    """`count` métiers, each with every kind of relation, so that any N+1 query would show.

    Levels cycle over bac + 2 … bac + 8 and beginner salaries rise with the index.
    """
    centres, secteurs, statuts, formations, source = make_references()
    metiers = Metier.objects.bulk_create(
        Metier(
            titre=titre.format(i=i),
            slug=f"metier-{i:02d}",
            accroche="<p>Un métier <strong>passionnant</strong>.</p>",
            nature_travail="<p>Nature.</p>",
            niveau_acces_id=2 + i % 7,
            publication=publication,
        )
        for i in range(count)
    )
    through = Metier.centres_interet.through
    through.objects.bulk_create(
        through(metier=m, centreinteret=centres[i % 3]) for i, m in enumerate(metiers)
    )
    through = Metier.secteurs.through
    through.objects.bulk_create(through(metier=m, secteur=secteurs[i % 3]) for i, m in enumerate(metiers))
    through = Metier.statuts.through
    through.objects.bulk_create(through(metier=m, statut=statuts[i % 2]) for i, m in enumerate(metiers))
    through = Metier.formations.through
    through.objects.bulk_create(
        through(metier=m, formation=f) for m in metiers for f in formations
    )
    through = Metier.sources.through
    through.objects.bulk_create(through(metier=m, source=source) for m in metiers)
    # Symmetrical links, written both ways as Django would.
    through = Metier.metiers_associes.through
    pairs = list(zip(metiers, metiers[1:] + metiers[:1]))
    through.objects.bulk_create(
        [through(from_metier=a, to_metier=b) for a, b in pairs]
        + [through(from_metier=b, to_metier=a) for a, b in pairs],
        ignore_conflicts=True,
    )
    Appellation.objects.bulk_create(
        Appellation(metier=m, libelle=f"{m.titre} ({genre})", genre=genre, principale=True)
        for m in metiers
        for genre in (Appellation.Genre.FEMININ, Appellation.Genre.MASCULIN)
    )
    Salaire.objects.bulk_create(
        Salaire(
            metier=m, experience=Salaire.Experience.DEBUTANT, periode=Salaire.Periode.MENSUEL,
            nature=Salaire.Nature.BRUT, montant_min=2000 + 10 * i, montant_max=3000 + 10 * i,
            source=source,
        )
        for i, m in enumerate(metiers)
    )
    Metier.objects.all().refresh_derived_columns()
    return Catalogue(metiers, centres, secteurs, statuts, formations, source)


