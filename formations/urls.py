from django.urls import path

from . import views

app_name = "formations"

urlpatterns = [
    path("formations/", views.formation_list, name="list"),
    path("formations/<slug:slug>/", views.formation_detail, name="detail"),
]
