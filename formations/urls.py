from django.urls import path

from . import exports, views

app_name = "formations"

urlpatterns = [
    path("formations/", views.formation_list, name="list"),
    path("formations/export.csv", exports.formation_export_csv, name="export_csv"),
    path("formations/export.json", exports.formation_export_json, name="export_json"),
    path("formations/<slug:slug>/", views.formation_detail, name="detail"),
]
