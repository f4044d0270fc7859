"""The "Importer des fiches" admin page: same import as the command, for staff allowed to add métiers."""

from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from metiers.models import Metier

SAMPLES = Path(__file__).parent / "samples"
URL = reverse("admin:metiers_metier_importer")


def envoi(*noms, **champs):
    fichiers = [SimpleUploadedFile(nom, (SAMPLES / nom).read_bytes()) for nom in noms]
    return {"fichiers": fichiers, "publication": "", **champs}


@pytest.fixture
def editeur(db, client):
    user = User.objects.create_user("editrice", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_metier", "view_metier", "change_metier"])
    )
    client.force_login(user)
    return client


def test_staff_without_the_permission_gets_403(db, client):
    user = User.objects.create_user("lecteur", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_metier"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, envoi("fiche_met_999.txt")).status_code == 403
    assert not Metier.objects.exists()


def test_anonymous_is_sent_to_the_login_page(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_changelist_links_to_the_import_page(editeur):
    response = editeur.get(reverse("admin:metiers_metier_changelist"))
    assert f'href="{URL}"'.encode() in response.content
    assert "Importer des fiches" in response.content.decode()


def test_upload_imports_and_shows_the_summary(editeur):
    response = editeur.post(URL, envoi("ideo_deux_fiches.xml", "fiche_met_999.txt"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import terminé" in page
    assert "métiers : 3 créé(s), 0 modifié(s), 0 inchangé(s), 0 supprimé(s)" in page
    assert set(Metier.objects.values_list("onisep_id", flat=True)) == {"MET.901", "MET.902", "MET.999"}
    assert Metier.objects.get(onisep_id="MET.901").import_fichier == "ideo_deux_fiches.xml"


def test_upload_dry_run_writes_nothing(editeur):
    response = editeur.post(URL, envoi("fiche_met_999.txt", dry_run="on"))
    assert response.status_code == 200
    assert "Essai à blanc\u00a0: rien n'a été écrit" in unescape(response.content.decode())
    assert not Metier.objects.exists()


def test_refused_file_shows_the_error_and_writes_nothing(editeur):
    invalide = SimpleUploadedFile("casse.txt", "# x/e\n**ID:** MET.12a\n".encode())
    valide = SimpleUploadedFile("fiche_met_999.txt", (SAMPLES / "fiche_met_999.txt").read_bytes())
    response = editeur.post(URL, {"fichiers": [valide, invalide], "publication": ""})
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "Import refusé\u00a0: rien n'a été écrit." in page
    assert "casse.txt, ligne 2\u00a0: identifiant métier «\u00a0MET.12a\u00a0» mal formé" in page
    assert not Metier.objects.exists()


def test_upload_without_file_is_a_form_error(editeur):
    response = editeur.post(URL, {"publication": ""})
    assert response.status_code == 400
    assert not Metier.objects.exists()


def test_the_page_states_the_upload_limit(editeur, settings):
    settings.IMPORT_UPLOAD_MAX_MB = 7
    assert "7 Mo au plus par envoi." in editeur.get(URL).content.decode()


def test_upload_over_the_limit_is_refused_and_points_to_the_command(editeur, settings):
    settings.IMPORT_UPLOAD_MAX_MB = 1
    fiches = (SAMPLES / "ideo_deux_fiches.xml").read_bytes()
    # Valid fiches padded past the limit: refused for its size alone, before any reading.
    gros = SimpleUploadedFile("national.xml", fiches.replace(b"</metiers>", b" " * 1024 * 1024 + b"</metiers>"))
    response = editeur.post(URL, {"fichiers": [gros], "publication": ""})
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "Trop volumineux : 1 Mo au plus par envoi depuis cette page." in page
    assert "« manage.py import_fiches FICHIER »" in page
    assert not Metier.objects.exists()


def test_several_files_count_together_against_the_limit(editeur, settings):
    settings.IMPORT_UPLOAD_MAX_MB = 1
    moitie = b"<metiers>" + b" " * 600 * 1024 + b"</metiers>"
    fichiers = [SimpleUploadedFile(f"partie-{n}.xml", moitie) for n in (1, 2)]
    response = editeur.post(URL, {"fichiers": fichiers, "publication": ""})
    assert response.status_code == 400
    assert "Trop volumineux" in response.content.decode()


def test_upload_needs_the_csrf_token(db):
    user = User.objects.create_user("editeur2", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_metier"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(URL, envoi("fiche_met_999.txt")).status_code == 403
    assert not Metier.objects.exists()

