from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from . import selection, sitemaps, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sources/", views.sources, name="sources"),
    path("admin/", admin.site.urls),
    path("selection/", selection.selection_page, name="selection"),
    path("selection/ajouter/", selection.selection_add, name="selection_add"),
    path("selection/retirer/", selection.selection_remove, name="selection_remove"),
    path("selection/vider/", selection.selection_clear, name="selection_clear"),
    path("selection/partagee/", selection.selection_shared, name="selection_shared"),
    path("selection/partagee/metiers.csv", selection.selection_export, {"kind": "metiers"},
         name="selection_export_metiers"),
    path("selection/partagee/formations.csv", selection.selection_export, {"kind": "formations"},
         name="selection_export_formations"),
    path("api/", include("portal.api.urls")),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"},
         name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_views.sitemap, {"sitemaps": sitemaps.SITEMAPS},
         name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("", include("metiers.urls")),
    path("", include("formations.urls")),
]

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
