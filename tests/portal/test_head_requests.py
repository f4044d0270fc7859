"""HEAD through the WSGI application, as gunicorn calls it: the headers of GET, no body.

Django's test client and development server drop a HEAD response's body themselves;
gunicorn does not, and logs each one it is given.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from portal.wsgi import application

# Pages, a 404, JSON, and the exports, which stream.
ADDRESSES = ["/", "/metiers/", "/robots.txt", "/nulle-part/", "/api/metiers/", "/metiers/export.csv",
             "/formations/export.json"]


def same_each_time(headers):
    """The headers that do not change from one response to the next: not the cookies'
    tokens, nor the length of a compressed body, which Django pads with random bytes (BREACH)."""
    varying = {"Set-Cookie", "Content-Length" if headers.get("Content-Encoding") == "gzip" else None}
    return {name: value for name, value in headers.items() if name not in varying}


@pytest.fixture
def wsgi(portal_data):
    """Call the application as a WSGI server does; the request's end leaves the test's
    database connection open, as Django's test client arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def call(method, path, **headers):
        environ = RequestFactory().generic(method, path, **headers).environ
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started.update(status=status, headers=response_headers)

        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
        return started["status"], dict(started["headers"]), body

    yield call
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("page_cache", [False, True], ids=["sans-cache", "cache"])
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
@pytest.mark.parametrize("address", ADDRESSES)
def test_a_head_response_has_the_headers_of_get_and_no_body(wsgi, settings, address, encoding, page_cache):
    settings.PAGE_CACHE = page_cache
    # HEAD first: with the page cache, the page kept for it must not be emptied, nor GET's.
    assert wsgi("HEAD", address, HTTP_ACCEPT_ENCODING=encoding)[2] == b""
    get_status, get_headers, get_body = wsgi("GET", address, HTTP_ACCEPT_ENCODING=encoding)
    head_status, head_headers, head_body = wsgi("HEAD", address, HTTP_ACCEPT_ENCODING=encoding)
    assert get_body
    assert head_body == b""
    assert (head_status, same_each_time(head_headers)) == (get_status, same_each_time(get_headers))
    assert head_headers.keys() == get_headers.keys()
    if "Content-Length" in get_headers:
        assert int(get_headers["Content-Length"]) == len(get_body)
