import pytest
from django.contrib.auth.models import Group, User

from metiers.models import Metier
from portal.roles import CONSEILLERS, EDITEURS

IA = "ingenieur-en-intelligence-artificielle"


def staff(name, group):
    user = User.objects.create_user(name, password="motdepasse-solide-42", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def draft(portal_data):
    Metier.objects.filter(slug=IA).update(publication=Metier.Publication.BROUILLON)
    return Metier.objects.get(slug=IA)


def change_url(metier):
    return f"/admin/metiers/metier/{metier.pk}/change/"


def test_the_migration_creates_both_groups(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITEURS, CONSEILLERS}


def main_form_data(page):
    """The admin change form as the browser would post it, inlines left untouched."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = value
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_an_editor_edits_a_fiche_and_the_site_shows_it(client, portal_data):
    client.force_login(staff("editrice", EDITEURS))
    metier = Metier.objects.get(slug="ingenieur-traitement-de-l-image")
    page = client.get(change_url(metier))
    assert page.status_code == 200
    data = main_form_data(page) | {"accroche": "<p>Texte revu par la rédaction.</p>"}
    response = client.post(change_url(metier), data)
    assert response.status_code == 302
    assert "Texte revu par la rédaction." in client.get(metier.get_absolute_url()).content.decode()
    # The edit reaches the search index too.
    assert Metier.objects.get(pk=metier.pk).texte_corps.startswith("texte revu par la redaction")


def test_a_counsellor_reads_drafts_in_the_admin_but_cannot_change_them(client, draft):
    client.force_login(staff("conseiller", CONSEILLERS))
    listing = client.get("/admin/metiers/metier/?publication__exact=brouillon")
    assert listing.status_code == 200
    assert draft.titre in listing.content.decode()
    page = client.get(change_url(draft))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(change_url(draft), {"titre": "piraté"}).status_code == 403
    assert client.get("/admin/metiers/metier/add/").status_code == 403
    assert Metier.objects.get(pk=draft.pk).titre == draft.titre


def test_only_editors_may_import_and_edit(db):
    editor, counsellor = staff("e", EDITEURS), staff("c", CONSEILLERS)
    for perm in ("metiers.add_metier", "metiers.change_metier", "formations.change_formation"):
        assert editor.has_perm(perm)
        assert not counsellor.has_perm(perm)
    assert counsellor.has_perm("metiers.view_metier")


@pytest.mark.parametrize("role", [None, CONSEILLERS, EDITEURS])
def test_no_public_page_shows_a_draft(client, draft, role):
    if role:
        client.force_login(staff("x", role))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.titre not in client.get("/metiers/").content.decode()
    assert draft.titre not in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/admin/metiers/metier/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
