"""Personas (healthchecks' alice/bob/charlie, in our roles) and the projects they work on."""

import pytest
from django.db.models import Q

from core.roles import Role

from .factories import ProjectFactory, UserFactory


@pytest.fixture
def project(db):
    return ProjectFactory(code="FM.0390", prima_id="MA10P0001")


@pytest.fixture
def other_project(db):
    return ProjectFactory(code="XX.0001", is_public=False)


@pytest.fixture
def field_staff(project):
    return UserFactory(username="staff", role=Role.FIELD_STAFF, projects=[project])


@pytest.fixture
def me_officer(project):
    return UserFactory(username="me", role=Role.ME_OFFICER, projects=[project])


@pytest.fixture
def donor(project):
    return UserFactory(username="donor", role=Role.DONOR, projects=[project])


@pytest.fixture
def outsider(other_project):
    """Field staff of another project: must not see anything of ``project``."""
    return UserFactory(username="outsider", role=Role.FIELD_STAFF, projects=[other_project])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def personas(field_staff, me_officer, donor, outsider, admin_user):
    return {
        "anonymous": None,
        "donor": donor,
        "field_staff": field_staff,
        "me_officer": me_officer,
        "outsider": outsider,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user`` (anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a report cached by an earlier test could describe rows
    that test's rollback removed (and, on SQLite, whose keys the next test reuses)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in the default language, whatever the previous request activated."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture(scope="session")
def role_grants(django_db_setup, django_db_blocker) -> dict[str, list[tuple[str, str]]]:
    """The role groups the data migrations created, read once before any test can flush them."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        return {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }


@pytest.fixture(autouse=True)
def roles_present(request):
    """Transactional tests (live server, threads) end with a flush that empties every table, the
    migrations' role groups included; the next test gets them back. (Django's serialized rollback
    cannot do it here: Playwright runs the tests in another context, with other connections.)"""
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    from django.contrib.auth.models import Group, Permission

    role_grants = request.getfixturevalue("role_grants")
    request.getfixturevalue("transactional_db" if "live_server" in request.fixturenames else "db")
    if Group.objects.exists():
        return
    for name, grants in role_grants.items():
        group = Group.objects.create(name=name)
        wanted = Q(pk__in=[])
        for app_label, codename in grants:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
