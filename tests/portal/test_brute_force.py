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
