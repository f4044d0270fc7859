"""Whole-page cache for visitors without a session, and cached listing counts, both kept
right by a catalogue version.

Both are versioned by the catalogue version, which any change to the catalogue
replaces (signals for single saves, explicit `bump_catalogue_version()` after bulk
writes), so the next request renders afresh. The version is read from the database,
so that every process and server sees a change at once, whatever the cache backend
(per-process memory by default, Redis or memcached when CACHE_URL names one). The
release (settings.RELEASE) goes with it: a cache shared across a deployment never
serves what another version of the code rendered.

Pages are kept with Django's own cache keys (`django.utils.cache`): the method, the
whole address with its scheme and host, so that each name the portal answers to keeps
its own absolute links, and the request headers the response varies on, among them
Accept-Encoding. This middleware sits outside Django's GZipMiddleware, as Django's
cache middleware does: a page is compressed once, when it is rendered, and stored
apart from its plain copy.
"""

import hashlib
from contextlib import contextmanager
from threading import Lock, local

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.utils.cache import (
    get_cache_key,
    has_vary_header,
    learn_cache_key,
    patch_cache_control,
    patch_vary_headers,
)

from .models import CatalogueVersion, new_catalogue_version

UNCACHED_PREFIXES = ("/admin/", "/healthz", "/selection/")
# How long a browser keeps a page: no one can purge it there, so a visitor sees an edit
# a minute after it at the latest. A CDN or reverse proxy keeps it PAGE_CACHE_SECONDS,
# as this cache does, unless it is purged.
BROWSER_MAX_AGE = 60

VERSION_SQL = f"SELECT version FROM {CatalogueVersion._meta.db_table} WHERE id = 1"  # noqa: S608 — the model's table

# Within a request the version is read once: a page may look up several cached items.
_request = local()


@receiver(request_started)
def _request_started(**kwargs):
    _request.active = True
    _request.version = None


@receiver(request_finished)
def _request_finished(**kwargs):
    _request.active = False
    _request.version = None


def current_catalogue_version():
    version = getattr(_request, "version", None)
    if version is not None:
        return version
    # Raw SQL, as Django's documentation offers for it: every page served from the cache
    # reads this one value, and compiling an ORM query cost most of such a request.
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    version = row[0] if row else 0
    if getattr(_request, "active", False):
        _request.version = version
    return version


def cached_for_catalogue(name, compute):
    """``compute()``, kept in the cache under ``name`` until the catalogue changes.

    For the few aggregates whose cost grows with the catalogue (listing counts, the
    number of métiers per level or interest): the same question gets the same answer
    until the next edit or import.
    """
    if not settings.COUNT_CACHE:
        return compute()
    key, version = f"data:{hashlib.sha256(name.encode()).hexdigest()}", catalogue_key_version()
    value = cache.get(key, version=version)
    if value is None:
        with _one_at_a_time(f"{version}:{key}"):
            # Another thread of this process may have computed it while this one waited.
            value = cache.get(key, version=version)
            if value is None:
                value = compute()
                cache.set(key, value, settings.PAGE_CACHE_SECONDS, version=version)
    return value


def catalogue_key_version():
    """The release and the catalogue version: the cache's `version` of the cached data, the
    key prefix of the cached pages."""
    return f"{settings.RELEASE}.{current_catalogue_version()}"


# The keys being computed in this process, each with the lock its other threads wait on.
_computing = {}
_computing_guard = Lock()


@contextmanager
def _one_at_a_time(key):
    """Within a process, one thread computes a cached value while the others with the same
    question wait for it. After an edit, every thread of every worker otherwise asked the
    database the same broad count at once: at 20 000 métiers, the home page's counts then
    outlived the statement timeout under load."""
    with _computing_guard:
        lock = _computing.setdefault(key, Lock())
    try:
        with lock:
            yield
    finally:
        with _computing_guard:
            if _computing.get(key) is lock and not lock.locked():
                del _computing[key]


def cached_count(queryset, key=None):
    """``queryset.count()``, kept until the catalogue changes (see cached_for_catalogue).

    ``key`` names the question (a listing's address and filters); without it, the
    query's SQL does, at the cost of compiling it.
    """
    if not settings.COUNT_CACHE:
        return queryset.count()
    if key is None:
        sql, params = queryset.query.sql_with_params()
        key = f"{sql}:{params!r}"
    return count_for_catalogue(queryset.db, key, queryset.count)


def count_for_catalogue(using, key, count):
    """``count()``, the number of rows of database ``using`` that ``key`` names, kept until
    the catalogue changes; without a key, counted each time."""
    if key is None or not settings.COUNT_CACHE:
        return count()
    return cached_for_catalogue(f"count:{using}:{key}", count)


def bump_catalogue_version(**kwargs):
    """Make every cached page stale. Signal-compatible, so it can be connected as a receiver."""
    _request.version = None
    version = new_catalogue_version()
    if not CatalogueVersion.objects.filter(pk=1).update(version=version):
        CatalogueVersion.objects.update_or_create(pk=1, defaults={"version": version})


class PageCacheMiddleware:
    """Django's UpdateCacheMiddleware and FetchFromCacheMiddleware in one, for visitors
    without a session, with a key prefix of each request's catalogue version: Django's
    take theirs from the settings, once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE:
            return self.get_response(request)
        if not cacheable_request(request):
            return mark_private(self.get_response(request))
        try:
            key_prefix = catalogue_key_version()
        except (OperationalError, InterfaceError) as exception:
            # Raised here, before any view, it would be a 500: DatabaseUnavailableMiddleware
            # answers the French 503 instead, without running the view.
            request.database_unreachable = exception
            return self.get_response(request)
        stored = stored_page(request, key_prefix)
        if stored is not None:
            return stored
        response = self.get_response(request)
        if not cacheable_response(response):
            return mark_private(response)
        # Public for a CDN, the browser's copy shorter (see BROWSER_MAX_AGE). Varying on
        # the cookies, since a visitor with a session sees their selection on the same
        # address: a shared cache or the browser then asks again once a session starts.
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, public=True, max_age=min(BROWSER_MAX_AGE, settings.PAGE_CACHE_SECONDS),
                            s_maxage=settings.PAGE_CACHE_SECONDS)
        key = learn_cache_key(request, response, settings.PAGE_CACHE_SECONDS, key_prefix, cache=cache)
        cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response


def cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(UNCACHED_PREFIXES)
        and not request.path.startswith(settings.STATIC_URL)
    )


def cacheable_response(response):
    # A page that sets a cookie or varies on it (a session read, a CSRF token) belongs to
    # one visitor; a view that set its own Cache-Control (private, no-store) has chosen.
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not response.has_header("Cache-Control")
    )


def stored_page(request, key_prefix):
    """The stored copy of this page, if any; a HEAD is answered with the GET's, as Django's
    cache middleware does. Reading the key checks the Host: a stored copy never answers
    a host the portal does not serve."""
    for method in ("GET", "HEAD") if request.method == "HEAD" else ("GET",):
        key = get_cache_key(request, key_prefix, method, cache=cache)
        response = cache.get(key) if key is not None else None
        if response is not None:
            return response
    return None


def mark_private(response):
    """Keep a visitor's own page out of shared caches, unless the view said otherwise."""
    if not response.has_header("Cache-Control") and (response.cookies or has_vary_header(response, "Cookie")):
        patch_cache_control(response, private=True)
    return response
