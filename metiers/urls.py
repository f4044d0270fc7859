from django.urls import path

from . import views

app_name = "metiers"

urlpatterns = [
    path("metiers/", views.metier_list, name="list"),
    path("metiers/<slug:slug>/", views.metier_detail, name="detail"),
    path("centres-interet/", views.centre_interet_list, name="centres_interet"),
    path("centres-interet/<slug:slug>/", views.centre_interet_detail, name="centre_interet"),
    path("niveaux/", views.niveau_list, name="niveaux"),
    path("niveaux/<slug:slug>/", views.niveau_detail, name="niveau"),
]
