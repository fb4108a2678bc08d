"""make bench-http (this file is not named http.py: it would hide the standard library's http package
from the scripts of bench/): pages under load, through gunicorn with production settings (2 workers), on a
loopback port, measured with wrk against the layout floor in the same run.

    BENCH_TIER=M|L (default M)   BENCH_HTTP_SECONDS=10   DATABASE_URL=postgres://... for PostgreSQL

The tier's dataset is the benchmark's (made by `make bench` or here on first use). The M&E officer
is signed in with a confirmed second factor, as production requires; every request carries the
proxy's X-Forwarded-Proto header, as behind the load balancer. Each page runs for a fixed time
between two runs of the layout floor, and its req/s is compared with the floor's mean. A page that
answers anything but 200 fails the run. Results go to .bench/http-<database>.json.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench_http"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
HEADERS = {"X-Forwarded-Proto": "https"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _signed_in_cookie(user, *, second_factor: bool) -> str:
    """A session as sign-in makes it (and the second factor's confirmation, where required)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "core.auth_backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["signed_in_at"] = session["last_seen_at"] = time.time()
    if second_factor:
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"sessionid={session.session_key}"


def _wait_until_up(base: str, cookie: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            headers = {**HEADERS, "Cookie": cookie}
            request = urllib.request.Request(f"{base}/bench/layout/", headers=headers)  # noqa: S310 (loopback)
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (our loopback server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer within 60 s.")


def _wrk(url: str, cookie: str) -> dict:
    command = ["wrk", "-t2", "-c8", f"-d{SECONDS}s", "--latency", "-H", f"Cookie: {cookie}"]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        sys.exit(f"{url} answered with errors under load:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    return {
        "req_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency.get("50", ""),
        "p99": latency.get("99", ""),
    }


def _import_under_load(base: str, cookie: str, project_pk: int) -> dict:
    """A 10,000-row import through its pages (upload, check and commit by the jobs' worker), while
    two clients keep asking for /healthz and the staff list: how long each phase took, and the
    slowest of their requests meanwhile (the issue's bar: none above 1 s)."""
    from tests.beneficiaries.test_imports import _file_of
    from tests.site_client import SiteClient

    browser = SiteClient(cookie)
    latencies = {"/healthz": [], "/beneficiaries/": []}
    running = threading.Event()
    running.set()

    phase = ["upload"]

    def keep_asking(path):
        client = SiteClient(cookie)
        while running.is_set():
            started = time.perf_counter()
            client.get(base, path)
            latencies[path].append((time.perf_counter() - started, phase[0]))

    askers = [threading.Thread(target=keep_asking, args=(path,)) for path in latencies]
    for asker in askers:
        asker.start()
    phases = {}
    try:
        started = time.perf_counter()
        _status, headers, _page = browser.post(
            base, "/beneficiaries/import/", {"project": project_pk}, files={"file": ("bench.csv", _file_of(10_000))}
        )
        job = headers["Location"]
        phases["upload_request_s"] = round(time.perf_counter() - started, 2)
        phase[0] = "check"
        phases["check_s"] = round(_wait_for(browser, base, job) - started, 1)
        started = time.perf_counter()
        phase[0] = "commit"
        browser.post(base, job, {"confirm_duplicates": "1"})
        phases["commit_s"] = round(_wait_for(browser, base, job) - started, 1)
        phases["outcome"] = json.loads(browser.get(base, f"{job}status/")[2])["status"]
    finally:
        running.clear()
        for asker in askers:
            asker.join()
    for path, seen in latencies.items():
        seen.sort()
        phases[f"{path} requests"] = len(seen)
        phases[f"{path} p50_ms"] = round(1000 * seen[len(seen) // 2][0])
        phases[f"{path} p99_ms"] = round(1000 * seen[len(seen) * 99 // 100][0])
        phases[f"{path} max_ms"] = round(1000 * seen[-1][0])
        slow = [during for latency, during in seen if latency > 1]
        phases[f"{path} over_1s"] = {during: slow.count(during) for during in sorted(set(slow))}
    return phases


def _wait_for(browser, base: str, job: str) -> float:
    while json.loads(browser.get(base, f"{job}status/")[2])["running"]:
        time.sleep(0.5)
    return time.perf_counter()


def _forget_import(project) -> None:
    """The benchmark's dataset is kept for later runs: the people an import scenario brought go."""
    from beneficiaries.models import AccessLog, Beneficiary, CrossProjectMatch, ImportJob

    batches = list(
        ImportJob.objects.filter(project=project).exclude(import_batch="").values_list("import_batch", flat=True)
    )
    people = Beneficiary.objects.filter(import_batch__in=batches)
    references = list(people.values_list("reference", flat=True))
    CrossProjectMatch.objects.filter(beneficiary__in=people).delete()
    Beneficiary.history.filter(import_batch__in=batches).delete()
    AccessLog.objects.filter(project=project, reference__in=references).delete()
    people.delete()
    ImportJob.objects.filter(project=project).delete()


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("make bench-http needs wrk (Debian: apt-get install -y wrk).")
    if not shutil.which(str(ROOT / ".venv" / "bin" / "gunicorn")) and not shutil.which("gunicorn"):
        sys.exit("make bench-http needs gunicorn (make install).")
    from bench.run import _analyze, _setup, _world

    _setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    tier = os.environ["BENCH_TIER"]
    world = _world(tier)
    _analyze()
    from bench.run import RARE_SEARCH, _client

    _client(world.donor).get(f"/projects/{world.project.code}/dashboard/")  # a release, published once
    users = get_user_model().objects
    me_cookie = _signed_in_cookie(world.me_officer, second_factor=True)
    donor_cookie = _signed_in_cookie(users.get(pk=world.donor.pk), second_factor=False)
    connection.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = shutil.which(str(ROOT / ".venv" / "bin" / "gunicorn")) or "gunicorn"
    server = subprocess.Popen(  # noqa: S603
        [gunicorn, "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench_http"},
    )
    try:
        _wait_until_up(base, me_cookie)
        pages = [
            ("summary_cached", f"/projects/{world.project.code}/dashboard/", donor_cookie),
            ("staff_list", "/beneficiaries/", me_cookie),
            ("staff_search_rare_name", f"/beneficiaries/?q={RARE_SEARCH}", me_cookie),
            ("beneficiary_page", world.person_url, me_cookie),
            ("attendance_sheet_30", world.attendance_url, me_cookie),
            ("staff_home", "/", me_cookie),
            ("enroll_page", world.enroll_url, me_cookie),
        ]
        results = {"trivial_signed_in": _wrk(f"{base}/bench/signed-in/", me_cookie)}
        floor_before = _wrk(f"{base}/bench/layout/", me_cookie)
        for name, path, cookie in pages:
            results[name] = _wrk(f"{base}{path}", cookie)
            floor_after = _wrk(f"{base}/bench/layout/", me_cookie)
            floor = (floor_before["req_per_s"] + floor_after["req_per_s"]) / 2
            results[name]["floor_req_per_s"] = round(floor, 1)
            results[name]["ratio"] = round(floor / results[name]["req_per_s"], 2)
            floor_before = floor_after
            print(
                f"  {name:<24} {results[name]['req_per_s']:>7.1f} req/s (p50 {results[name]['p50']}, "
                f"p99 {results[name]['p99']}); layout floor {floor:.1f} req/s: {results[name]['ratio']}×",
                flush=True,
            )
        results["layout"] = floor_before
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench_http"},
        )
        try:
            under_load = _import_under_load(base, me_cookie, world.project.pk)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            _forget_import(world.project)
        print("  import of 10,000 rows as a job, under load:", json.dumps(under_load), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    database = connection.vendor
    report = {"tier": tier, "database": database, "seconds_per_page": SECONDS, "when": time.strftime("%Y-%m-%d %H:%M")}
    report["pages"] = results
    report["import_under_load"] = under_load
    (ROOT / ".bench" / f"http-{database}.json").write_text(json.dumps(report, indent=2))
    print(f"\n| page | req/s | p50 | p99 | layout floor req/s | ratio |  ({tier}, {database}, gunicorn 2 workers)")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, result in results.items():
        floor = result.get("floor_req_per_s", "—")
        ratio = f"{result['ratio']}×" if "ratio" in result else "—"
        print(f"| {name} | {result['req_per_s']} | {result['p50']} | {result['p99']} | {floor} | {ratio} |")


if __name__ == "__main__":
    main()
