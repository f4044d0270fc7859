"""What the fiche and the cards show, as the templates' filters and functions (see
`portal.jinja2`): safe HTML sections, level scale, salary bars."""

import functools
import math

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from core.collation import sort_key
from core.libelles import libelle
from core.sanitize import clean_html
from core.typographie import insecables
from formations.models import Formation
from metiers.models import Appellation, Salaire
from metiers.search import html_to_text

RANGS = range(9)
DEVISES = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
PAYS = {"FR": "en France", "US": "aux États-Unis", "GB": "au Royaume-Uni", "CH": "en Suisse",
        "DE": "en Allemagne", "CA": "au Canada"}


def sanitize(markup):
    """A fiche section as HTML, with only the tags the sanitiser keeps and French spacing."""
    return mark_safe(insecables(clean_html(markup or "")))  # noqa: S308 — clean_html is the sanitiser


def resume(markup, words=28):
    """The plain text of an HTML section, cut after a few words (for cards)."""
    text = html_to_text(markup).split()
    if len(text) <= words:
        return insecables(" ".join(text))
    return insecables(" ".join(text[:words]).rstrip(".,;:« ") + "…")


def euros(amount):
    """An amount with French digit grouping (2 830), without its currency."""
    return number_format(amount, 0, force_grouping=True)


def _etat(rang_marche, rang):
    if rang is None or rang_marche < rang:
        return "dessous"
    return "atteint" if rang_marche == rang else "au-dessus"


def echelle_niveau(niveau, compact=False):
    """The access level on a bac → bac + 8 scale: below it, the level itself, above it.

    Its markup depends only on the level and the size, and a listing draws it on every
    card: each variant is rendered once per process. On cards (``compact``) it is one
    element named by the rank, whose steps the style sheet draws: nine SVG steps on each
    of twenty cards were two fifths of a listing's markup.
    """
    key = (niveau.rang, niveau.libelle) if niveau else None
    return _echelle_html(key, bool(compact))


@functools.lru_cache(maxsize=64)
def _echelle_html(niveau, compact):
    rang, libelle = niveau or (None, None)
    width = 11 if compact else 28
    marches = [
        {
            "x": i * width,
            "etat": _etat(i, rang),
            "label": "bac" if i == 0 else f"+{i}",
            "label_x": i * width + (width - 2) // 2,
        }
        for i in RANGS
    ]
    # The template's output is escaped markup (Jinja2 returns it as a plain string).
    return mark_safe(render_to_string("includes/echelle_niveau.html", {  # noqa: S308
        "libelle": libelle, "marches": marches, "compact": compact,
        "rang": rang if rang in RANGS else None,
        "width": width - 2, "total": width * len(RANGS),
    }))


def intitules(appellations):
    """Split a fiche's appellations into feminine, masculine and other titles."""
    groups = {"feminin": [], "masculin": [], "autres": []}
    for appellation in appellations:
        if appellation.principale and appellation.genre == Appellation.Genre.FEMININ:
            groups["feminin"].append(appellation)
        elif appellation.principale and appellation.genre == Appellation.Genre.MASCULIN:
            groups["masculin"].append(appellation)
        else:
            groups["autres"].append(appellation)
    return groups


TYPE_ORDER = {value: index for index, value in enumerate(Formation.Type.values)}


def par_type(formations):
    """Formations grouped by kind of diploma, kinds in the order of `Formation.Type`."""
    groups = {}
    for formation in sorted(formations, key=lambda f: (TYPE_ORDER[f.type], sort_key(f.libelle))):
        groups.setdefault(libelle(formation, "type"), []).append(formation)
    return list(groups.items())


def sources_fiche(metier):
    """The fiche's sources and those of its salary figures, each once, by title (from
    `metiers.references.tag_metiers`)."""
    return sorted(metier.sources_citees, key=lambda source: sort_key(source.titre))


def _montant(amount, symbole):
    # A no-break space keeps the amount and its currency on one line.
    return f"{euros(amount)}\u00a0{symbole}"


def _fourchette(low, high, symbole):
    if low is not None and high is not None:
        return f"{_montant(low, symbole)} à {_montant(high, symbole)}"
    if low is not None:
        return f"à partir de {_montant(low, symbole)}"
    return f"jusqu'à {_montant(high, symbole)}"


def _echelle(montants):
    """A round top of the scale, just above the largest monthly amount."""
    top = max(montants, default=1) or 1
    step = 10 ** max(int(math.log10(top)) - 1, 0) * 5
    return math.ceil(top * 1.05 / step) * step


def salaires(salaires):
    """Each salary figure as a sentence and a bar on a monthly scale shared per currency:
    the lines of ``includes/salaires.html``."""
    experiences = Salaire.Experience.values
    salaires = sorted(salaires, key=lambda s: (s.pays != "FR", experiences.index(s.experience), s.pk))
    echelles = {}
    for salaire in salaires:
        echelles.setdefault(salaire.devise, []).extend(
            m for m in (salaire.mensuel_min, salaire.mensuel_max) if m is not None
        )
    echelles = {devise: _echelle(montants) for devise, montants in echelles.items()}
    lignes = []
    for salaire in salaires:
        symbole = DEVISES.get(salaire.devise, salaire.devise)
        top = echelles[salaire.devise]
        low, high = salaire.mensuel_min, salaire.mensuel_max
        debut = 0 if low is None else low / top * 100
        fin = 100 if high is None else high / top * 100
        lignes.append({
            "salaire": salaire,
            "montant": _fourchette(salaire.montant_min, salaire.montant_max, symbole),
            "mensuel": _fourchette(low, high, symbole)
            if salaire.periode == salaire.Periode.ANNUEL else "",
            "pays": PAYS.get(salaire.pays, f"pays : {salaire.pays}"),
            "echelle": _montant(top, symbole),
            # Strings: the French locale would write the decimals with a comma, which SVG rejects.
            "x": f"{debut:.2f}",
            "largeur": f"{max(fin - debut, 1):.2f}",
            "ouvert": "bas" if low is None else "haut" if high is None else "",
        })
    return lignes
