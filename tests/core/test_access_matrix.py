"""Every URL pattern x every role has an expected response, and gets it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from ..access import ALIASES, LOGIN, ROLES, ROUTES, admin_url, url_names

ADMIN_NAMES = sorted({name for name, _route in url_names() if name.startswith("admin:")})


def test_every_url_pattern_has_an_expected_response_for_every_role():
    missing = []
    for name, route in url_names():
        if name.startswith("admin:") or (not name and route.startswith("admin/")):
            continue  # admin patterns follow one rule, below; its catch-all is unnamed
        if not name:
            missing.append(f"unnamed pattern {route!r}")
        elif name not in ROUTES or set(ROUTES[name][1]) != set(ROLES):
            missing.append(name)
    assert not missing, f"URL patterns without a row in tests/access.py: {missing}"


def _assert_response(response, expected, name, role):
    if expected == LOGIN:
        assert response.status_code == 302, (name, role, response.status_code)
        assert "/login/" in response["Location"], (name, role, response["Location"])
    else:
        assert response.status_code == expected, (name, role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_role_as_expected(name, role, objects, client_for):
    build_kwargs, expectations = ROUTES[name]
    url = reverse(ALIASES.get(name, name), kwargs=build_kwargs(objects) if build_kwargs else None)
    response = client_for(objects[role] if role != "anonymous" else None).get(url)
    _assert_response(response, expectations[role], name, role)


ACTIONS = ("view", "change", "add", "delete")


def _admin_model(name: str):
    """The model an admin URL name is about (``admin:<app>_<model>_<view>``), or None."""
    return next(
        (m for m in admin.site._registry if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")),
        None,
    )


ADMIN_EXCEPTIONS = {
    # name: expected status for the administrator where it is not 200
    "admin:logout": 405,  # POST only
    "admin:login": 302,  # already signed in: to the index
    "admin:autocomplete": 403,  # needs its query parameters
    "admin:view_on_site": 302,  # to the object's public page
    # Registration happens on the staff pages (duplicate detection); logs are written by the system.
    "admin:beneficiaries_beneficiary_add": 403,
    # People leave by withdrawal or anonymization, never by a delete.
    "admin:beneficiaries_beneficiary_delete": 403,
    "admin:beneficiaries_accesslog_add": 403,
    "admin:beneficiaries_accesslog_delete": 403,
    "admin:beneficiaries_distinctpersonconfirmation_add": 403,
    # Matches across projects are found by registration and imports, and reviewed, never deleted.
    "admin:beneficiaries_crossprojectmatch_add": 403,
    "admin:beneficiaries_crossprojectmatch_delete": 403,
    # Enrollments, attendance, follow-ups and business support are entered on the staff pages,
    # where places, the waitlist and the rules on dates are kept.
    "admin:trainings_enrollment_add": 403,
    "admin:trainings_attendance_add": 403,
    "admin:trainings_followup_add": 403,
    "admin:trainings_businesssupport_add": 403,
    # Releases are published and withdrawn on the project's releases page, and never change.
    "admin:reports_release_add": 403,
    "admin:reports_release_delete": 403,
    # Sign-in attempts are recorded by django-axes, never typed in.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    # Jobs are enqueued by the pages that ask for them, never typed in.
    "admin:django_tasks_database_dbtaskresult_add": 403,
    # ... and kept as their worker wrote them (prune_db_task_results removes old ones).
    "admin:django_tasks_database_dbtaskresult_delete": 403,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin_answers_each_role_by_its_grants(name, role, objects, client_for):
    url = admin_url(name, objects)
    response = client_for(objects[role] if role != "anonymous" else None).get(url)
    staff = role in {"admin", "me_officer"}
    if role == "admin" or (staff and name in {"admin:login", "admin:logout"}):
        assert response.status_code == ADMIN_EXCEPTIONS.get(name, 200), (name, response.status_code)
    elif role == "me_officer":
        # Staff status, as seed_demo gives M&E officers: the admin answers by their model permissions
        # (what of another project it shows is swept in test_admin_sweep.py).
        model = _admin_model(name)
        perms = {f"{model._meta.app_label}.{action}_{model._meta.model_name}" for action in ACTIONS} if model else set()
        if model is not None and not any(objects[role].has_perm(perm) for perm in perms):
            assert response.status_code == 403, (name, response.status_code)
        else:
            assert response.status_code in {200, 302, 403, 405}, (name, response.status_code)
    elif name == "admin:login":
        assert response.status_code == 200
    elif name == "admin:logout":
        assert response.status_code == 302  # nobody to sign out: back to the admin (or sign-in)
    else:
        assert response.status_code == 302, (name, role, response.status_code)
        assert "login/" in response["Location"]
