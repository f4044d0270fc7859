"""The métiers listing as CSV and JSON: same filters and order as the page, stable columns.

The column order is part of the portal's documented interface (README, « Exports »):
new columns go at the end; none is ever reordered or renamed.
"""

from django.db.models import Prefetch

from portal.exports import Column, export_views

from .filters import MetierFilterSet
from .models import Salaire
from .search import html_to_text


def _libelles(related):
    return [item.libelle for item in related.all()]


def source_codes(metier):
    """Codes of the fiche's sources and of its salary figures' sources, each once, sorted."""
    codes = {source.code for source in metier.sources.all()}
    codes.update(salaire.source.code for salaire in metier.salaires.all())
    return sorted(codes)


def metier_columns(request):
    return [
        Column("identifiant_onisep", lambda m: m.onisep_id or ""),
        Column("intitule", lambda m: m.titre),
        Column("adresse", lambda m: request.build_absolute_uri(m.get_absolute_url())),
        Column("niveau_acces", lambda m: m.niveau_acces.libelle if m.niveau_acces else ""),
        Column("niveau_acces_annees_apres_bac", lambda m: m.niveau_acces_id),
        Column("salaire_debutant_brut_mensuel_eur", lambda m: m.salaire_debutant),
        Column("demande", lambda m: m.get_demande_display() if m.demande else ""),
        Column("centres_interet", lambda m: _libelles(m.centres_interet)),
        Column("secteurs", lambda m: _libelles(m.secteurs)),
        Column("statuts", lambda m: _libelles(m.statuts)),
        Column("en_bref", lambda m: html_to_text(m.accroche)),
        Column("sources", source_codes),
        Column("mis_a_jour_le", lambda m: m.modifie_le.date().isoformat()),
    ]


metier_export_csv, metier_export_json = export_views(
    MetierFilterSet,
    stem="metiers",
    columns=metier_columns,
    source_codes=source_codes,
    prefetch=[
        "centres_interet", "secteurs", "statuts", "sources",
        Prefetch("salaires", queryset=Salaire.objects.select_related("source")),
    ],
)
