"""Two app servers on two loopback ports, as two hosts behind a load balancer: one PostgreSQL, one
Redis, one shared storage, one jobs' worker. A file uploaded through one is committed through the
other; a change made through one is read, in the figures, through the other.

Runs where PostgreSQL is the test database and Redis answers (``make test-postgres``, which
requires them, in CI); skipped elsewhere, with the reason.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from beneficiaries.models import Beneficiary, ImportJob
from core.roles import Role

from .factories import TEST_PASSWORD, LocationFactory, ProjectFactory, UserFactory
from .site_client import SiteClient

ROOT = Path(__file__).resolve().parents[1]
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 13  # a database of Redis this test has to itself, emptied first


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two hosts share one PostgreSQL: set DATABASE_URL to a PostgreSQL server (make test-postgres)",
    ),
    # `make ci` requires it (TWO_HOSTS_REQUIRED): there, a Redis that does not answer is a failure.
    pytest.mark.skipif(
        not _redis_answers() and not os.environ.get("TWO_HOSTS_REQUIRED"),
        reason="two hosts share one Redis: none answers on 127.0.0.1:6379",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hosts(tmp_path):
    """Two gunicorn servers with production settings, and one jobs' worker, on the test database."""
    database = connection.settings_dict
    env = {
        **{key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "consolemail://",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
        "CACHE_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}",
        # A folder both hosts reach, standing in for the storage hosts share (S3-compatible, NFS).
        "PRIVATE_STORAGE_OPTIONS": json.dumps({"location": str(tmp_path / "shared")}),
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "TWO_FACTOR_REQUIRED": "false",
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "-c", f"import redis; redis.Redis(db={REDIS_DB}).flushdb()"], check=True, cwd=ROOT)
    ports = [_free_port(), _free_port()]
    gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--timeout", "60"]
    processes = [
        subprocess.Popen([*gunicorn, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stderr=subprocess.PIPE)
        for port in ports
    ]
    processes.append(
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
    )
    try:
        for port in ports:
            _wait_until_up(port, processes)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_up(port: int, processes) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = SiteClient().get(f"http://127.0.0.1:{port}", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode()[-3000:])
        time.sleep(0.2)
    raise AssertionError(f"no server answered on port {port}")


def _wait_for_job(browser: SiteClient, base: str, page: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _status, _headers, body = browser.get(base, page + "status/")
        status = json.loads(body)
        if not status["running"]:
            return status
        time.sleep(0.2)
    raise AssertionError("the job did not finish in two minutes")


def _main(page: str) -> str:
    """The page's content, without what differs between two requests (the CSRF tokens)."""
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


PEOPLE = 40


def _people_csv() -> bytes:
    lines = ["Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Carte de séjour;Consentement au traitement"]
    names = ["Awa", "Fatou", "Mariam", "Aminata", "Kadiatou", "Binta", "Oumou", "Hawa"]
    for index in range(PEOPLE):
        name = f"{names[index % 8]} {'abcdefghij'[index // 8]}"
        born = f"{1 + index % 28:02d}/0{1 + index // 28}/19{70 + index % 20}"
        lines.append(f"Diallo;{name};F;{born};SN;Rabat;C{index:06d};oui")
    return ("\n".join(lines) + "\n").encode()


def test_an_upload_through_one_host_is_committed_through_the_other_and_both_read_the_same_figures(hosts):
    first, second = hosts
    project = ProjectFactory(code="FM.0390", prima_id="MA10P0001")
    LocationFactory(name="Rabat")
    officer = UserFactory(username="me", role=Role.ME_OFFICER, projects=[project], is_staff=True)
    # Hashed as production hashes (the tests' own hasher is a fast one production does not accept).
    officer.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, PBKDF2PasswordHasher().salt())
    officer.save(update_fields=["password"])
    browser = SiteClient()
    status, headers, _page = browser.post(first, "/accounts/login/", {"username": "me", "password": TEST_PASSWORD})
    assert status == 302, re.findall(r"(?s)alert.{0,400}", _page)[:3]

    dashboard = f"/projects/{project.code}/dashboard/"
    before = _main(browser.get(second, dashboard)[2])  # computed, and kept in the shared cache, by the second

    status, headers, _page = browser.post(
        first, "/beneficiaries/import/", {"project": project.pk}, files={"file": ("liste.csv", _people_csv())}
    )
    assert status == 302, _page[-2000:]
    job_page = headers["Location"]
    checked = _wait_for_job(browser, second, job_page)  # the worker checks it; the second host follows it
    assert checked["status"] == "checked", checked
    assert f"{PEOPLE} personnes à importer" in unescape(browser.get(second, job_page)[2])

    status, _headers, _page = browser.post(second, job_page, {})  # committed through the other host
    assert status == 302
    assert _wait_for_job(browser, first, job_page)["status"] == "done"
    assert Beneficiary.objects.filter(project=project).count() == PEOPLE
    assert not ImportJob.objects.get().file  # taken from the shared storage once written

    on_first = _main(browser.get(first, dashboard)[2])
    on_second = _main(browser.get(second, dashboard)[2])
    assert on_first == on_second  # one cache, one data version: the same figures on both hosts
    assert on_first != before  # and they are the figures after the import
