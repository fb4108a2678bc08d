"""The admin, swept as the M&E officer of another project would: every registered model, every admin
URL (list, add, change, delete, history, a past version and its revert, actions, autocomplete, "view
on site"), by GET and by POST. Generated from ``admin.site._registry`` and the URLconf, so a new
ModelAdmin is covered without anyone adding a row.

The persona holds what ``seed_demo`` and the role migrations give a real M&E officer (the role's group
and staff status), in a project of their own. FM.0390's rows carry canary words; none may reach them.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from beneficiaries.models import Beneficiary
from core.roles import Role

from ..access import admin_url, url_names
from ..factories import UserFactory

ADMIN_NAMES = sorted({name for name, _route in url_names() if name.startswith("admin:")})


@pytest.fixture
def stranger(other_project):
    """An M&E officer of another project, with staff status as every M&E officer has."""
    user = UserFactory(username="stranger", role=Role.ME_OFFICER, projects=[other_project])
    assert user.is_staff
    return user


def canaries(objects) -> list[str]:
    """Words that only FM.0390's rows hold: its code, a person's identity, its events' titles."""
    person = objects["beneficiary"]
    return [
        objects["project"].code,
        person.reference,
        person.first_name,
        person.last_name,
        str(person.phone),
        objects["training"].title,
        objects["ongoing_training"].title,
        objects["workshop"].title,
        objects["participant"].last_name,
        "Restauration",  # the business support's sector
        "Taux Zircon",  # the indicator's name
    ]


def assert_nothing_of_fm0390(response, objects, where):
    assert response.status_code in {200, 302, 403, 404, 405}, (where, response.status_code)
    text = response.content.decode(errors="replace") + response.get("Location", "")
    leaked = [word for word in canaries(objects) if word in text]
    assert not leaked, f"{where}: {leaked}"


@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_an_m_and_e_officer_of_another_project_reads_nothing_of_it_at_any_admin_url(name, objects, stranger, client):
    client.force_login(stranger)
    url = admin_url(name, objects)
    response = client.get(url)
    assert_nothing_of_fm0390(response, objects, url)
    if response.status_code == 302 and response["Location"].startswith("/admin/"):
        assert_nothing_of_fm0390(client.get(response["Location"]), objects, f"{url} -> {response['Location']}")


def _scoped_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"projects", "beneficiaries", "trainings"}
    ]


@pytest.mark.parametrize("model", [model for model, _admin in _scoped_admins()], ids=lambda model: model.__name__)
def test_an_m_and_e_officer_of_another_project_changes_nothing_of_it_through_the_admin(
    model, objects, stranger, client
):
    if not model._default_manager.exists():
        pytest.skip(f"no {model.__name__} row in the fixture")
    instance = model._default_manager.first()
    if hasattr(instance, "project_id") and instance.project_id != objects["project"].pk:
        pytest.skip("a row of no project")
    info = model._meta.app_label, model._meta.model_name
    before = {field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields}
    client.force_login(stranger)
    posts = [
        (reverse("admin:{}_{}_change".format(*info), args=[instance.pk]), {"first_name": "Mallory", "version": 1}),
        (reverse("admin:{}_{}_delete".format(*info), args=[instance.pk]), {"post": "yes"}),
    ]
    model_admin = admin.site._registry[model]
    for action in model_admin.get_actions(_request_for(stranger)) or {}:
        posts.append(
            (
                reverse("admin:{}_{}_changelist".format(*info)),
                {"action": action, "_selected_action": [instance.pk], "post": "yes"},
            )
        )
    if hasattr(model, "history"):
        version = instance.history.latest()
        posts.append(
            (
                reverse("admin:{}_{}_simple_history".format(*info), args=[instance.pk, version.history_id]),
                {"first_name": "Mallory", "version": 1, "_change_history": "1"},
            )
        )
    for url, data in posts:
        response = client.post(url, data)
        assert_nothing_of_fm0390(response, objects, f"POST {url} {data}")
    instance = model._default_manager.get(pk=instance.pk)
    after = {field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields}
    assert after == before


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_autocomplete_offers_a_stranger_nothing_of_another_project(objects, stranger, client):
    client.force_login(stranger)
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.get_autocomplete_fields(_request_for(stranger)):
            params = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
                "term": "",
            }
            response = client.get(reverse("admin:autocomplete"), params)
            assert_nothing_of_fm0390(response, objects, f"autocomplete {params}")


def test_view_on_site_does_not_name_a_strangers_record(objects, stranger, client):
    from django.contrib.contenttypes.models import ContentType

    person = objects["beneficiary"]
    client.force_login(stranger)
    url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Beneficiary).pk, person.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert person.reference not in response.get("Location", "")


def test_a_history_url_with_a_key_that_is_not_a_number_is_a_404(objects, stranger, client):
    client.force_login(stranger)
    for url in ("/admin/beneficiaries/beneficiary/abc/history/", "/admin/beneficiaries/beneficiary/abc/history/1/"):
        assert client.get(url).status_code == 404, url
