import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("portal.database")


class DatabaseUnavailableMiddleware:
    """Answer a French 503 page, not a 500, while the database cannot be reached.

    The page is rendered without a request context, because the context
    processors (session, user) would query the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

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
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
