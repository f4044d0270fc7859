from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("metiers/", views.metier_list, name="metiers"),
    path("metiers/<slug:slug>/", views.metier_detail, name="metier"),
    path("formations/", views.formation_list, name="formations"),
    path("formations/<slug:slug>/", views.formation_detail, name="formation"),
    path("centres-interet/", views.centre_interet_list, name="centres_interet"),
    path("niveaux/", views.niveau_list, name="niveaux"),
]
