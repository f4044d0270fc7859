"""Whole-page cache for visitors without a session, kept right by a catalogue version.

A cached page's key holds the catalogue version; any change to the catalogue bumps
the version (signals for single saves, explicit `bump_catalogue_version()` after bulk
writes), so the next request renders afresh. The version is read from the database,
so that every process and server sees a change at once, whatever the cache backend
(per-process memory by default, Redis or memcached when CACHE_URL names one).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpResponse
from django.utils.cache import has_vary_header

from .models import CatalogueVersion

UNCACHED_PREFIXES = ("/admin/", "/healthz", "/selection/")
# Headers rebuilt on a cached copy; cookies are never stored.
KEPT_HEADERS = (
    "Content-Type", "Content-Language", "Content-Security-Policy", "Vary", "Cache-Control",
    "X-Frame-Options", "Content-Disposition",
)


def current_catalogue_version():
    return CatalogueVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def bump_catalogue_version(**kwargs):
    """Make every cached page stale. Signal-compatible, so it can be connected as a receiver."""
    if not CatalogueVersion.objects.filter(pk=1).update(version=F("version") + 1):
        CatalogueVersion.objects.update_or_create(pk=1, defaults={"version": 2})


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{current_catalogue_version()}:{request.method}:{digest}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            return HttpResponse(content, status=status, headers=headers)
        response = self.get_response(request)
        if self.cacheable_response(response):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def cacheable_request(request):
        return (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(UNCACHED_PREFIXES)
        )

    @staticmethod
    def cacheable_response(response):
        # A page that sets a cookie or varies on it (a CSRF token) belongs to one visitor.
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
