"""Settings for the portal, read from the environment.

Local defaults need nothing installed: SQLite in the project folder, debug off
unless asked for. Production is switched on by environment variables only.
"""

import hashlib
import os
from datetime import timedelta
from importlib import metadata
from pathlib import Path

import dj_database_url
import django
import django_cache_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# PORTAL_ENV=production turns on every HTTPS-only protection at once; each can
# still be set on its own below.
PRODUCTION = os.environ.get("PORTAL_ENV", "").lower() == "production"
DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY doit être défini quand PORTAL_ENV=production.")
    # Local use only; `check --deploy` flags this key.
    SECRET_KEY = "django-insecure-local-only-change-me"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "axes",
    "core",
    "sources",
    "formations",
    "metiers",
    "api",
    "selection",
    "portal",
]

MIDDLEWARE = [
    "portal.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SuspiciousInputMiddleware",
    # Before the compression, as Django's cache middleware: pages are stored compressed,
    # one copy per Accept-Encoding (the response's Vary), and served as stored.
    "core.cache.PageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    # The public pages (templates/); see portal/jinja2.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "portal.jinja2.environment"},
    },
    # The admin, with its overrides in the apps' templates/ folders.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections, checked before reuse so that a restarted
        # PostgreSQL costs at most one failed request per worker.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "3")),
            # A runaway query fails instead of holding a worker past gunicorn's timeout.
            "options": f"-c statement_timeout={int(os.environ.get('DB_STATEMENT_TIMEOUT_MS', '5000'))}",
        }
    )

# Per-process memory by default; CACHE_URL=redis://… or pymemcache://… shares it between servers.
CACHES = {"default": django_cache_url.parse(os.environ.get("CACHE_URL", "locmem://"))}
CACHES["default"].setdefault("OPTIONS", {})
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] = 5000
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# How long a page is kept, here and by a CDN (s-maxage); browsers keep it a minute at most.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Listing counts kept until the catalogue changes (core.cache.cached_count).
COUNT_CACHE = env_bool("COUNT_CACHE", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}


def code_release(static_root):
    """What names the code when the deployment does not: the portal's version, Django's
    (the data cache holds model instances pickled in its shape), and a digest of the
    static files' manifest, which names each stylesheet and script by its content."""
    manifest = Path(static_root) / "staticfiles.json"
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()[:12] if manifest.is_file() else "sans-manifeste"
    return f"{metadata.version('portail-metiers')}-{django.get_version()}-{digest}"


# Names the code in the cache's keys (core.cache): pages and data cached by another
# release are not served, even from a cache shared across a deployment. A deployment
# names it (RELEASE=<commit>); without it, a change that alters neither the versions
# nor the static files shares the cache with the code before it.
RELEASE = os.environ.get("RELEASE") or code_release(STATIC_ROOT)

LOGIN_URL = "admin:login"

# The largest upload (in Mo, all files together) that the admin's « Importer des fiches » page
# takes: an import runs within the request, which must end well before the worker's timeout.
# `manage.py import_fiches` takes files of any size.
IMPORT_UPLOAD_MAX_MB = int(os.environ.get("IMPORT_UPLOAD_MAX_MB", "5"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Security headers (graded by the MDN HTTP Observatory; see tests/portal/test_security.py)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
if env_bool("USE_X_FORWARDED_PROTO", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Brute force on the admin login: 5 failures from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_RESET_ON_SUCCESS = True
# TRUSTED_PROXY_COUNT: the reverse proxies in front of the app. Each appends to
# X-Forwarded-For the address it received from; the client's address is then the N-th
# entry from the right (what the outermost proxy saw), else REMOTE_ADDR. Without proxies
# the header, which anyone can write, is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# python-ipware's proxy_count counts the proxies listed in the header: all but the nearest,
# whose address is REMOTE_ADDR. Not strict: entries a client wrote before its own address
# are skipped, where strict mode refuses the header and falls back to the proxy's address.
# (ipware prefers a public address: a private client behind a proxy on a public address
# would get the proxy's; the proxies in front of the portal are on loopback or a LAN.)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1 if TRUSTED_PROXY_COUNT else None
IPWARE_STRICT = False
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)

# --- One-line structured logs, with the request path and never a secret.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.logging.JsonLineFormatter"}},
    "filters": {"refused_requests": {"()": "portal.logging.RefusedRequestFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["refused_requests"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Requests refused as suspicious (portal.logging.RefusedRequestFilter): not up to the
        # "django" logger, whose default mail_admins handler would mail each one to ADMINS.
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "portal": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
