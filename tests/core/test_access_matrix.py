"""Every URL pattern x every role has an expected response, and gets it."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from beneficiaries.models import DistinctPersonConfirmation
from projects.models import Component, Indicator, IndicatorValue, Sector

from ..access import ALIASES, LOGIN, ROLES, ROUTES, url_names
from ..factories import FundingFactory, LocationFactory, make_beneficiary, training_objects, workshop_objects

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


@pytest.fixture
def objects(personas, project, other_project):
    """One row of every model the admin shows, so that every object URL can be built."""
    FundingFactory(project=project)
    LocationFactory()
    Component.objects.create(project=project, number=1, title_fr="Composante")
    Sector.objects.create(project=project, code=Sector.Code.VOCATIONAL_TRAINING, percentage=100)
    beneficiary = make_beneficiary(project, personas["field_staff"])
    twin = make_beneficiary(project, personas["field_staff"], first_name="Awa")
    DistinctPersonConfirmation.objects.create(beneficiary=twin, other=beneficiary, confirmed_by=personas["me_officer"])
    trainings = training_objects(project, beneficiary, personas["field_staff"])
    workshops = workshop_objects(project)
    security_objects(personas["admin"])
    indicator = Indicator.objects.create(project=project, code="1", level="outcome", name_fr="Indicateur", target=10)
    IndicatorValue.objects.create(indicator=indicator, period_start="2024-01-01", period_end="2024-12-31", value=3)
    return {
        "project": project,
        "other_project": other_project,
        "beneficiary": beneficiary,
        **trainings,
        **workshops,
        **personas,
    }


def security_objects(admin_user) -> None:
    """One row of each model django-axes and django-otp show in the admin."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone", "path_info": "/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", http_accept="", failures_since_start=1)
    AccessLog.objects.create(**attempt, http_accept="")
    AccessFailureLog.objects.create(**attempt, http_accept="", locked_out=False)
    TOTPDevice.objects.create(user=admin_user, name="phone")
    StaticDevice.objects.create(user=admin_user, name="recovery")


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


def _admin_url(name: str, objects) -> str | None:
    """Build an admin URL, finding an existing object for object URLs."""
    pattern = next(route for n, route in url_names() if n == name)
    if name.endswith("_simple_history"):  # one past version of an object with history
        model = next(
            m for m in admin.site._registry if name == f"admin:{m._meta.app_label}_{m._meta.model_name}_simple_history"
        )
        instance = model.objects.first()
        return reverse(name, args=[instance.pk, instance.history.latest().history_id])
    kwargs = {}
    if "<app_label>" in pattern or "(?P<app_label>" in pattern:
        kwargs["app_label"] = "projects"
    if "object_id" in pattern or "<int:pk>" in pattern:
        model = (
            next(m for m in admin.site._registry if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_"))
            if name != "admin:view_on_site"
            else None
        )
        if model is None:
            project = objects["project"]
            kwargs["content_type_id"] = ContentType.objects.get_for_model(project).pk
            kwargs["object_id"] = project.pk
        else:
            instance = model.objects.first()
            assert instance is not None, f"{name}: the objects fixture has no {model.__name__}"
            kwargs["object_id" if "object_id" in pattern else "pk"] = instance.pk
    if "<id>" in pattern:
        kwargs["id"] = objects["field_staff"].pk
    return reverse(name, kwargs=kwargs or None)


ADMIN_EXCEPTIONS = {
    # name: expected status for the administrator where it is not 200
    "admin:logout": 405,  # POST only
    "admin:login": 302,  # already signed in: to the index
    "admin:autocomplete": 403,  # needs its query parameters
    "admin:view_on_site": 302,  # to the object's public page
    # Registration happens on the staff pages (duplicate detection); logs are written by the system.
    "admin:beneficiaries_beneficiary_add": 403,
    "admin:beneficiaries_accesslog_add": 403,
    "admin:beneficiaries_accesslog_delete": 403,
    "admin:beneficiaries_distinctpersonconfirmation_add": 403,
    # Enrollments, attendance, follow-ups and business support are entered on the staff pages,
    # where places, the waitlist and the rules on dates are kept.
    "admin:trainings_enrollment_add": 403,
    "admin:trainings_attendance_add": 403,
    "admin:trainings_followup_add": 403,
    "admin:trainings_businesssupport_add": 403,
    # Sign-in attempts are recorded by django-axes, never typed in.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin_is_for_administrators_only(name, role, objects, client_for):
    url = _admin_url(name, objects)
    response = client_for(objects[role] if role != "anonymous" else None).get(url)
    if role == "admin":
        assert response.status_code == ADMIN_EXCEPTIONS.get(name, 200), (name, response.status_code)
    elif name == "admin:login":
        assert response.status_code == 200
    elif name == "admin:logout":
        assert response.status_code == 302  # nobody to sign out: back to the admin (or sign-in)
    else:
        assert response.status_code == 302, (name, role, response.status_code)
        assert "login/" in response["Location"]
