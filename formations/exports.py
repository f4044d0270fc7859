"""The formations listing as CSV and JSON: same filters and order as the page, stable columns.

The column order is part of the portal's documented interface (README, « Exports »):
new columns go at the end; none is ever reordered or renamed.
"""

from portal.exports import Column, export_views, site_address, sources_by_pk

from .filters import FormationFilterSet
from .models import Formation


def tag_formations(formations):
    """Set on each formation ``codes_sources``, the sorted codes of its sources, from
    one plain query on the link table (a prefetch would build a manager, a queryset and
    a source per formation)."""
    if not formations:
        return
    links = Formation.sources.through.objects.filter(formation_id__in=[f.pk for f in formations])
    cited = {formation.pk: [] for formation in formations}
    for formation, source in links.values_list("formation_id", "source_id"):
        cited[formation].append(source)
    sources = sources_by_pk({pk for pks in cited.values() for pk in pks})
    for formation in formations:
        formation.codes_sources = sorted(sources[pk].code for pk in cited[formation.pk])


# Each row's type label, looked up here: `get_type_display()` flattens the choices on every call.
TYPES = dict(Formation.Type.choices)


def formation_columns(request):
    site = site_address(request)
    return [
        Column("identifiant_onisep", lambda f: f.onisep_id or ""),
        Column("libelle", lambda f: f.libelle),
        Column("adresse", lambda f: site + f.get_absolute_url()),
        Column("type", lambda f: TYPES.get(f.type, f.type)),
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
)
