"""The API for other systems: tokens (scoped, expiring, revocable, never stored in clear), the same
access rules as the pages for every role, pages by cursor, and writes through the pages' services."""

import json
from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from api.models import ApiToken, token_hash
from api.services import token_issue, token_revoke
from api.throttling import TokenRateThrottle
from beneficiaries.models import AccessLog, Beneficiary
from projects.models import Location
from trainings.models import Attendance, Enrollment, Session

from ..access import ROLES, ROUTES
from ..factories import TrainingFactory, make_beneficiary

API_ROUTES = sorted(name for name in ROUTES if name.startswith("api:"))


def bearer(user, *, scope="read_write", expires_in=timedelta(days=30), by=None) -> tuple[Client, str]:
    """A client that sends a new token of ``user`` (and no session), and the token's key."""
    _token, key = token_issue(
        user=user, name="test", scope=scope, expires_at=timezone.now() + expires_in, by=by or user
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}"), key


def registration(project, **overrides) -> dict:
    """A registration as a client sends it: a valid adult of ``project`` who consents."""
    city, _created = Location.objects.get_or_create(name="Rabat", kind=Location.Kind.CITY)
    return {
        "project": project.code,
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "sex": "F",
        "date_of_birth": "1992-03-14",
        "nationality": "SN",
        "city": city.pk,
        "consent_processing": True,
        "consent_processing_date": "2026-01-10",
        "consent_processing_method": "written",
        **overrides,
    }


@pytest.mark.parametrize("name", API_ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_each_role_through_a_token_as_through_the_pages(name, role, objects):
    build_kwargs, expected = ROUTES[name]
    url = reverse(name, kwargs=build_kwargs(objects) if build_kwargs else None)
    client = bearer(objects[role], scope="read")[0] if role != "anonymous" else Client()
    response = client.get(url)
    assert response.status_code == expected[role], (name, role, response.content[:300])


def test_a_read_token_cannot_write_and_an_expired_revoked_or_wrong_one_is_refused(project, field_staff, admin_user):
    reader, _key = bearer(field_staff, scope="read", by=admin_user)
    assert reader.get(reverse("api:project-list")).status_code == 200
    response = reader.post(reverse("api:beneficiary-list"), {"project": project.code}, content_type="application/json")
    assert response.status_code == 403 and "ne permet que la lecture" in response.json()["detail"]
    assert not Beneficiary.objects.exists()

    expired, _key = bearer(field_staff, expires_in=timedelta(days=30))
    ApiToken.objects.filter(user=field_staff, scope="read_write").update(
        created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked, key = bearer(field_staff)
    token_revoke(token=ApiToken.objects.get(key_hash=token_hash(key)), by=admin_user)
    wrong = Client(HTTP_AUTHORIZATION="Bearer msr_not-a-token")
    malformed = Client(HTTP_AUTHORIZATION="Bearer two words")
    for client in (expired, revoked, wrong, malformed):
        response = client.get(reverse("api:project-list"))
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    # A user who leaves is refused at once, whatever token they hold.
    field_staff.is_active = False
    field_staff.save()
    assert reader.get(reverse("api:project-list")).status_code == 401


def test_no_token_is_stored_in_clear_and_its_use_is_noted_once_a_minute(field_staff, admin_user):
    client, key = bearer(field_staff, by=admin_user)
    token = ApiToken.objects.get()
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert key not in stored and key[10:] not in stored
    assert token.key_hash == token_hash(key) and token.prefix == key[:10] and key.startswith("msr_")
    client.get(reverse("api:project-list"))
    first_use = ApiToken.objects.get().last_used_at
    client.get(reverse("api:project-list"))
    assert first_use is not None and ApiToken.objects.get().last_used_at == first_use


def test_the_administrator_issues_a_token_in_the_admin_sees_it_once_and_revokes_it(client, admin_user, field_staff):
    client.force_login(admin_user)
    expires = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%d")
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "user": field_staff.pk,
            "name": "Kobo",
            "scope": "read",
            "expires_at_0": expires,
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.context["key"]
    token = ApiToken.objects.get()
    assert token_hash(key) == token.key_hash and token.created_by == admin_user
    assert key not in client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:project-list")).status_code == 200
    client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:project-list")).status_code == 401
    # A token that would never end is refused.
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "user": field_staff.pk,
            "name": "Forever",
            "scope": "read",
            "expires_at_0": "2099-01-01",
            "expires_at_1": "0:0",
        },
    )
    assert response.status_code == 200 and ApiToken.objects.count() == 1


def test_a_client_pages_through_the_registry_by_cursor_without_gaps_while_people_are_added(project, field_staff):
    people = [make_beneficiary(project, field_staff, residence_card_number=f"C{n}") for n in range(120)]
    client, _key = bearer(field_staff, scope="read")
    seen, url, added = [], reverse("api:beneficiary-list") + "?page_size=50", 0
    while url:
        page = client.get(url).json()
        seen += [row["reference"] for row in page["results"]]
        if not added:  # someone registered between two pages: newer than the cursor, never shifts it
            make_beneficiary(project, field_staff, residence_card_number="LATE")
            added = 1
        url = page["next"]
    assert sorted(seen) == sorted(person.reference for person in people)
    # Each page read is in the access log, as an export is, without names.
    logs = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    assert logs.count() == 3 and all(log.detail.startswith("api internal rows=") for log in logs)


def test_registration_goes_through_the_forms_rules_and_the_duplicate_check(project, field_staff, client_for):
    client, _key = bearer(field_staff)
    person = registration(project)
    bad = client.post(
        reverse("api:beneficiary-list"),
        {**person, "date_of_birth": "2090-01-01", "consent_processing": False},
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"date_of_birth", "consent_processing"} <= set(bad.json())
    assert "futur" in bad.json()["date_of_birth"][0]["message"]  # in French, the portal's language
    created = client.post(reverse("api:beneficiary-list"), person, content_type="application/json")
    assert created.status_code == 201, created.json()
    first = Beneficiary.objects.get()
    assert created.json()["reference"] == first.reference and first.history.count() == 1
    again = client.post(
        reverse("api:beneficiary-list"), {**person, "first_name": "Awa "}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["likely_duplicates"][0]["reference"] == first.reference
    confirmed = client.post(
        reverse("api:beneficiary-list"), {**person, "distinct_from": [first.reference]}, content_type="application/json"
    )
    assert confirmed.status_code == 201 and Beneficiary.objects.count() == 2
    # Another project's code is not found, whatever the token may do.
    elsewhere = client.post(
        reverse("api:beneficiary-list"), {**person, "project": "XX.0000"}, content_type="application/json"
    )
    assert elsewhere.status_code == 404 and Beneficiary.objects.count() == 2


def test_enrollment_and_attendance_are_written_through_the_pages_services(project, field_staff, outsider):
    today = timezone.localdate()
    training = TrainingFactory(
        project=project, start_date=today - timedelta(days=3), end_date=today + timedelta(days=30)
    )
    session = Session.objects.create(training=training, date=today - timedelta(days=1), start_time=time(9))
    person = make_beneficiary(project, field_staff)
    client, _key = bearer(field_staff)
    url = reverse("api:enrollment-list", kwargs={"training_pk": training.pk})
    unknown = client.post(url, {"beneficiaries": ["FM0390-999999"]}, content_type="application/json")
    assert unknown.status_code == 400 and "FM0390-999999" in json.dumps(unknown.json())
    response = client.post(url, {"beneficiaries": [person.reference]}, content_type="application/json")
    assert response.status_code == 201 and response.json()[0]["status"] == "enrolled"
    twice = client.post(url, {"beneficiaries": [person.reference]}, content_type="application/json")
    assert twice.status_code == 409 and person.reference in twice.json()["detail"]
    enrollment = Enrollment.objects.get(training=training, beneficiary=person)
    assert client.get(url).json()["results"][0]["beneficiary"] == person.reference

    attendance = reverse("api:attendance", kwargs={"training_pk": training.pk, "pk": session.pk})
    bad = client.put(
        attendance, {"marks": [{"enrollment": enrollment.pk, "status": "maybe"}]}, content_type="application/json"
    )
    stranger = client.put(
        attendance, {"marks": [{"enrollment": 10**6, "status": "present"}]}, content_type="application/json"
    )
    assert bad.status_code == 400 and stranger.status_code == 400 and not Attendance.objects.exists()
    saved = client.put(
        attendance, {"marks": [{"enrollment": enrollment.pk, "status": "absent"}]}, content_type="application/json"
    )
    assert saved.status_code == 200 and saved.json()["marks"] == [{"enrollment": enrollment.pk, "status": "absent"}]
    assert Attendance.objects.get(enrollment=enrollment, session=session).recorded_by == field_staff
    # Staff of another project find neither the training nor its session.
    outsiders, _key = bearer(outsider)
    assert outsiders.put(attendance, {"marks": []}, content_type="application/json").status_code == 404
    assert (
        outsiders.post(url, {"beneficiaries": [person.reference]}, content_type="application/json").status_code == 404
    )


def test_a_token_is_held_to_its_rate(field_staff, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    client, _key = bearer(field_staff, scope="read")
    statuses = [client.get(reverse("api:project-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other, _key = bearer(field_staff, scope="read")  # another token has its own count
    assert other.get(reverse("api:project-list")).status_code == 200


def test_a_donor_reads_the_published_release_and_nothing_of_the_registry(objects):
    donor, _key = bearer(objects["donor"], scope="read")
    release = donor.get(reverse("api:release", kwargs={"code": objects["project"].code})).json()
    stored = objects["project"].releases.get()
    assert release["number"] == stored.number and release["tables"] == stored.figures["tables"]
    assert donor.get(reverse("api:beneficiary-list")).status_code == 403
    assert donor.get(reverse("api:training-list")).status_code == 403


def test_the_openapi_schema_validates(field_staff, tmp_path):
    client, _key = bearer(field_staff, scope="read")
    schema = client.get(reverse("api:schema") + "?format=json")
    assert schema.status_code == 200
    spec = json.loads(schema.content)
    validate(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"/api/v1/beneficiaries/", "/api/v1/projects/{code}/release/"} <= set(spec["paths"])
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"), stdout=out)
    assert (tmp_path / "schema.yml").stat().st_size > 1000


def test_an_anonymized_persons_identity_stays_out_of_the_api(project, field_staff, me_officer):
    from beneficiaries.services import beneficiary_anonymize

    person = make_beneficiary(
        project, field_staff, first_name="Zarifa", other_first_name="ظريفة", date_of_birth=date(1990, 1, 1)
    )
    beneficiary_anonymize(beneficiary=person, by=me_officer)
    client, _key = bearer(me_officer, scope="read")
    listed = client.get(reverse("api:beneficiary-list")).content.decode()
    detail = client.get(reverse("api:beneficiary-detail", kwargs={"reference": person.reference})).content.decode()
    for body in (listed, detail):
        assert "Zarifa" not in body and "ظريفة" not in body and "1990" not in body


def test_the_registry_list_shows_what_the_list_page_shows_and_no_more(project, field_staff):
    make_beneficiary(project, field_staff, phone="+212600000004", date_of_birth=date(1992, 3, 14))
    client, _key = bearer(field_staff, scope="read")
    row = client.get(reverse("api:beneficiary-list")).json()["results"][0]
    assert "phone" not in row and "date_of_birth" not in row and "age_group" in row
    # The person's own record, as the person page shows it (and logs it), has them.
    person = client.get(reverse("api:beneficiary-detail", kwargs={"reference": row["reference"]})).json()
    assert person["phone"] == "+212600000004" and person["date_of_birth"] == "1992-03-14"


@pytest.mark.parametrize("answer", ["no", "0", "off", "nope", "", None, 0])
def test_a_consent_not_given_as_true_registers_nobody(answer, project, field_staff):
    client, _key = bearer(field_staff)
    person = registration(project, consent_processing=answer)
    response = client.post(reverse("api:beneficiary-list"), person, content_type="application/json")
    assert response.status_code == 400 and "consent_processing" in response.json()
    assert not Beneficiary.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        {"project": "\ud800"},
        {"project": "FM.0390\u0000"},
        {"date_of_birth": 19920314},
        {"distinct_from": 5},
        {"distinct_from": [["a"]]},
        "a string",
    ],
)
def test_a_malformed_registration_is_a_400_with_a_message(body, project, field_staff):
    client, _key = bearer(field_staff)
    response = client.post(reverse("api:beneficiary-list"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.json()
    assert not Beneficiary.objects.exists()


def test_a_forged_cursor_or_an_enrollment_id_out_of_range_is_a_4xx(project, field_staff):
    make_beneficiary(project, field_staff)
    client, _key = bearer(field_staff)
    import base64

    for position in ("abc", "1.5", "-"):
        cursor = base64.b64encode(f"p={position}".encode()).decode()
        response = client.get(reverse("api:beneficiary-list"), {"cursor": cursor})
        assert response.status_code == 404, position
    today = timezone.localdate()
    training = TrainingFactory(
        project=project, start_date=today - timedelta(days=3), end_date=today + timedelta(days=9)
    )
    session = Session.objects.create(training=training, date=today - timedelta(days=1), start_time=time(9))
    url = reverse("api:attendance", kwargs={"training_pk": training.pk, "pk": session.pk})
    response = client.put(url, {"marks": [{"enrollment": 2**70, "status": "present"}]}, content_type="application/json")
    assert response.status_code == 400


def test_the_access_log_keeps_only_the_names_of_known_parameters(project, field_staff):
    make_beneficiary(project, field_staff)
    client, _key = bearer(field_staff, scope="read")
    client.get(reverse("api:beneficiary-list"), {"page_size": 10, "Awa_Ndiaye_0612345678": 1, "project": project.code})
    (log,) = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    assert "Awa" not in log.detail and log.detail.endswith("page_size,project")


def test_the_admin_records_the_issue_of_a_token_against_it(client, admin_user, field_staff):
    from django.contrib.admin.models import LogEntry

    client.force_login(admin_user)
    expires = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%d")
    data = {"user": field_staff.pk, "name": "Kobo", "scope": "read", "expires_at_0": expires, "expires_at_1": "12:00"}
    client.post(reverse("admin:api_apitoken_add"), data)
    token = ApiToken.objects.get()
    entry = LogEntry.objects.get()
    assert entry.object_id == str(token.pk) and token.prefix in entry.object_repr


def test_a_token_lives_at_most_a_year_whoever_issues_it(field_staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_issue(
            user=field_staff, name="x", scope="read", expires_at=timezone.now() + timedelta(days=400), by=field_staff
        )
    assert not ApiToken.objects.exists()
