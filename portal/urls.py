from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sources/", views.sources, name="sources"),
    path("admin/", admin.site.urls),
    path("", include("metiers.urls")),
    path("", include("formations.urls")),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
