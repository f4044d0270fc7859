"""The formations listing as CSV and JSON: same filters and order as the page, stable columns.

The column order is part of the portal's documented interface (README, « Exports »):
new columns go at the end; none is ever reordered or renamed.
"""

from portal.exports import Column, export_views

from .filters import FormationFilterSet


def source_codes(formation):
    return sorted(source.code for source in formation.sources.all())


def formation_columns(request):
    return [
        Column("identifiant_onisep", lambda f: f.onisep_id or ""),
        Column("libelle", lambda f: f.libelle),
        Column("adresse", lambda f: request.build_absolute_uri(f.get_absolute_url())),
        Column("type", lambda f: f.get_type_display()),
        Column("niveau", lambda f: f.niveau.libelle if f.niveau else ""),
        Column("niveau_annees_apres_bac", lambda f: f.niveau_id),
        Column("etablissement", lambda f: f.etablissement),
        Column("sources", source_codes),
        Column("mis_a_jour_le", lambda f: f.modifie_le.date().isoformat()),
    ]


formation_export_csv, formation_export_json = export_views(
    FormationFilterSet,
    stem="formations",
    columns=formation_columns,
    source_codes=source_codes,
    prefetch=["sources"],
)
