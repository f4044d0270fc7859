"""Every admin page and action against the three kinds of staff: Éditeurs, Conseillers and
staff in no group. What each may do is stated here, not read from portal/roles.py, so that a
role or an action losing its check shows."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, User
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from metiers.models import Metier
from portal.roles import CONSEILLERS, EDITEURS

EVERYTHING = {"view", "add", "change", "delete"}
# On the catalogue's models; the accounts (auth) are the superusers' alone.
ROLE_PERMISSIONS = {EDITEURS: EVERYTHING, CONSEILLERS: {"view"}, None: set()}
CATALOGUE_APPS = {"metiers", "formations", "sources"}
# The permission each admin action needs; an action missing here fails the test below.
# django-axes' clean-up declares none, but its lists are the superusers' alone.
ACTION_PERMISSIONS = {
    "delete_selected": "delete", "publier": "change", "depublier": "change", "cleanup_expired_attempts": "delete",
}

REGISTERED = [model for model in apps.get_models() if admin.site.is_registered(model)]
ROLES = pytest.mark.parametrize("role", list(ROLE_PERMISSIONS), ids=["editeur", "conseiller", "sans-groupe"])
MODELS = pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)


def allowed(model, role):
    return ROLE_PERMISSIONS[role] if model._meta.app_label in CATALOGUE_APPS else set()


@pytest.fixture
def login(client, portal_data):
    # One record in each of django-axes' lists, for their pages to have an object to open.
    access = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "x", "http_accept": "*/*",
              "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)

    def login(role):
        user = User.objects.create_user("personnel", password="motdepasse-solide-42", is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return user

    return login


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot(model):
    return [model_to_dict(obj) for obj in model._default_manager.order_by("pk")]


def actions_of(model):
    """The actions the admin has for `model`, as a superuser sees them."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return list(admin.site.get_model_admin(model).get_actions(request))


def test_every_action_has_its_expected_permission():
    assert {name for model in REGISTERED for name in actions_of(model)} <= set(ACTION_PERMISSIONS)


@MODELS
@ROLES
def test_the_pages_of_each_model(client, login, model, role):
    login(role)
    can = allowed(model, role)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, "the fixture has no object to open"
    expected = {
        ("changelist", "GET"): "view" in can,
        ("add", "GET"): "add" in can,
        ("change", "GET"): "view" in can,
        ("history", "GET"): "view" in can,
        ("delete", "GET"): "delete" in can,
        ("change", "POST"): "change" in can,
        ("delete", "POST"): "delete" in can,
    }
    before = snapshot(model)
    for (view, method), permitted in expected.items():
        args = [] if view in ("changelist", "add") else [obj.pk]
        # A POST without a form's fields: refused (403), or re-shown with its errors.
        response = client.generic(method, url(model, view, *args))
        assert (response.status_code != 403) is permitted, (view, method, response.status_code)
    if "delete" not in can:
        assert snapshot(model) == before


@MODELS
@ROLES
def test_each_action_is_offered_and_runs_only_with_its_permission(client, login, model, role):
    login(role)
    can = allowed(model, role)
    changelist = client.get(url(model, "changelist"))
    # No form at all when the list is refused, or offers no action.
    form = changelist.context["action_form"] if changelist.status_code == 200 else None
    offered = {name for name, _ in form.fields["action"].choices if name} if form else set()
    permitted = {name for name in actions_of(model) if ACTION_PERMISSIONS[name] in can}
    for name in set(actions_of(model)) - permitted:
        before = snapshot(model)
        # The whole list at once, confirmed (the deletion's second step), as a forged form would.
        client.post(url(model, "changelist"), {
            "action": name, "select_across": "1", "index": "0", "post": "yes",
            helpers.ACTION_CHECKBOX_NAME: [str(pk) for pk in model._default_manager.values_list("pk", flat=True)],
        })
        assert snapshot(model) == before, name
    assert offered == permitted


@pytest.mark.parametrize("action, avant, apres", [
    ("depublier", Metier.Publication.PUBLIE, Metier.Publication.BROUILLON),
    ("publier", Metier.Publication.BROUILLON, Metier.Publication.PUBLIE),
])
def test_an_editor_publishes_and_unpublishes_the_whole_list(client, login, action, avant, apres):
    login(EDITEURS)
    Metier.objects.update(publication=avant)
    response = client.post(url(Metier, "changelist"), {
        "action": action, "select_across": "1", "index": "0",
        helpers.ACTION_CHECKBOX_NAME: [str(Metier.objects.first().pk)],
    })
    assert response.status_code == 302
    assert set(Metier.objects.values_list("publication", flat=True)) == {apres}
