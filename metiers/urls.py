from django.urls import path

from . import compare, exports, matching, views

app_name = "metiers"

urlpatterns = [
    path("metiers/", views.metier_list, name="list"),
    # Before the fiche's pattern: "comparer" would read as a slug (no fiche may take it: RESERVED_SLUGS).
    path("metiers/comparer/", compare.metier_compare, name="compare"),
    path("metiers/export.csv", exports.metier_export_csv, name="export_csv"),
    path("metiers/export.json", exports.metier_export_json, name="export_json"),
    path("metiers/suggestions.json", views.metier_suggestions, name="suggestions"),
    path("quels-metiers/", matching.metier_matching, name="matching"),
    path("metiers/<slug:slug>/", views.metier_detail, name="detail"),
    path("centres-interet/", views.centre_interet_list, name="centres_interet"),
    path("centres-interet/<slug:slug>/", views.centre_interet_detail, name="centre_interet"),
    path("niveaux/", views.niveau_list, name="niveaux"),
    path("niveaux/<slug:slug>/", views.niveau_detail, name="niveau"),
]
