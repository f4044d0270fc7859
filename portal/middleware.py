import logging
import re

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse

from api import views as api_views

logger = logging.getLogger("portal.database")

# RFC 9110, section 5.5: a field value holds no control character but the tab.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# What int() reads as a whole number.
INTEGER = re.compile(r"\s*[+-]?\d+\s*")


class InvalidHeader(SuspiciousOperation):
    """A request header carries a control character."""


class InvalidAdminQuery(SuspiciousOperation):
    """An admin address carries a value that the admin's lists would send to the database as is."""


# The date parts an admin list filters on (its date drill-down, any `…__year=` lookup),
# with the values Python's dates accept: Django lets a larger year reach the database.
ADMIN_DATE_PARTS = {"year": range(1, 10_000), "month": range(1, 13), "day": range(1, 32)}


class HeadWithoutBodyMiddleware:
    """Answer HEAD with the headers that GET gets, Content-Length included, and no body
    (RFC 9110, section 9.3.2).

    Django's development server drops the body itself; gunicorn sends it, and logs « sent
    body bytes on a no-body response » for each. First of the middleware, so that every
    other one (the page cache, the compression) handles the whole response, as for GET.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                # Never read: the export's generator is closed with the response, unstarted.
                response.streaming_content = []
            else:
                response.content = b""
        return response


class SuspiciousInputMiddleware:
    """Refuse a request whose headers carry control characters, with the 400 page; and an
    admin address whose parameters the admin would pass to the database unchecked.

    gunicorn refuses such headers before Django sees them; the development server does
    not. A NUL byte in the session cookie or the user agent then reaches PostgreSQL, which
    refuses it in a query: a 500 instead of a 400. The admin's list filters and
    autocomplete do the same with a NUL byte in their parameters, and with a year out of
    range (the public pages check their own parameters).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        for key, value in request.META.items():
            if key.startswith("HTTP_") and CONTROL_CHARACTERS.search(value):
                raise InvalidHeader(f"en-tête {key[5:]} avec un caractère de contrôle")
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.path.startswith(self.admin_prefix):
            check_admin_query(request.GET)
        return self.get_response(request)


def check_admin_query(query):
    for key, values in query.lists():
        for value in values:
            if "\x00" in value:
                raise InvalidAdminQuery(f"paramètre {key} avec un octet nul")
            valid = ADMIN_DATE_PARTS.get(key.rpartition("__")[2])
            # A value that is no number is the admin's to refuse, as it does.
            if valid is not None and INTEGER.fullmatch(value) and (len(value) > 10 or int(value) not in valid):
                raise InvalidAdminQuery(f"paramètre {key} hors des dates possibles")


class DatabaseUnavailableMiddleware:
    """Answer a French 503 page, not a 500, while the database cannot be reached; in JSON
    for the API and the .json addresses, which scripts read.

    The page is rendered without a request context, because the context
    processors (session, user) would query the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The page cache met the outage first (see core.cache): a view that reads the
        # database would make the visitor wait for a second connection attempt, a second
        # timeout when the server does not answer, before the same 503. Answered here,
        # inside the middleware that set the security headers and the compression, like
        # any other page. A view marked `without_database` (robots.txt, the OpenAPI
        # document) answers as usual, and so does an unknown address, whose 404 page
        # comes before any view.
        exception = getattr(request, "database_unreachable", None)
        if exception is not None and not getattr(view_func, "without_database", False):
            return self.process_exception(request, exception)
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # With the database's own words and the exception: a statement timeout and an
        # unreachable server both land here, and only these tell them apart.
        logger.error(
            "base de données indisponible : %s", exception,
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={"request": request, "status_code": 503},
        )
        if api_views.in_api(request) or request.path.endswith(".json"):
            response = api_views.unavailable()
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
