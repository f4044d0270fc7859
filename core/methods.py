"""Method checks answered in the portal's words.

Django's ``require_http_methods`` answers 405 with an empty body, which a browser shows
as a blank page and an API client cannot read.
"""

from functools import wraps

from django.shortcuts import render

SAFE = ("GET", "HEAD")


def allow_methods(methods, *, refusal=None):
    """Let ``methods`` through; answer anything else with ``refusal(request, methods)``
    (the French 405 page by default) and the ``Allow`` header."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in methods:
                response = (refusal or method_not_allowed_page)(request, methods)
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def method_not_allowed_page(request, methods):
    return render(request, "405.html", {"formulaire": "POST" in methods}, status=405)
