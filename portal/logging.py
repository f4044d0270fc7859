import json
import logging
from datetime import datetime, timezone


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: easy to grep and to ship to a log store.

    From a request it keeps the method and path only: no query string, headers,
    cookies or body, which may hold personal data or secrets.
    """

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RefusedRequestFilter(logging.Filter):
    """Log a request that Django refused as suspicious as one WARNING line, without the traceback.

    A foreign Host, a control character in a header or too many fields is the client's doing:
    logged at ERROR with a traceback, each one would look like a fault of the portal and set
    off the alerts meant for those.
    """

    def filter(self, record):
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True
