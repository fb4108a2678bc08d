"""Personas (healthchecks' alice/bob/charlie, in our roles) and the projects they work on."""

import pytest

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
def french_by_default():
    """Each test starts in the default language, whatever the previous request activated."""
    from django.utils import translation

    with translation.override("fr"):
        yield
