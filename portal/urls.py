from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from . import sitemaps, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sources/", views.sources, name="sources"),
    path("admin/", admin.site.urls),
    path("selection/", include("selection.urls")),
    path("api/", include("api.urls")),
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
