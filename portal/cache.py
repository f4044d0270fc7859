"""Whole-page cache for visitors without a session, and cached listing counts, both kept
right by a catalogue version.

A cached page's key holds the catalogue version; any change to the catalogue gives
it a new value (signals for single saves, explicit `bump_catalogue_version()` after
bulk writes), so the next request renders afresh. The version is read from the database,
so that every process and server sees a change at once, whatever the cache backend
(per-process memory by default, Redis or memcached when CACHE_URL names one).

Keys also hold the release (settings.RELEASE, see `portal.release`): a cache shared
across a deployment never serves what another version of the code rendered.

The page cache sits outside the compression middleware: a page is compressed once,
when it is rendered, and a visitor whose browser accepts gzip gets the stored
compressed copy.
"""

import hashlib
import re
from contextlib import contextmanager
from threading import Lock, local

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import has_vary_header

from .models import CatalogueVersion, new_catalogue_version
from .rows import read_together

UNCACHED_PREFIXES = ("/admin/", "/healthz", "/selection/")
# Headers rebuilt on a cached copy; cookies are never stored.
KEPT_HEADERS = (
    "Content-Type", "Content-Language", "Content-Security-Policy", "Vary", "Cache-Control",
    "X-Frame-Options", "Content-Disposition", "Content-Encoding", "ETag",
)
# What GZipMiddleware itself looks for.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


VERSION_SQL = f"SELECT version FROM {CatalogueVersion._meta.db_table} WHERE id = 1"


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
    # Plain SQL: this runs on every cached request, and the ORM would cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    version = row[0] if row else 0
    if getattr(_request, "active", False):
        _request.version = version
    return version


def read_with_catalogue_version(connection, statements):
    """`portal.rows.read_together` of ``statements``, with the catalogue version in the same
    round trip when this request will ask for it (cached counts on, the default database)
    and has not read it yet: a fiche read without the page cache (a visitor with a
    session, ``PAGE_CACHE=0``) then goes to PostgreSQL twice instead of three times."""
    wanted = (settings.COUNT_CACHE and connection.alias == DEFAULT_DB_ALIAS
              and getattr(_request, "active", False) and _request.version is None)
    if not wanted:
        return read_together(connection, statements)
    *results, version = read_together(connection, [*statements, (VERSION_SQL, [])])
    _request.version = version[0][0] if version else 0
    return results


def cached_for_catalogue(name, compute):
    """``compute()``, kept in the cache under ``name`` until the catalogue changes.

    For the few aggregates whose cost grows with the catalogue (listing counts, the
    number of métiers per level or interest): the same question gets the same answer
    until the next edit or import.
    """
    if not settings.COUNT_CACHE:
        return compute()
    key = f"data:{settings.RELEASE}:{current_catalogue_version()}:{hashlib.sha256(name.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        with _one_at_a_time(key):
            # Another thread of this process may have computed it while this one waited.
            value = cache.get(key)
            if value is None:
                value = compute()
                cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


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
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        # Django checks the Host only when something reads it, as rendering a page does:
        # a stored copy would otherwise answer a host the portal does not serve.
        request.get_host()
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        encoding = "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
        try:
            version = current_catalogue_version()
        except (OperationalError, InterfaceError) as exception:
            # Raised here, before any view, it would be a 500: DatabaseUnavailableMiddleware
            # answers the French 503 instead, without running the view.
            request.database_unreachable = exception
            return self.get_response(request)
        key = f"page:{settings.RELEASE}:{version}:{request.method}:{encoding}:{digest}"
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
            and not request.path.startswith(settings.STATIC_URL)
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
