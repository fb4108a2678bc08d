"""Sign-in lockout, response headers, session lifetime, the second factor and security logs."""

import json
import logging
import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.log_format import JsonLineFormatter
from core.two_factor import PENDING_KEY

from ..factories import TEST_PASSWORD, make_beneficiary
from ..pages import text
from .test_platform import PRODUCTION, SETUP, run_django

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("login_url", [LOGIN, "/admin/login/"])
def test_the_sixth_wrong_password_locks_the_account_for_an_hour(client, admin_user, login_url):
    for attempt in range(1, 6):
        response = _sign_in(client, "admin", f"wrong password {attempt}", login_url)
    assert response.status_code == 429  # the fifth failure locked the account
    sixth = _sign_in(client, "admin", "wrong password 6", login_url)
    assert sixth.status_code == 429
    assert "Trop de connexions échouées : ce compte est verrouillé pendant une heure" in sixth.content.decode()
    refused = _sign_in(client, "admin", TEST_PASSWORD, login_url)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # An hour later the lockout has ended and the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))
    assert _sign_in(client, "admin", TEST_PASSWORD, login_url).status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_one_persons_wrong_passwords_behind_a_shared_address_lock_nobody_else(client, admin_user, field_staff):
    """An office behind one proxy address: five failures on one account lock that account from that
    address, not every account."""
    for attempt in range(5):
        _sign_in(client, "admin", f"wrong password {attempt}")
    assert _sign_in(client, "admin", TEST_PASSWORD).status_code == 429
    assert _sign_in(client, "staff", TEST_PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_an_attacker_cannot_lock_a_known_account_for_its_owner(client, admin_user):
    """Behind one trusted proxy, the address is the one the proxy saw (right of X-Forwarded-For):
    the attacker's five requests lock the account at their address only, whatever they write in
    the header themselves."""
    for attempt in range(5):
        client.post(
            LOGIN,
            {"username": "admin", "password": f"wrong {attempt}"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.5",  # the left part is the attacker's claim
        )
    locked = client.post(
        LOGIN,
        {"username": "admin", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert locked.status_code == 429
    owner = client.post(
        LOGIN,
        {"username": "admin", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.9",
    )
    assert owner.status_code == 302


@override_settings(AXES_IP_FAILURE_LIMIT=8)
def test_guessing_many_accounts_from_one_address_locks_that_address(client, admin_user, field_staff):
    for attempt in range(8):
        _sign_in(client, f"someone{attempt}", "wrong password")
    assert _sign_in(client, "staff", TEST_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_passwords_need_twelve_characters_and_not_a_common_one(field_staff):
    for weak in ("Court1!", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=field_staff)
    validate_password("vert cactus sous la pluie", user=field_staff)


def _has_inline_script(html: str) -> bool:
    return bool(re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html))


def test_pages_send_the_security_headers(client_for, field_staff, admin_user, project):
    person = make_beneficiary(project, field_staff)
    pages = {
        "public page": (None, reverse("reports:project-detail", kwargs={"code": project.code})),
        "personal data": (field_staff, person.get_absolute_url()),
        "admin": (admin_user, reverse("admin:beneficiaries_beneficiary_changelist")),
        "JSON": (None, "/healthz"),
    }
    for what, (user, url) in pages.items():
        response = client_for(user).get(url)
        assert response.status_code == 200, what
        policy = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert script_src.strip() == "'self'", what
        assert "frame-ancestors 'none'" in policy, what
        assert response["X-Frame-Options"] == "DENY", what
        assert response["X-Content-Type-Options"] == "nosniff", what
        assert response["Referrer-Policy"] == "same-origin", what
        if response["Content-Type"].startswith("text/html"):
            assert not _has_inline_script(response.content.decode()), what
    personal = client_for(field_staff).get(person.get_absolute_url())
    assert "no-store" in personal["Cache-Control"] and "private" in personal["Cache-Control"]


def test_production_cookies_are_secure_and_sessions_short():
    code = (
        f"{SETUP}; from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_AGE, s.SESSION_ABSOLUTE_AGE, s.TWO_FACTOR_REQUIRED)"
    )
    result = run_django(code, **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "Lax", "1800", "43200", "True"], result.stderr


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, field_staff):
    assert _sign_in(client, "staff", TEST_PASSWORD).status_code == 302
    assert client.get(reverse("beneficiaries:beneficiary-list")).status_code == 200
    session = client.session
    session["signed_in_at"] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("beneficiaries:beneficiary-list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_an_administrator_without_a_second_factor_cannot_reach_the_admin(client, admin_user):
    assert _sign_in(client, "admin", TEST_PASSWORD).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    setup = client.get(response["Location"])
    assert setup.status_code == 200 and 'src="data:image/svg+xml;base64,' in setup.content.decode()
    assert not TOTPDevice.objects.exists()  # a GET writes no device
    wrong = client.post("/accounts/two-factor/", {"password": TEST_PASSWORD, "token": "000000", "next": "/admin/"})
    assert "Ce code n'est pas le bon" in text(wrong)
    assert client.get("/admin/").status_code == 302

    code = f"{totp(bytes.fromhex(client.session[PENDING_KEY])):06d}"
    no_password = client.post("/accounts/two-factor/", {"token": code, "next": "/admin/"})
    assert no_password.status_code == 200 and not TOTPDevice.objects.exists()
    confirmed = client.post("/accounts/two-factor/", {"password": TEST_PASSWORD, "token": code, "next": "/admin/"})
    assert TOTPDevice.objects.get(user=admin_user).confirmed
    recovery_codes = re.findall(r'<li class="list-group-item">(\w+)</li>', confirmed.content.decode())
    assert len(recovery_codes) == 10
    assert client.get("/admin/").status_code == 200

    # Next sign-in: the code is asked again; a recovery code works once.
    client.post(reverse("logout"))
    _sign_in(client, "admin", TEST_PASSWORD)
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"token": recovery_codes[0]}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post(reverse("logout"))
    _sign_in(client, "admin", TEST_PASSWORD)
    reused = client.post("/accounts/two-factor/verify/", {"token": recovery_codes[0]})
    assert reused.status_code == 200 and client.get("/admin/").status_code == 302


def _enroll_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    """The victim's own phone and recovery codes, confirmed earlier."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device = TOTPDevice.objects.create(user=user, name="Masar", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(10)]
    for code in codes:
        recovery.token_set.create(token=code)
    return device, codes


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_the_password_alone_cannot_enroll_an_attackers_authenticator(client, admin_user):
    """The attacker knows the password, not the phone: the set-up page must not let them in."""
    device, codes = _enroll_authenticator(admin_user)
    _sign_in(client, "admin", TEST_PASSWORD)

    page = client.get("/accounts/two-factor/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/verify/")
    wrong = client.post("/accounts/two-factor/", {"password": TEST_PASSWORD, "token": "000000"})
    assert wrong.status_code == 302 and "data:image/svg+xml" not in wrong.content.decode()
    # Whatever key the attacker's authenticator holds, a code for it verifies nothing.
    attacker_key = "3132333435363738393031323334353637383930"
    client.post(
        "/accounts/two-factor/", {"password": TEST_PASSWORD, "token": f"{totp(bytes.fromhex(attacker_key)):06d}"}
    )

    assert list(TOTPDevice.objects.filter(user=admin_user)) == [device]
    assert sorted(admin_user.staticdevice_set.get().token_set.values_list("token", flat=True)) == sorted(codes)
    assert client.get("/admin/").status_code == 302


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_replacing_the_authenticator_needs_a_verified_session_and_the_password(client, admin_user):
    device, _codes = _enroll_authenticator(admin_user)
    _sign_in(client, "admin", TEST_PASSWORD)
    verified = client.post("/accounts/two-factor/verify/", {"token": f"{totp(device.bin_key):06d}"})
    assert verified.status_code == 302 and client.get("/admin/").status_code == 200

    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and "Remplacer votre application" in text(page)
    new_code = f"{totp(bytes.fromhex(client.session[PENDING_KEY])):06d}"
    refused = client.post("/accounts/two-factor/", {"password": "not my password", "token": new_code})
    assert "Ce n’est pas votre mot de passe" in text(refused)
    assert list(TOTPDevice.objects.filter(user=admin_user)) == [device]

    replaced = client.post("/accounts/two-factor/", {"password": TEST_PASSWORD, "token": new_code})
    assert replaced.status_code == 200
    (new_device,) = TOTPDevice.objects.filter(user=admin_user)
    assert new_device.pk != device.pk and new_device.confirmed


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_field_staff_need_no_second_factor(client, field_staff):
    _sign_in(client, "staff", TEST_PASSWORD)
    assert client.get(reverse("beneficiaries:beneficiary-list")).status_code == 200


def test_security_events_are_json_lines_without_secrets(client, field_staff, caplog):
    caplog.set_level(logging.INFO, logger="masar.security")
    forged = 'staff\n{"event": "sign_in", "user_id": 1}'
    _sign_in(client, forged, "my secret password")
    _sign_in(client, "staff", TEST_PASSWORD)
    client.get(reverse("admin:index"))  # field staff: the admin sends them to its own sign-in
    client.get(reverse("trainings:training-create"))  # 403: not their role
    records = [record for record in caplog.records if record.name == "masar.security"]
    events = [record.msg["event"] for record in records]
    assert events == ["sign_in_failed", "sign_in", "permission_denied"]
    formatter = JsonLineFormatter()
    for record in records:
        line = formatter.format(record)
        assert "\n" not in line
        assert "my secret password" not in line and TEST_PASSWORD not in line
        assert json.loads(line)["event"] in events
    failed = json.loads(formatter.format(records[0]))
    assert failed["username"] == forged and failed["level"] == "WARNING"


def _stored_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_read_within_a_minute_do_not_write_the_session(client, field_staff):
    """The idle limit is kept without a database write per request: the session is written again
    (and its expiry pushed back) at most once a minute."""
    assert _sign_in(client, "staff", TEST_PASSWORD).status_code == 302
    url = reverse("beneficiaries:beneficiary-list")
    assert client.get(url).status_code == 200
    expiry = _stored_expiry(client)
    response = client.get(url)
    assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
    assert _stored_expiry(client) == expiry

    session = client.session
    session["last_seen_at"] = time.time() - 61
    session.save()
    expiry = _stored_expiry(client)
    response = client.get(url)
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert _stored_expiry(client) >= expiry
    assert client.session["last_seen_at"] > time.time() - 5


def test_a_session_ends_after_thirty_minutes_without_activity(client, field_staff):
    assert _sign_in(client, "staff", TEST_PASSWORD).status_code == 302
    session = client.session
    session["last_seen_at"] = time.time() - 30 * 60 - 1
    session.save()
    response = client.get(reverse("beneficiaries:beneficiary-list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
