import io
import json
import logging
import sys
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from portal.logging import JsonLineFormatter


def test_pages_answer_a_french_503_and_the_api_a_json_one_while_the_database_is_down(client, db, caplog):
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("serveur injoignable")):
        connection.close()
        response = client.get("/metiers/")
        api = client.get("/api/metiers/")
        health = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Service momentanément indisponible" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert api.json() == {"erreur": "La base de données est momentanément injoignable. Réessayez dans quelques secondes."}
    assert health.status_code == 200
    # The log says what the database answered, for an outage and a timeout alike.
    record, _ = [r for r in caplog.records if r.name == "portal.database"]
    assert record.getMessage() == "base de données indisponible : serveur injoignable"
    assert record.exc_info[0] is OperationalError
    entry = json.loads(JsonLineFormatter().format(record))
    assert entry["exception"] == "OperationalError" and "serveur injoignable" in entry["traceback"]


@pytest.mark.parametrize(("address", "expected"), [("/metiers/", "Service momentanément indisponible"),
                                                   ("/api/metiers/", "momentanément injoignable")])
def test_with_the_page_cache_on_a_database_outage_answers_the_503_after_one_attempt(client, db, settings,
                                                                                    caplog, address, expected):
    # The page cache reads the catalogue version before any view runs. Each attempt to
    # connect may wait for the whole connect timeout: the visitor waits for one only.
    settings.PAGE_CACHE = True
    outage = OperationalError("serveur injoignable")
    with mock.patch.object(connection, "ensure_connection", side_effect=outage) as attempts:
        connection.close()
        response = client.get(address)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert expected in response.content.decode()
    assert attempts.call_count == 1
    # With the headers of any other page.
    assert response["X-Frame-Options"] == "DENY" and "default-src 'none'" in response["Content-Security-Policy"]
    assert [r.getMessage() for r in caplog.records if r.name == "portal.database"] == [
        "base de données indisponible : serveur injoignable"
    ]


# What needs no database answers as usual while it is down, the page cache on or off.
WITHOUT_DATABASE = [
    ("/robots.txt", 200, "text/plain; charset=utf-8"),
    ("/api/openapi.json", 200, "application/json"),
    ("/api/", 200, "application/json"),
    ("/nulle-part/", 404, "text/html; charset=utf-8"),
    ("/api/nulle-part/", 404, "application/json"),
]


@pytest.mark.parametrize("page_cache", [True, False], ids=["cache", "sans-cache"])
@pytest.mark.parametrize(("address", "status", "content_type"), WITHOUT_DATABASE)
def test_what_needs_no_database_answers_while_it_is_down(client, db, settings, page_cache, address, status,
                                                          content_type):
    settings.PAGE_CACHE = page_cache
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("serveur injoignable")):
        connection.close()
        response = client.get(address)
    assert (response.status_code, response["Content-Type"]) == (status, content_type)


@pytest.mark.parametrize("page_cache", [True, False], ids=["cache", "sans-cache"])
def test_the_search_suggestions_answer_a_json_503_while_the_database_is_down(client, db, settings, page_cache):
    settings.PAGE_CACHE = page_cache
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("serveur injoignable")):
        connection.close()
        response = client.get("/metiers/suggestions.json", {"q": "ingé"})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "momentanément injoignable" in response.json()["erreur"]


def test_log_lines_are_single_line_json_with_the_path_and_no_secrets():
    request = RequestFactory().get(
        "/metiers/?jeton=secret-123", HTTP_COOKIE="sessionid=secret-456", HTTP_AUTHORIZATION="Bearer secret-789"
    )
    try:
        raise ValueError("boom\nsur deux lignes")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Erreur %s", ("x",), None)
        record.exc_info = sys.exc_info()
    record.request = request
    record.status_code = 500
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["path"] == "/metiers/"
    assert entry["status"] == 500
    assert entry["message"] == "Erreur x"
    assert entry["exception"] == "ValueError"
    assert not any(token in line for token in ("secret-123", "secret-456", "secret-789"))


@pytest.mark.parametrize(
    ("method", "path", "header", "value"),
    [
        # A NUL in the session key or the user agent reached PostgreSQL, which answered with an error.
        ("get", "/", "HTTP_COOKIE", "sessionid=abcd\x00efghijkl"),
        ("get", "/metiers/", "HTTP_COOKIE", "sessionid=" + "a" * 32 + "\x00"),
        ("post", "/admin/login/?next=/admin/", "HTTP_USER_AGENT", "navigateur\x00"),
        ("get", "/metiers/", "HTTP_REFERER", "https://exemple.fr/\x1b[31m"),
        ("get", "/", "HTTP_ACCEPT_LANGUAGE", "fr\x7f"),
    ],
)
def test_a_control_character_in_a_header_gets_the_french_400_page(client, db, method, path, header, value):
    response = getattr(client, method)(path, {"username": "editrice", "password": "x"} if method == "post" else {}, **{header: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "<h1>Requête invalide</h1>" in body
    assert "un en-tête ou un cookie contient des caractères de contrôle" in body
    assert AccessAttempt.objects.count() == 0


def test_a_tab_in_a_header_is_accepted(client, db):
    response = client.get("/", HTTP_USER_AGENT="navigateur\tversion 2")
    assert response.status_code == 200


def test_an_unknown_host_gets_the_french_400_page(client, db):
    response = client.get("/metiers/", HTTP_HOST="intrus.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Requête invalide</h1>" in body
    assert "un nom de site que ce serveur ne sert pas" in body
    assert "Bad Request" not in body


@pytest.fixture
def console_log():
    """What the portal's configured console handler writes, one JSON entry per line."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonLineFormatter))
    written = io.StringIO()
    previous = handler.setStream(written)
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    handler.setStream(previous)


@pytest.mark.parametrize(
    ("headers", "logger"),
    [
        ({"HTTP_HOST": "intrus.example"}, "django.security.DisallowedHost"),
        ({"HTTP_USER_AGENT": "navigateur\x00"}, "django.security.InvalidHeader"),
    ],
)
def test_a_refused_request_is_logged_as_one_warning_line_without_traceback(client, db, console_log, headers, logger):
    assert client.get("/metiers/", **headers).status_code == 400
    (entry,) = [entry for entry in console_log() if entry["logger"] == logger]
    assert entry["level"] == "WARNING"
    assert entry["status"] == 400 and entry["path"] == "/metiers/"
    assert "traceback" not in entry and "exception" not in entry


@pytest.mark.parametrize("headers", [{"HTTP_HOST": "intrus.example"}, {"HTTP_USER_AGENT": "navigateur\x00"}])
def test_a_refused_request_is_mailed_to_no_one(client, db, settings, mailoutbox, headers):
    # Django mails its own loggers' errors to ADMINS: refused requests, which bots send by
    # the thousand, would fill the operators' mailbox.
    settings.ADMINS = [("Exploitation", "exploitation@example.org")]
    assert client.get("/metiers/", **headers).status_code == 400
    assert [message.subject for message in mailoutbox] == []


def test_the_portals_own_errors_keep_their_level_and_traceback(console_log):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").error("Erreur", exc_info=True)
    (entry,) = console_log()
    assert entry["level"] == "ERROR" and entry["exception"] == "ValueError"


def test_too_many_parameters_get_the_french_400_page(client, db, settings):
    query = "&".join(f"secteur={i}" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"/metiers/?{query}")
    assert response.status_code == 400
    assert "elle envoie trop de paramètres ou de fichiers." in response.content.decode()


def test_too_much_data_gets_the_french_400_page(client, db, settings):
    body = "slug=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/selection/ajouter/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "elle envoie trop de données." in response.content.decode()


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [(None, "a besoin d'un cookie de sécurité"), ("a" * 32, "n'est plus valable")],
)
def test_a_refused_form_token_gets_a_french_403_page(db, cookie, expected):
    client = Client(enforce_csrf_checks=True)
    if cookie:
        client.cookies["csrftoken"] = cookie
    response = client.post("/admin/login/", {"username": "editrice", "password": "x", "csrfmiddlewaretoken": "b" * 32})
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "<h1>Formulaire refusé</h1>" in body
    assert expected in body
