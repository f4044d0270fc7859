"""The métiers listing as CSV and JSON: same filters and order as the page, stable columns.

The column order is part of the portal's documented interface (README, « Exports »):
new columns go at the end; none is ever reordered or renamed.
"""

from core.exports import Column, export_views, site_address
from sources.models import cited_payloads

from .filters import MetierFilterSet
from .models import Metier
from .references import tag_metiers
from .search import html_to_text


def _libelles(metier, kind):
    return [option.libelle for option in metier.etiquettes[kind]]


def metier_columns(request):
    site = site_address(request)
    return [
        Column("identifiant_onisep", lambda m: m.onisep_id or ""),
        Column("intitule", lambda m: m.titre),
        Column("adresse", lambda m: site + m.get_absolute_url()),
        Column("niveau_acces", lambda m: m.niveau_acces.libelle if m.niveau_acces else ""),
        Column("niveau_acces_annees_apres_bac", lambda m: m.niveau_acces_id),
        Column("salaire_debutant_brut_mensuel_eur", lambda m: m.salaire_debutant),
        Column("demande", lambda m: m.get_demande_display() if m.demande else ""),
        Column("centres_interet", lambda m: _libelles(m, "centre_interet")),
        Column("secteurs", lambda m: _libelles(m, "secteur")),
        Column("statuts", lambda m: _libelles(m, "statut")),
        Column("en_bref", lambda m: html_to_text(m.accroche)),
        # The codes of the fiche's sources and of its salary figures' sources, each once.
        Column("sources", lambda m: m.codes_sources),
        Column("mis_a_jour_le", lambda m: m.modifie_le.date().isoformat()),
    ]


metier_export_csv, metier_export_json = export_views(
    MetierFilterSet,
    stem="metiers",
    columns=metier_columns,
    attach=tag_metiers,
    cite=cited_payloads,
    queryset=lambda: Metier.objects.published().for_summaries(),
)
