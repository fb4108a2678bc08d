"""Settings, health, sign-in and the demo data: the platform every page stands on."""

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beneficiaries.jobs import check_import
from core.models import LanguagePreference
from core.roles import Role
from core.scoping import for_member
from projects.models import Location, Membership, Organization, Project

from ..factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python with a clean environment plus ``env``, as a fresh server process would start."""
    clean = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


SETUP = "import django; django.setup()"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 20 + "production-secret-key-for-the-deploy-check-only-1234567890",
    "ALLOWED_HOSTS": "masar.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_URL": "smtp+tls://masar:secret@smtp.example.org:587",
}


def test_healthz_answers_ok_with_a_database_round_trip(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "jobs": {"backend": "ImmediateBackend"}}


def test_healthz_reports_the_jobs_waiting_and_the_age_of_the_oldest(db, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get("/healthz").json()["jobs"] == {"waiting": 0, "oldest_waiting_seconds": 0, "late": False}
    for _ in range(2):
        check_import.enqueue(str(uuid.uuid4()))  # no worker runs here: they wait
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 200  # a late queue does not take the host out of rotation
    assert response.json()["jobs"] == {"waiting": 2, "oldest_waiting_seconds": 600, "late": True}


def test_healthz_answers_503_when_the_cache_is_unreachable():
    code = (
        f"{SETUP}; from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['cache'])"
    )
    unreachable = {"CACHE_URL": "redis://127.0.0.1:1/0", "ALLOWED_HOSTS": "testserver"}
    result = run_django(code, **{**PRODUCTION, **unreachable}, SECURE_SSL_REDIRECT="false")
    assert result.stdout.split() == ["503", "unreachable"], result.stderr


def test_a_load_balancer_plain_http_health_check_is_answered_not_redirected():
    code = (
        f"{SETUP}; from django.test import Client; c = Client(); "
        "print(c.get('/healthz').status_code, c.get('/projects/').status_code)"
    )
    result = run_django(code, **{**PRODUCTION, "ALLOWED_HOSTS": "testserver"})
    assert result.stdout.split() == ["200", "301"], result.stderr  # the pages still go to HTTPS


def test_several_workers_refuse_to_start_with_a_per_process_cache():
    result = run_django(SETUP, **PRODUCTION, WEB_CONCURRENCY="4")
    assert result.returncode != 0
    assert "4 workers (WEB_CONCURRENCY) cannot share a per-process cache (LocMemCache)" in result.stderr
    assert run_django(SETUP, **PRODUCTION, WEB_CONCURRENCY="1").returncode == 0
    shared = run_django(SETUP, **PRODUCTION, WEB_CONCURRENCY="4", CACHE_URL="redis://127.0.0.1:6379/9")
    assert shared.returncode == 0, shared.stderr


def test_the_deploy_check_says_the_same_of_a_per_process_cache():
    from core.deployment import check_shared_cache

    with override_settings(
        WEB_CONCURRENCY=3, CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        (error,) = check_shared_cache()
    assert error.id == "masar.E001" and "CACHE_URL" in error.msg
    with override_settings(
        WEB_CONCURRENCY=3,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/9",
            }
        },
    ):
        assert check_shared_cache() == []


def test_healthz_answers_503_when_the_database_is_unreachable():
    code = (
        f"{SETUP}; from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['database'])"
    )
    unreachable = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "ALLOWED_HOSTS": "testserver"}
    result = run_django(code, **{**PRODUCTION, **unreachable}, SECURE_SSL_REDIRECT="false")
    assert result.stdout.split() == ["503", "unreachable"], result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_django(
        f"{SETUP}; from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"])
def test_production_refuses_to_start_without_required_setting(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = run_django(SETUP, **env)
    assert result.returncode != 0
    assert f"{missing} is required in production" in result.stderr


def test_a_malformed_database_url_gives_a_clear_error():
    result = run_django(SETUP, **{**PRODUCTION, "DATABASE_URL": "postgres//oops"})
    assert result.returncode != 0
    assert "DATABASE_URL is malformed" in result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = run_django(SETUP, DJANGO_SETTINGS_MODULE="config.settings.base")
    assert "SECRET_KEY is not set" in result.stderr


@override_settings(DEBUG=True)
def test_seed_demo_twice_creates_nothing_new(db):
    call_command("seed_demo", stdout=StringIO())
    models = [Project, Organization, Location, Membership, get_user_model()]
    counts = {model: model.objects.count() for model in models}
    assert counts[Project] == 2 and counts[get_user_model()] == 4  # FM.0390 and the Tunisian demo
    call_command("seed_demo", stdout=StringIO())
    assert {model: model.objects.count() for model in models} == counts


@pytest.mark.parametrize("options", [[], ["--no-users"]])
@override_settings(DEBUG=False)
def test_seed_demo_refuses_to_load_anything_when_debug_is_off(db, options):
    with pytest.raises(CommandError, match=r"Refusing to load demo data with DEBUG off.*load_project FM\.0390"):
        call_command("seed_demo", *options, stdout=StringIO())
    assert not get_user_model().objects.exists()
    assert not Project.objects.exists()


@override_settings(DEBUG=True)
def test_seed_demo_refuses_a_database_that_holds_real_users(db):
    """DEBUG on by mistake against a production database: its real users stop the demo."""
    UserFactory(username="karima", email="karima@iom.int")
    with pytest.raises(CommandError, match="holds real users"):
        call_command("seed_demo", stdout=StringIO())
    assert get_user_model().objects.count() == 1 and not Project.objects.exists()


@override_settings(DEBUG=True, DEMO_DATABASES=[])
def test_seed_demo_refuses_a_postgresql_database_not_marked_for_development(db):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite files are development databases")
    with pytest.raises(CommandError, match="not a development database"):
        call_command("seed_demo", stdout=StringIO())
    assert not Project.objects.exists()


def test_manage_py_does_not_assume_development():
    """manage.py with no settings module runs the safe base settings: DEBUG stays off, and without
    a SECRET_KEY it refuses to start instead of using the development key."""
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    command = [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"]
    bare = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bare.returncode != 0 and "SECRET_KEY is not set" in bare.stderr
    keyed = subprocess.run(
        command, cwd=ROOT, env={**env, "SECRET_KEY": "k" * 60}, capture_output=True, text=True, timeout=120
    )
    assert keyed.stdout.strip().splitlines()[-1] == "False", keyed.stderr


@pytest.mark.parametrize("command", [["makemigrations", "--check", "--dry-run"], ["seed_demo"], ["migrate"]])
def test_manage_py_without_settings_says_what_is_missing_whatever_the_command(command):
    """Every command stops on the settings' own message, not on an error of Django's app registry."""
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    bare = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert bare.returncode != 0
    assert "SECRET_KEY is not set" in bare.stderr and "AppRegistryNotReady" not in bare.stderr


def test_load_project_sets_up_fm0390s_public_facts_and_nothing_fictitious(db):
    from beneficiaries.models import Beneficiary
    from projects.models import Indicator, IndicatorValue
    from trainings.models import Training
    from workshops.models import Participant

    call_command("load_project", "FM.0390", stdout=StringIO())
    call_command("load_project", "FM.0390", stdout=StringIO())  # twice: nothing more
    project = Project.objects.get(code="FM.0390")
    assert project.prima_id == "MA10P0001" and project.budget == 200_000
    assert project.components.count() == 3 and sum(s.percentage for s in project.sectors.all()) == 100
    assert project.fundings.count() == 1 and Indicator.objects.filter(project=project).count() == 7
    for model in (Beneficiary, Training, Participant, IndicatorValue, get_user_model()):
        assert not model.objects.exists(), model.__name__


def test_load_project_names_the_projects_it_knows(db):
    with pytest.raises(CommandError, match=r"Known projects: FM\.0390"):
        call_command("load_project", "XX.9999", stdout=StringIO())


@override_settings(DEBUG=True)
def test_demo_users_sign_in_with_the_demo_password(db, client):
    call_command("seed_demo", stdout=StringIO())
    for username in ("admin", "me", "staff", "donor"):
        response = client.post(reverse("login"), {"username": username, "password": "masar-demo"})
        assert response.status_code == 302, username
        client.post(reverse("logout"))


def test_signing_in_and_out_through_the_pages(field_staff, client):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "Se connecter" in page.content.decode()
    wrong = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert (
        wrong.status_code == 200
        and "Saisissez un nom d’utilisateur et un mot de passe valides" in wrong.content.decode()
    )
    response = client.post(reverse("login"), {"username": "staff", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert client.get("/").context["user"] == field_staff
    client.post(reverse("logout"))
    assert not client.get("/").context["user"].is_authenticated


def test_language_switch_keeps_the_page(project, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/projects/FM.0390/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/projects/FM.0390/"


def test_the_language_chosen_is_remembered_on_addresses_without_a_prefix(project, client):
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    response = client.get("/projects/FM.0390/?page=2")
    assert response.status_code == 302 and response["Location"] == "/ar/projects/FM.0390/?page=2"
    assert client.get("/healthz").status_code in (200, 503)  # not a page: no language
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    response = client.get("/projects/FM.0390/")
    assert response.status_code == 200 and '<html lang="fr"' in response.content.decode()


def test_navigation_depends_on_the_role(client_for, field_staff, admin_user):
    admin_link = reverse("admin:index")
    assert admin_link not in client_for(field_staff).get("/").content.decode()
    assert admin_link in client_for(admin_user).get("/").content.decode()


def test_scoping_shows_members_their_projects_only(project, other_project, field_staff, outsider, admin_user):
    projects = Project.objects.all()
    assert list(for_member(projects, field_staff, project_path="")) == [project]
    assert list(for_member(projects, outsider, project_path="")) == [other_project]
    assert set(for_member(projects, admin_user, project_path="")) == {project, other_project}
    from django.contrib.auth.models import AnonymousUser

    assert not for_member(projects, AnonymousUser(), project_path="").exists()


def test_the_scoping_rule_as_sql_answers_as_the_queryset_filter_does(
    project, other_project, field_staff, outsider, admin_user
):
    """``member_condition`` (the rule as SQL, for a query written by hand) finds exactly the
    projects ``for_member`` does, for every kind of user."""
    from django.contrib.auth.models import AnonymousUser

    from core.scoping import member_condition

    both = UserFactory(username="both", role=Role.FIELD_STAFF, projects=[project, other_project])
    inactive = UserFactory(username="gone", role=Role.FIELD_STAFF, projects=[project], is_active=False)
    expected = {
        field_staff: {project},
        outsider: {other_project},
        admin_user: {project, other_project},
        both: {project, other_project},
        inactive: set(),
        AnonymousUser(): set(),
    }
    for user, projects in expected.items():
        condition, parameters = member_condition(user, project_id_column="projects_project.id")
        found = set(Project.objects.raw(f"SELECT * FROM projects_project WHERE {condition}", parameters))  # noqa: S608
        assert found == set(for_member(Project.objects.all(), user, project_path="")) == projects, user


def test_roles_exist_with_their_permissions(db):
    from django.contrib.auth.models import Group

    donor = Group.objects.get(name="donor")
    assert set(donor.permissions.values_list("codename", flat=True)) == {"view_project"}
    assert Group.objects.get(name="administrator").permissions.filter(codename="change_project").exists()


def test_robots_keep_staff_pages_out_of_search_engines_and_public_pages_in(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    rules = response.content.decode().splitlines()
    for private in ("/beneficiaries/", "/en/beneficiaries/", "/trainings/", "/admin/", "/certificates/"):
        assert f"Disallow: {private}" in rules
    assert not any(rule in ("Disallow: /", "Disallow: /projects/", "Disallow: /en/projects/") for rule in rules)


def test_the_site_has_an_icon(db, client):
    page = client.get("/projects/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
    assert (ROOT / "static" / "img" / "favicon.svg").read_text().startswith("<svg")


# --- Logs ----------------------------------------------------------------------------------------

LOG_REQUESTS = (
    f"{SETUP}; from django.core.management import call_command; call_command('migrate', verbosity=0); "
    "import sys; print('--- requests', file=sys.stderr); "
    "from django.test import Client; c = Client(); "
    "c.get('/healthz', HTTP_HOST='evil.example.com'); "
    "c.get('/does-not-exist/', HTTP_HOST='masar.example.org', secure=True); "
    "c.post('/accounts/login/', {'username': 'nobody', 'password': 'wrong'}, "
    "HTTP_HOST='masar.example.org', secure=True)"
)


def test_production_logs_are_json_lines_in_utc_each_once_and_a_bad_host_is_a_warning():
    static = "django.contrib.staticfiles.storage.StaticFilesStorage"  # no collectstatic here
    result = run_django(LOG_REQUESTS, **PRODUCTION, STATICFILES_BACKEND=static)
    logged = result.stderr.split("--- requests\n")[-1]
    lines = [json.loads(line) for line in logged.splitlines() if line.strip()]
    assert lines, result.stderr
    assert all(line["at"].endswith("+00:00") for line in lines)
    bad_host = [line for line in lines if line.get("logger") == "django.security.DisallowedHost"]
    assert len(bad_host) == 1 and bad_host[0]["level"] == "WARNING" and "traceback" not in bad_host[0]
    not_found = [line for line in lines if "Not Found: /does-not-exist/" in line.get("message", "")]
    assert len(not_found) == 1
    assert not [line for line in lines if line.get("logger", "").startswith("axes")]  # the sign-in: our own event
    assert [line["event"] for line in lines if "event" in line] == ["sign_in_failed"]


def test_development_logs_are_plain_lines_each_once_in_utc():
    development = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "true"}
    result = run_django(LOG_REQUESTS.replace("secure=True", "secure=False"), **development)
    not_found = [line for line in result.stderr.splitlines() if "Not Found: /does-not-exist/" in line]
    assert len(not_found) == 1, result.stderr
    assert "axes" not in result.stderr.split("--- requests")[-1]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 WARNING django.request ", not_found[0])


def test_a_signed_in_users_language_follows_them_to_another_device_and_into_their_e_mails(
    project, field_staff, client_for, client, mailoutbox
):
    laptop = client_for(field_staff)
    laptop.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert LanguagePreference.objects.get(user=field_staff).language == "ar"
    phone = client_for(field_staff)  # a new browser: no cookie, a new sign-in
    response = phone.get("/projects/FM.0390/")
    assert response.status_code == 302 and response["Location"] == "/ar/projects/FM.0390/"
    # The password reset e-mail, asked for from a French page by someone signed out, speaks Arabic.
    field_staff.email = "staff@masar.example"
    field_staff.save()
    client.post(reverse("password_reset"), {"email": "staff@masar.example"})
    [mail] = mailoutbox
    assert "كلمة" in mail.subject and "/ar/accounts/password-reset/" in mail.body
    # French chosen again is French everywhere; a language the site does not have changes nothing.
    phone.post(reverse("set_language"), {"language": "fr", "next": "/"})
    phone.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert LanguagePreference.objects.get(user=field_staff).language == "fr"
    assert client_for(field_staff).get("/projects/FM.0390/").status_code == 200


def test_choosing_a_language_signed_out_stores_nothing(db, client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert not LanguagePreference.objects.exists()


@pytest.mark.parametrize(
    "path", ["//evil.example/projects/", "//evil.example/", "///evil.example/x", "/\\evil.example/"]
)
def test_the_remembered_language_never_redirects_to_another_site(path, db, field_staff):
    by_cookie = Client()
    by_cookie.cookies["django_language"] = "ar"
    LanguagePreference.objects.create(user=field_staff, language="ar")
    by_account = Client()
    by_account.force_login(field_staff)  # the preference is read into the session at sign-in
    assert by_account.get("/projects/")["Location"] == "/ar/projects/"
    for browser in (by_cookie, by_account):
        # As a server hands it over: the test client would read "//host" as a host of its own.
        response = browser.get("/", PATH_INFO=path)
        location = response.get("Location", "")
        assert not location.startswith("//") and "evil.example" not in location.split("/")[2:3], (path, location)
