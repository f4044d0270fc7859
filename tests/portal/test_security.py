"""Production settings: headers graded as the MDN HTTP Observatory grades them, cookies, check --deploy."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

ROOT = Path(__file__).resolve().parents[2]
SIX_MONTHS = 15_552_000
SECURITY_SETTINGS = [
    "CONTENT_SECURITY_POLICY", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE", "X_FRAME_OPTIONS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
]


def production_env():
    return {
        **os.environ,
        "PORTAL_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-production-test-key-" + "q" * 20,
        "ALLOWED_HOSTS": "portail.example.org",
        "DEBUG": "",
    }


@pytest.fixture
def production_settings(settings, monkeypatch):
    """The security settings exactly as portal/settings.py computes them with PORTAL_ENV=production."""
    for name, value in production_env().items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("production_settings", ROOT / "portal" / "settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in SECURITY_SETTINGS:
        setattr(settings, name, getattr(module, name, None))
    return settings


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def observatory_score(response):
    """The MDN HTTP Observatory's scoring rules for the headers an application controls.

    Starts at 100; the modifiers are those of the Observatory's published scoring
    table (CSP, cookies, HSTS, Referrer-Policy, X-Content-Type-Options, X-Frame-Options).
    """
    score = 100
    csp_header = response.headers.get("Content-Security-Policy")
    csp = parse_csp(csp_header) if csp_header else {}
    scripts = csp.get("script-src", csp.get("default-src", []))
    if not csp:
        score -= 25
    elif "'unsafe-inline'" in scripts:
        score -= 20
    elif "'unsafe-eval'" in scripts:
        score -= 10
    elif csp.get("default-src") == ["'none'"]:
        score += 10
    cookies = list(response.cookies.values())
    if any(not cookie["secure"] for cookie in cookies):
        score -= 20
    elif any(cookie.key == "sessionid" and not cookie["httponly"] for cookie in cookies):
        score -= 30
    elif cookies and all(cookie["samesite"] for cookie in cookies):
        score += 5
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = int(hsts.split("max-age=")[1].split(";")[0]) if "max-age=" in hsts else 0
    if max_age < SIX_MONTHS:
        score -= 20
    referrer = response.headers.get("Referrer-Policy")
    if referrer in {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}:
        score += 5
    elif referrer in {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}:
        score -= 5
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        score -= 5
    if csp.get("frame-ancestors") == ["'none'"]:
        score += 5
    elif response.headers.get("X-Frame-Options") not in {"DENY", "SAMEORIGIN"}:
        score -= 20
    return score


PAGES = ["/", "/metiers/", "/metiers/ingenieur-traitement-de-l-image/", "/formations/", "/admin/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_public_pages_and_admin(client, portal_data, production_settings, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    hsts = response["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= SIX_MONTHS
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert observatory_score(response) >= 100


def test_cookies_are_secure_httponly_and_samesite(client, db, production_settings):
    response = client.get("/admin/login/", secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    User.objects.create_user("editrice", password="motdepasse-solide-42", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editrice", "password": "motdepasse-solide-42"},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert observatory_score(response) >= 100


def test_plain_http_is_redirected_to_https(client, db, production_settings):
    response = client.get("/metiers/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({}, 120),
        ({"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"}, 65),
        ({"Content-Security-Policy": "default-src 'self'"}, 85),
        ({"Strict-Transport-Security": "max-age=86400"}, 100),
        ({"X-Content-Type-Options": ""}, 115),
        ({"Referrer-Policy": "unsafe-url"}, 110),
    ],
)
def test_the_observatory_grader_follows_the_scoring_table(headers, expected):
    # Guards the grader itself, with totals worked out by hand from the Observatory's table.
    from django.http import HttpResponse

    response = HttpResponse(
        headers={
            "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
            "Strict-Transport-Security": "max-age=31536000",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            **headers,
        }
    )
    assert observatory_score(response) == expected


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**production_env(), "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
