"""The formations listing as CSV and JSON: same filters and order as the page, stable columns.

The column order is part of the portal's documented interface (README, « Exports »):
new columns go at the end; none is ever reordered or renamed.
"""

from django.db.models import prefetch_related_objects

from core.exports import Column, export_views, site_address
from sources.models import cited_payloads

from .filters import FormationFilterSet


def tag_formations(formations):
    """Read, for all these formations at once, the sources their ``codes_sources`` name."""
    prefetch_related_objects(formations, "sources")




def formation_columns(request):
    site = site_address(request)
    return [
        Column("identifiant_onisep", lambda f: f.onisep_id or ""),
        Column("libelle", lambda f: f.libelle),
        Column("adresse", lambda f: site + f.get_absolute_url()),
        Column("type", lambda f: f.get_type_display()),
        Column("niveau", lambda f: f.niveau.libelle if f.niveau else ""),
        Column("niveau_annees_apres_bac", lambda f: f.niveau_id),
        Column("etablissement", lambda f: f.etablissement),
        Column("sources", lambda f: f.codes_sources),
        Column("mis_a_jour_le", lambda f: f.modifie_le.date().isoformat()),
    ]


formation_export_csv, formation_export_json = export_views(
    FormationFilterSet,
    stem="formations",
    columns=formation_columns,
    attach=tag_formations,
    cite=cited_payloads,
)
