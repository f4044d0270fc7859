"""Two to four métiers side by side, their salaries on one shared scale per currency.

Sources disagree and state salaries differently (per month or per year, gross or
net): every figure is drawn as its source gives it, yearly amounts divided by 12
so that all share a monthly scale. A currency never shares another's scale.
"""

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.formats import number_format

from core.collation import sort_key
from core.methods import SAFE, allow_methods
from formations.models import Formation

from .filters import SLUG
from .models import Metier, Salaire
from .rendering import DEVISES, _fourchette

MIN_METIERS, MAX_METIERS = 2, 4
EXPERIENCE_ORDER = [choice.value for choice in Salaire.Experience]

# Geometry of the salary chart, in SVG user units.
CHART_WIDTH = 640
LABEL_HEIGHT = 16
BAR_HEIGHT = 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 10
AXIS_HEIGHT = 24


def comparable_metiers(slugs):
    """The published métiers among ``slugs``, with everything the comparison shows."""
    return (
        Metier.objects.published()
        .filter(slug__in=slugs)
        .select_related("niveau_acces")
        .prefetch_related(
            Prefetch("salaires", queryset=Salaire.objects.select_related("source")),
            Prefetch("formations", queryset=Formation.objects.with_niveau()),
            "centres_interet",
            "statuts",
            "secteurs",
        )
    )


def fourchette(salaire):
    """A salary figure in words, as its source states it, and per month if given per year."""
    symbole = DEVISES.get(salaire.devise, salaire.devise)
    text = (
        f"{_fourchette(salaire.montant_min, salaire.montant_max, symbole)} "
        f"{salaire.get_periode_display()}, {salaire.get_nature_display()}"
    )
    if salaire.periode == Salaire.Periode.ANNUEL:
        text += f" (soit {_fourchette(salaire.mensuel_min, salaire.mensuel_max, symbole)} par mois)"
    return text


def _nice_step(top):
    """A round tick step giving four to eight ticks up to ``top``."""
    magnitude = 10 ** max(int(math.log10(top / 4)), 0)
    for factor in (1, 2, 2.5, 5, 10):
        if top / (factor * magnitude) <= 8:
            return int(factor * magnitude)
    return 10 * magnitude


@dataclass
class Barre:
    metier: Metier
    salaire: Salaire
    y: int
    x: float = 0
    largeur: float = 0

    @property
    def libelle_y(self):
        return self.y + LABEL_HEIGHT - 3

    @property
    def barre_y(self):
        return self.y + LABEL_HEIGHT + 1

    @property
    def ouverte(self):
        return self.salaire.montant_min is None or self.salaire.montant_max is None


@dataclass
class Echelle:
    """One SVG chart: every figure of one currency, per month, on the same axis."""

    devise: str
    barres: list = field(default_factory=list)
    graduations: list = field(default_factory=list)
    maximum: int = 0
    largeur = CHART_WIDTH
    hauteur_barre = BAR_HEIGHT

    @property
    def symbole(self):
        return DEVISES.get(self.devise, self.devise)

    @property
    def hauteur(self):
        return len(self.barres) * ROW_HEIGHT + AXIS_HEIGHT

    @property
    def axe_y(self):
        return len(self.barres) * ROW_HEIGHT

    def place(self):
        """Set the scale's top, its ticks, and where each bar starts and ends."""
        amounts = [
            amount
            for barre in self.barres
            for amount in (barre.salaire.mensuel_min, barre.salaire.mensuel_max)
            if amount is not None
        ]
        top = max(*amounts, 1)
        step = _nice_step(top)
        self.maximum = step * math.ceil(top * 1.05 / step)
        ratio = CHART_WIDTH / self.maximum
        self.graduations = [
            {"x": round(value * ratio, 1), "texte": number_format(value, 0, force_grouping=True)}
            for value in range(0, self.maximum + 1, step)
        ]
        for barre in self.barres:
            low = barre.salaire.mensuel_min or 0
            high = barre.salaire.mensuel_max or self.maximum
            barre.x = round(low * ratio, 1)
            barre.largeur = round(max((high - low) * ratio, 2), 1)


@dataclass
class Colonne:
    """One métier of the comparison, its salary figures sorted by experience, in words."""

    metier: Metier
    debutant: list = field(default_factory=list)
    confirme: list = field(default_factory=list)
    autres: list = field(default_factory=list)

    @classmethod
    def of(cls, metier):
        colonne = cls(metier)
        for salaire in metier.salaires.all():
            group = salaire.experience if salaire.experience in ("debutant", "confirme") else "autres"
            getattr(colonne, group).append((salaire, fourchette(salaire)))
        return colonne


@dataclass
class Comparaison:
    metiers: list
    problemes: list
    status: int = 200
    colonnes: list = field(default_factory=list)
    echelles: list = field(default_factory=list)
    formations_communes: list = field(default_factory=list)
    centres_communs: set = field(default_factory=set)


def _echelles(metiers):
    echelles = {}
    for metier in metiers:
        salaires = sorted(metier.salaires.all(), key=lambda s: EXPERIENCE_ORDER.index(s.experience))
        for salaire in salaires:
            echelle = echelles.setdefault(salaire.devise, Echelle(salaire.devise))
            echelle.barres.append(Barre(metier, salaire, y=len(echelle.barres) * ROW_HEIGHT))
    # The euro first: nearly every figure is in euros.
    ordered = sorted(echelles.values(), key=lambda e: (e.devise != "EUR", e.devise))
    for echelle in ordered:
        echelle.place()
    return ordered


def _formations_communes(metiers):
    """Formations recommended for at least two of the métiers, with the métiers that share them."""
    counts = Counter(f.pk for metier in metiers for f in metier.formations.all())
    shared = {}
    for metier in metiers:
        for formation in metier.formations.all():
            if counts[formation.pk] > 1:
                shared.setdefault(formation.pk, (formation, []))[1].append(metier)
    return sorted(shared.values(), key=lambda item: (-len(item[1]), sort_key(item[0].libelle)))


def compare(raw_slugs):
    """Compare the métiers named in the address, or say why that cannot be done."""
    slugs = list(dict.fromkeys(slug.strip() for slug in raw_slugs if slug.strip()))
    if len(slugs) > MAX_METIERS:
        return Comparaison([], [f"Vous avez choisi {len(slugs)} métiers : on en compare {MAX_METIERS} au plus. "
                                "Retirez-en de l'adresse ou de votre sélection."], status=400)
    # A value that cannot be a fiche's address names no fiche: the database is not asked
    # (PostgreSQL refuses a NUL byte in a query).
    found = {m.slug: m for m in comparable_metiers([s for s in slugs if SLUG.fullmatch(s)])}
    metiers = [found[slug] for slug in slugs if slug in found]
    problemes = [_inconnu(slug) for slug in slugs if slug not in found]
    status = 200
    if len(metiers) < MIN_METIERS:
        problemes.append(
            f"Il faut au moins {MIN_METIERS} métiers publiés pour comparer "
            f"({len(metiers)} reconnu{'s' if len(metiers) > 1 else ''})."
        )
        status = 404 if len(slugs) >= MIN_METIERS else 400
        return Comparaison(metiers, problemes, status=status)
    centres = [{c.pk for c in metier.centres_interet.all()} for metier in metiers]
    return Comparaison(
        metiers,
        problemes,
        colonnes=[Colonne.of(metier) for metier in metiers],
        echelles=_echelles(metiers),
        formations_communes=_formations_communes(metiers),
        centres_communs=set.intersection(*centres),
    )


def _inconnu(value):
    """Why ``value`` is ignored, quoting it without its control characters, and not whole."""
    shown = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")[:80]
    if not shown.strip():
        return "Une valeur de l'adresse ne correspond à aucune fiche publiée : elle est ignorée."
    return f"Aucune fiche publiée ne correspond à « {shown} » : elle est ignorée."


@allow_methods(SAFE)
def metier_compare(request):
    comparaison = compare(request.GET.getlist("m"))
    return render(
        request, "metiers/compare.html",
        {"comparaison": comparaison, "max_metiers": MAX_METIERS, "adresse_avec_parametres": True},
        status=comparaison.status,
    )
