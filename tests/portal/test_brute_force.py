import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth.models import User


def login(client, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editrice", "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failures_from_one_address_lock_the_admin_login(client, db):
    User.objects.create_user("editrice", password="le-bon-mot-de-passe-42", is_staff=True)
    for _ in range(4):
        assert login(client, "mauvais").status_code == 200
    locked = login(client, "mauvais")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    # Even the right password is refused while the lock holds.
    assert login(client, "le-bon-mot-de-passe-42").status_code == 429
    # Another address is not affected.
    assert login(client, "le-bon-mot-de-passe-42", address="198.51.100.4").status_code == 302


ROOT = Path(__file__).resolve().parents[2]
PROXY = "127.0.0.1"


@pytest.fixture
def trusted_proxies(settings, monkeypatch):
    """Sets TRUSTED_PROXY_COUNT and applies the client-address settings exactly as
    portal/settings.py computes them from it."""

    def apply(count):
        if count is None:
            monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
        else:
            monkeypatch.setenv("TRUSTED_PROXY_COUNT", str(count))
        spec = importlib.util.spec_from_file_location("proxy_settings", ROOT / "portal" / "settings.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name in dir(module):
            if name.startswith(("AXES_IPWARE_", "IPWARE_", "AXES_CLIENT_IP")):
                setattr(settings, name, getattr(module, name))

    return apply


def through_proxy(client, password, forwarded):
    """A login as a standard reverse proxy passes it on: the X-Forwarded-For the client sent,
    if any, with the address the proxy saw appended."""
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editrice", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


# (proxies, the X-Forwarded-For of five failures, then of the locked client and of another client)
CLIENTS_BEHIND_PROXIES = {
    # An attacker writes a new address before its own at each try.
    "forged-first-entry": (1, [f"6.6.{n}.{n}, 198.51.100.66" for n in range(5)], "198.51.100.66", "203.0.113.8"),
    "honest-client": (1, ["198.51.100.66"] * 5, "198.51.100.66", "203.0.113.8"),
    # forged, client (appended by the outer proxy), outer proxy (appended by the inner one)
    "two-proxies": (2, [f"6.6.{n}.{n}, 198.51.100.66, 10.0.0.2" for n in range(5)], "198.51.100.66, 10.0.0.2",
                    "203.0.113.8, 10.0.0.2"),
}


@pytest.mark.parametrize("count, failures, locked, other", CLIENTS_BEHIND_PROXIES.values(),
                         ids=CLIENTS_BEHIND_PROXIES.keys())
def test_behind_proxies_five_failures_lock_the_address_the_outer_proxy_saw(
    client, db, trusted_proxies, count, failures, locked, other
):
    trusted_proxies(count)
    User.objects.create_user("editrice", password="le-bon-mot-de-passe-42", is_staff=True)
    *first, fifth = failures
    for forwarded in first:
        assert through_proxy(client, "mauvais", forwarded).status_code == 200
    assert through_proxy(client, "mauvais", fifth).status_code == 429
    assert through_proxy(client, "le-bon-mot-de-passe-42", locked).status_code == 429
    # Another client behind the same proxies is not locked out.
    assert through_proxy(client, "le-bon-mot-de-passe-42", other).status_code == 302


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, db, trusted_proxies):
    trusted_proxies(None)
    User.objects.create_user("editrice", password="le-bon-mot-de-passe-42", is_staff=True)
    for n in range(4):
        assert through_proxy(client, "mauvais", f"6.6.{n}.{n}").status_code == 200
    # Every request came from the same address: the header changed nothing.
    assert through_proxy(client, "mauvais", "6.6.9.9").status_code == 429
    assert through_proxy(client, "le-bon-mot-de-passe-42", "203.0.113.8").status_code == 429
