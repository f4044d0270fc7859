"""Admin forms sent back with values the page could not have sent: the form again with its
errors, nothing written, never a 500; and the ordinary edits still saved."""

import pytest
from django.contrib.auth.models import User

from metiers.models import Appellation, Metier

IMAGE = "ingenieur-traitement-de-l-image"
HOSTILE = ["abc", "\x00", "99999999999999999999", "1e309"]


@pytest.fixture
def editeur(client, portal_data):
    client.force_login(User.objects.create_superuser("redaction", password="motdepasse-solide-42"))
    return client


def posted(page):
    """The change form and its inlines as the browser would send them back."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, (list, tuple)):
                data[form[name].html_name] = [str(item) for item in value]
            elif value is not None:
                data[form[name].html_name] = value

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({
            f"{formset.prefix}-TOTAL_FORMS": len(formset.forms),
            f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count(),
        })
        for form in formset.forms:
            add(form)
    return data


def change_url(model, pk):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/change/"


def state(metier):
    metier = Metier.objects.get(pk=metier.pk)
    return (
        metier.modifie_le,
        sorted(metier.appellations.values_list("pk", "libelle")),
        sorted(metier.formations.values_list("pk", flat=True)),
        sorted(metier.sources.values_list("pk", flat=True)),
        sorted(metier.salaires.values_list("pk", "source_id")),
    )


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["formations", "metiers_associes", "sources", "salaires-0-source"])
def test_a_hostile_choice_in_an_autocomplete_field_gives_the_form_again(editeur, field, value):
    metier = Metier.objects.get(slug=IMAGE)
    url = change_url(Metier, metier.pk)
    before = state(metier)
    response = editeur.post(url, posted(editeur.get(url)) | {field: value})
    assert response.status_code == 200
    assert response.context["errors"]
    assert state(metier) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_source_of_a_formation_gives_the_form_again(editeur, value):
    formation = Metier.objects.get(slug=IMAGE).formations.first()
    url = change_url(type(formation), formation.pk)
    response = editeur.post(url, posted(editeur.get(url)) | {"sources": value})
    assert response.status_code == 200
    assert response.context["errors"]


@pytest.mark.parametrize("count", ["-1", "-99999999999999", "99"])
def test_a_count_of_existing_rows_the_page_did_not_send_is_refused(editeur, count):
    metier = Metier.objects.get(slug=IMAGE)
    url = change_url(Metier, metier.pk)
    before = state(metier)
    response = editeur.post(url, posted(editeur.get(url)) | {"appellations-INITIAL_FORMS": count})
    assert response.status_code == 200
    assert "rechargez la page" in response.content.decode()
    assert state(metier) == before


def test_adding_and_deleting_appellations_still_works(editeur):
    metier = Metier.objects.get(slug=IMAGE)
    url = change_url(Metier, metier.pk)
    data = posted(editeur.get(url))
    kept, removed = list(metier.appellations.order_by("pk"))[-2:]
    total = data["appellations-TOTAL_FORMS"]
    # The last form of the page is an empty one, for a new appellation.
    new = total - 1
    index = next(i for i in range(total) if str(data.get(f"appellations-{i}-id")) == str(removed.pk))
    data |= {
        f"appellations-{index}-DELETE": "on",
        f"appellations-{new}-libelle": "ingénieur/e vision par ordinateur",
        f"appellations-{new}-genre": data.get("appellations-0-genre", ""),
    }
    response = editeur.post(url, data)
    assert response.status_code == 302
    libelles = set(metier.appellations.values_list("libelle", flat=True))
    assert "ingénieur/e vision par ordinateur" in libelles
    assert kept.libelle in libelles and not Appellation.objects.filter(pk=removed.pk).exists()
