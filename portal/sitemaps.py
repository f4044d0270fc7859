"""/sitemap.xml and /robots.txt: what search engines may crawl, and where the fiches are."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse

from core.methods import SAFE, allow_methods
from core.outage import without_database
from formations.models import Formation
from metiers.models import CentreInteret, Metier


class CatalogueSitemap(Sitemap):
    """The addresses of one catalogue table, in files of ``limit`` addresses.

    The protocol allows 50 000 addresses a file; /sitemap.xml is an index of these
    files, so that a national catalogue is listed whole. Ten thousand keeps each file
    quick to build when the page cache does not hold it.
    """

    changefreq = "monthly"
    limit = 10_000

    def lastmod(self, item):
        return item.modifie_le

    def get_latest_lastmod(self):
        # The index's date of each file: one aggregate, where Django's default reads every row.
        return self.items().aggregate(latest=Max("modifie_le"))["latest"]


class MetierSitemap(CatalogueSitemap):
    priority = 0.8

    def items(self):
        return Metier.objects.published().only("slug", "modifie_le").order_by("pk")


class FormationSitemap(CatalogueSitemap):
    priority = 0.5

    def items(self):
        return Formation.objects.public().only("slug", "modifie_le").order_by("pk")


class CentreInteretSitemap(Sitemap):
    priority = 0.4

    def items(self):
        return CentreInteret.objects.public().only("slug").order_by("pk")


class PageSitemap(Sitemap):
    """The portal's fixed pages."""

    priority = 0.6

    def items(self):
        return ["home", "metiers:list", "formations:list", "metiers:centres_interet",
                "metiers:niveaux", "metiers:matching", "sources"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "metiers": MetierSitemap,
    "formations": FormationSitemap,
    "centres-interet": CentreInteretSitemap,
}

# The selection is one visitor's; exports and the API are data, described elsewhere.
ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /selection/
Disallow: /metiers/export.
Disallow: /formations/export.
Disallow: /api/

Sitemap: {sitemap}
"""


@without_database
@allow_methods(SAFE)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")
