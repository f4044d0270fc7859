from django.urls import path

from . import views

# Named without a namespace: every page's navigation and each card's button link here.
urlpatterns = [
    path("", views.selection_page, name="selection"),
    path("ajouter/", views.selection_add, name="selection_add"),
    path("retirer/", views.selection_remove, name="selection_remove"),
    path("vider/", views.selection_clear, name="selection_clear"),
    path("partagee/", views.selection_shared, name="selection_shared"),
    path("partagee/metiers.csv", views.selection_export, {"kind": "metiers"}, name="selection_export_metiers"),
    path("partagee/formations.csv", views.selection_export, {"kind": "formations"},
         name="selection_export_formations"),
]
