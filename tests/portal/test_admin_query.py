"""Admin addresses whose parameters the admin would send to the database unchecked get the
400 page, not a 500; the admin's own handling of other odd values is kept."""

import pytest
from django.contrib.auth.models import User

AUTOCOMPLETE = {"app_label": "metiers", "model_name": "metier", "field_name": "formations"}


@pytest.fixture
def superuser(client, portal_data):
    client.force_login(User.objects.create_superuser("redaction", password="motdepasse-solide-42"))
    return client


@pytest.mark.parametrize(("path", "params"), [
    ("/admin/metiers/metier/", {"publication__exact": "\x00"}),
    ("/admin/formations/formation/", {"type__exact": "master\x00"}),
    ("/admin/metiers/metier/", {"q": "ingé\x00nieur"}),
    ("/admin/autocomplete/", {"term": "\x00", **AUTOCOMPLETE}),
    ("/admin/metiers/metier/", {"modifie_le__year": "99999999999999999999"}),
    ("/admin/metiers/metier/", {"modifie_le__year": "2026", "modifie_le__month": "13"}),
    ("/admin/formations/formation/", {"modifie_le__year": "-1"}),
    ("/admin/formations/formation/", {"modifie_le__year": "9" * 5000}),
    ("/admin/auth/user/", {"date_joined__year": "10000"}),
])
def test_a_nul_byte_or_an_impossible_date_gets_the_400_page(superuser, path, params):
    response = superuser.get(path, params)
    assert response.status_code == 400
    assert "un octet nul ou une date impossible" in response.content.decode()


@pytest.mark.parametrize(("params", "status"), [
    ({"modifie_le__year": "2026", "modifie_le__month": "11"}, 200),
    ({"modifie_le__year": " 2026 "}, 200),
    # Not a number, or a date that does not exist: the admin's own answer, its list
    # again with its « invalid parameters » flag.
    ({"modifie_le__year": "deux mille"}, 302),
    ({"modifie_le__year": "2026", "modifie_le__month": "2", "modifie_le__day": "31"}, 302),
    ({"modifie_le__year": "²"}, 302),
])
def test_the_date_drill_down_still_works(superuser, params, status):
    assert superuser.get("/admin/metiers/metier/", params).status_code == status


def test_the_public_pages_keep_explaining_a_nul_byte(client, portal_data):
    response = client.get("/metiers/", {"q": "ingé\x00nieur"})
    assert response.status_code == 200
