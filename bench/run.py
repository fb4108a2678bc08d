"""make bench: Masar's speed measured against floors measured in the same run.

    BENCH_TIERS="M L" (default; S, M, L: 1,000 / 10,000 / 100,000 people)
    DATABASE_URL=postgres://... for PostgreSQL

Each scenario is timed against a floor, alternately (floor, scenario, floor, scenario...), so that
the machine's drift falls on both; the ratio of each pair is kept, and the table gives the median
and the 90th percentile of those ratios, with the scenario's query count. The floors: Django's
trivial view, the same view signed in, and the layout floor (an empty page in the site's layout for
the same signed-in user); an import or an export has a floor of its own.

Each tier runs in a process of its own, on a dataset generated once (deterministically), kept for
later runs and analysed (ANALYZE) before it is measured. A page is flat in N when its ratio grows by
at most 20 % from the smallest tier to the largest. Results go to .bench/latest.json.
"""

import csv
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TIERS = {"S": 1_000, "M": 10_000, "L": 100_000}
PROJECT_CODE = "BN.0001"
# One person whose name nobody else has: a search for it must not read every row.
RARE_PERSON = {"first_name": "Zineb", "last_name": "Ouazzani-Chahdi"}
RARE_SEARCH = "ouazzani"
FLAT_GROWTH = 1.2  # a ratio may grow by 20 % from tier M to tier L
PASSWORD = "bench-password"  # noqa: S105 (a throwaway database)


def _create_postgres_database() -> None:
    """PostgreSQL: the tier's own database, created when missing."""
    import psycopg2

    from config.settings import bench as settings

    database = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"],
        port=database["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
    connection.close()


def _setup():
    (ROOT / ".bench").mkdir(exist_ok=True)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _create_postgres_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _analyze() -> None:
    """Fresh planner statistics, as a maintained server has them: without them PostgreSQL plans the
    staff list as for an empty table (about 1 s instead of 0.2 s at tier L)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


@dataclass
class World:
    project: object
    admin: object
    me_officer: object
    donor: object
    attendance_url: str
    person_url: str
    enroll_url: str


def _world(tier: str) -> World:
    """The tier's dataset, generated on the first run only."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from beneficiaries.models import Beneficiary
    from beneficiaries.services import beneficiary_create
    from core.roles import Role, assign_role
    from projects.models import Location, Membership, Project
    from tests.datasets import build_dataset
    from trainings.models import Enrollment, Session, Training

    User = get_user_model()
    project = Project.objects.filter(code=PROJECT_CODE).first()
    if project is None:
        started = time.perf_counter()
        print(f"Generating tier {tier} ({TIERS[tier]:,} people); kept for later runs…", flush=True)
        with transaction.atomic():
            project = Project.objects.create(
                code=PROJECT_CODE,
                title_fr="Projet de mesure",
                project_type=Project.ProjectType.ASSISTED_MIGRATION,
                budget=100000,
                coverage=Project.Coverage.NATIONAL,
                is_public=True,
            )
            users = {}
            for username, role in (
                ("bench-admin", Role.ADMINISTRATOR),
                ("bench-me", Role.ME_OFFICER),
                ("bench-donor", Role.DONOR),
            ):
                user = User.objects.create_user(username, password=PASSWORD)
                assign_role(user, role)
                if role == Role.ADMINISTRATOR:
                    user.is_superuser = True
                    user.save()
                else:
                    Membership.objects.create(user=user, project=project)
                users[role] = user
            dataset = build_dataset(project, users[Role.ME_OFFICER], TIERS[tier])
            # A session of 30 people, for the attendance sheet.
            training = Training.objects.filter(project=project).order_by("pk").first()
            session = Session.objects.create(training=training, date=training.end_date, start_time=clock(14))
            people = project.beneficiaries.exclude(enrollments__training=training)[:30]
            Enrollment.objects.bulk_create(
                [
                    Enrollment(training=training, beneficiary=p, status="enrolled", created_by=users[Role.ME_OFFICER])
                    for p in people
                ]
            )
            Group.objects.bulk_create([Group(name=f"bench-group-{n:03d}") for n in range(100)])
        print(f"  {dataset} in {time.perf_counter() - started:.0f} s", flush=True)
    me_officer = User.objects.get(username="bench-me")
    if not Beneficiary.objects.filter(project=project, last_name=RARE_PERSON["last_name"]).exists():
        beneficiary_create(
            project=project,
            by=me_officer,
            data={
                **RARE_PERSON,
                "sex": "F",
                "date_of_birth": date(1990, 5, 17),
                "nationality": "MA",
                "city": Location.objects.filter(kind=Location.Kind.CITY).order_by("pk").first(),
                "consent_processing": True,
                "consent_processing_date": date(2026, 1, 5),
            },
        )
    # A training running now, of the M&E officer's, for the enroll page and the home page's week.
    today = timezone.localdate()
    running = Training.objects.filter(project=project, title="Formation en cours").first()
    if running is None:
        model = Training.objects.filter(project=project).order_by("pk").first()
        running = Training.objects.create(
            project=project,
            kind=model.kind,
            title="Formation en cours",
            trade=model.trade,
            provider=model.provider,
            city=model.city,
            start_date=today - timedelta(days=7),
            end_date=today + timedelta(days=30),
            capacity=30,
            hours=60,
        )
        running.officers.add(me_officer)
        Session.objects.create(training=running, date=today, start_time=clock(0))
    # Someone written in bulk, as most people are: no history row (the page must not depend on one).
    person = project.beneficiaries.filter(enrollments__isnull=False).order_by("pk").first()
    session = Session.objects.filter(training__project=project, start_time=clock(14)).select_related("training").get()
    training = session.training
    return World(
        project=project,
        admin=User.objects.get(username="bench-admin"),
        me_officer=me_officer,
        donor=User.objects.get(username="bench-donor"),
        attendance_url=f"/trainings/{training.pk}/sessions/{session.pk}/attendance/",
        person_url=person.get_absolute_url(),
        enroll_url=f"/trainings/{running.pk}/enroll/",
    )


class Echo:
    """A file-like object that hands back what is written, for csv.writer in the export's floor."""

    def write(self, value: str) -> str:
        return value


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        return response

    return fetch


def _queries(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len([q for q in captured if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))])


def _interleaved(floor, scenario, rounds: int) -> list[float]:
    floor(), scenario()  # warm both: imports, caches, the database's pages
    ratios = []
    for _ in range(rounds):
        started = time.perf_counter()
        floor()
        middle = time.perf_counter()
        scenario()
        ended = time.perf_counter()
        ratios.append((ended - middle) / (middle - started))
    return ratios


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def _in_rollback(action):
    """Run ``action`` in a transaction that is rolled back: imports leave the dataset as it was."""
    from django.db import transaction

    def run():
        with transaction.atomic():
            action()
            transaction.set_rollback(True)

    return run


def measure(world: World) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from simple_history.utils import bulk_create_with_history

    from beneficiaries import imports
    from beneficiaries.models import AccessLog, Beneficiary
    from reports.figures import build as build_figures
    from reports.services import publish_release
    from reports.summary import compute_summary
    from tests.beneficiaries.test_imports import _file_of

    # Medians of 25 alternations a page, 5 for the import and the export: with 15 and 3, a ratio
    # moved by up to 0.1x from run to run on this 2-core machine.
    rounds = int(os.environ.get("BENCH_ROUNDS", "25"))
    heavy_rounds = int(os.environ.get("BENCH_HEAVY_ROUNDS", "5"))
    anonymous = Client()
    donor, admin, me = _client(world.donor), _client(world.admin), _client(world.me_officer)
    project = world.project
    code = project.code
    results = {}

    def record(name, floor_name, ratios, queries, target, max_queries=None):
        ok = target is None or (statistics.median(ratios) <= target and (max_queries is None or queries <= max_queries))
        results[name] = {
            "floor": floor_name,
            "ratio": round(statistics.median(ratios), 2),
            "p90": round(_p90(ratios), 2),
            "queries": queries,
            "target": target,
            "max_queries": max_queries,
            "ok": ok,
        }
        print(
            f"  {name:<28} {results[name]['ratio']:>6.2f}× {floor_name:<22} (p90 {results[name]['p90']:.2f}) "
            f"{queries:>4} queries",
            flush=True,
        )

    trivial = _get(anonymous, "/bench/trivial/")
    signed_in = _get(me, "/bench/signed-in/")
    layout_me = _get(me, "/bench/layout/")
    layout_donor = _get(donor, "/bench/layout/")

    # The floors against each other, for the record: what sign-in costs over a bare view, and what
    # the layout costs over sign-in.
    record("signed_in_trivial", "trivial", _interleaved(trivial, signed_in, rounds), _queries(signed_in), None)
    record("layout", "signed_in_trivial", _interleaved(signed_in, layout_me, rounds), _queries(layout_me), None)

    # The release audit: protecting every table jointly (HiGHS), timed once, for the record.
    started = time.perf_counter()
    build_figures(project)
    audit_seconds = round(time.perf_counter() - started, 2)
    print(f"  release audit: {audit_seconds} s", flush=True)
    if not project.releases.exists():
        publish_release(project=project, by=world.me_officer)

    # The donor's dashboard: the current release, drawn once and kept in the cache.
    dashboard = _get(donor, f"/projects/{code}/dashboard/")
    record("summary_cached", "layout", _interleaved(layout_donor, dashboard, rounds), _queries(dashboard), 1.2)

    # The summary recomputed, against the same SQL run through a bare cursor.
    with CaptureQueriesContext(connection) as captured:
        compute_summary(project)
    statements = [q["sql"] for q in captured]

    def raw_summary():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    def recompute():
        compute_summary(project)

    record(
        "summary_recomputed",
        "raw_sql",
        _interleaved(raw_summary, recompute, rounds),
        _queries(recompute),
        1.3,
        max_queries=6,
    )

    # The beneficiary admin changelist, against the changelist of a tiny model (a group: an id and
    # a name) showing as many rows (100, a page).
    tiny = _get(admin, "/admin/auth/group/?q=bench-group")
    changelist = _get(admin, "/admin/beneficiaries/beneficiary/")
    record(
        "admin_changelist", "admin_tiny_changelist", _interleaved(tiny, changelist, rounds), _queries(changelist), 1.5
    )

    # The staff list (25 rows, the filters), a search for a name only one person has, a person's
    # page and an attendance sheet of 30 people, each against the layout floor.
    for name, url in (
        ("staff_list", "/beneficiaries/"),
        ("staff_search_rare_name", f"/beneficiaries/?q={RARE_SEARCH}"),
        ("beneficiary_page", world.person_url),
        ("attendance_sheet_30", world.attendance_url),
        ("staff_home", "/"),
        ("enroll_page", world.enroll_url),
    ):
        page = _get(me, url)
        record(name, "layout", _interleaved(layout_me, page, rounds), _queries(page), 2)

    # Importing 10,000 rows (preview and commit), against bulk-creating what the commit writes:
    # the people, their history rows and the access log.
    content = _file_of(10_000)

    def import_rows():
        result = imports.preview(project=project, filename="bench.csv", content=content)
        imports.commit(project=project, result=result, by=world.me_officer)

    preview = imports.preview(project=project, filename="bench.csv", content=content)

    def bulk():
        people = [Beneficiary(project=project, created_by=world.me_officer, **row.data) for row in preview.rows]
        for number, person in enumerate(people):
            person.reference = f"BULK-{number:06d}"
            person.name_key = person.search_name = person.last_name
            person.age_group = "25-34"
        bulk_create_with_history(people, Beneficiary, batch_size=1000, default_user=world.me_officer)
        AccessLog.objects.bulk_create(
            [AccessLog(user=world.me_officer, project=project, reference=p.reference, action="create") for p in people],
            batch_size=1000,
        )

    import_ratios = _interleaved(_in_rollback(bulk), _in_rollback(import_rows), heavy_rounds)
    record("import_10000", "bulk_create_3_tables", import_ratios, _queries(_in_rollback(import_rows)), 2)

    # Exporting every person as CSV, against the export's own query run through a raw cursor of the
    # same kind and written with csv.writer.
    export = _get(me, "/beneficiaries/export.csv")
    with CaptureQueriesContext(connection) as captured:
        export()
    # On PostgreSQL the rows come through a server-side cursor: DECLARE "..." CURSOR WITH HOLD FOR SELECT ...
    statements = [re.sub(r"^DECLARE .*? FOR (SELECT )", r"\1", q["sql"]) for q in captured]
    export_sql = max(
        (sql for sql in statements if sql.startswith("SELECT") and "beneficiaries_beneficiary" in sql), key=len
    )

    def raw_export():
        # The same kind of cursor as the export's: server-side on PostgreSQL (rows fetched 2,000 at
        # a time, memory flat), as a streaming export must use; a plain cursor would hold every row.
        writer = csv.writer(Echo(), delimiter=";")
        with connection.chunked_cursor() as cursor:
            cursor.execute(export_sql)
            while rows := cursor.fetchmany(2000):
                for row in rows:
                    writer.writerow(row)

    record("export_csv", "raw_cursor_csv", _interleaved(raw_export, export, heavy_rounds), _queries(export), 1.5)
    memory = _export_memory()
    results["export_csv"].update(memory)
    results["export_csv"]["ok"] = results["export_csv"]["ok"] and memory["memory_ratio"] <= 1.2
    cache.clear()
    return {"release_audit_seconds": audit_seconds, "scenarios": results}


def _export_memory() -> dict:
    """Peak resident memory (RSS) of a process that exports everyone, over that of one that exports
    about a tenth of them (the nationality whose people come closest to a tenth): streaming keeps
    the two close. Each export runs in a fresh process, since a process's peak cannot be reset."""
    from django.db.models import Count

    from beneficiaries.models import Beneficiary

    everyone = Beneficiary.objects.count()
    by_nationality = Beneficiary.objects.values_list("nationality").annotate(people=Count("pk")).order_by()
    nationality, tenth = min(by_nationality, key=lambda item: abs(item[1] - everyone / 10))
    small = _child("--export-rss", f"nationality={nationality}")
    large = _child("--export-rss", "")
    print(
        f"  export peak RSS: {large['peak_mb']:.0f} MB for {everyone:,} people "
        f"(+{large['growth_mb']:.1f} MB while exporting), {small['peak_mb']:.0f} MB for {tenth:,} "
        f"(+{small['growth_mb']:.1f} MB)",
        flush=True,
    )
    return {
        "memory_ratio": round(large["peak_mb"] / small["peak_mb"], 2),
        "peak_rss_mb": {"everyone": large["peak_mb"], "tenth": small["peak_mb"]},
        "growth_rss_mb": {"everyone": large["growth_mb"], "tenth": small["growth_mb"]},
    }


def _peak_rss_mb() -> float:
    """This process's peak resident memory, in MB. Linux's VmHWM is the peak of this program's own
    memory: getrusage's ru_maxrss keeps across exec the size of the process that started it (the
    tier's process, grown by the import before the export is measured: 941 MB at tier L, for
    either export)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _export_rss(query: str) -> None:
    """In a process of its own: export (everyone, or those ``query`` filters) and print the peak RSS."""
    _setup()
    from django.contrib.auth import get_user_model

    client = _client(get_user_model().objects.get(username="bench-me"))
    _get(client, "/beneficiaries/export.csv?nationality=IS")()  # code loaded, no one exported
    before = _peak_rss_mb()
    _get(client, f"/beneficiaries/export.csv?{query}")()
    peak = _peak_rss_mb()
    print(json.dumps({"peak_mb": round(peak, 1), "growth_mb": round(peak - before, 1)}))


def _child(*arguments) -> dict:
    completed = subprocess.run(  # noqa: S603 (this script, with arguments of its own)
        [sys.executable, __file__, *arguments], stdout=subprocess.PIPE, text=True, check=True, env=os.environ.copy()
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure_tier(tier: str) -> dict:
    """In a process of its own (the database is chosen by the settings, per tier)."""
    _setup()
    from django.db import connection

    world = _world(tier)
    _analyze()
    print(f"Tier {tier} on {connection.vendor}: measuring…", flush=True)
    measured = measure(world)
    return {"tier": tier, "people": TIERS[tier], **measured}


def _flatness(by_tier: dict) -> dict:
    """Each scenario's ratio at the largest tier over its ratio at the smallest."""
    tiers = sorted(by_tier, key=TIERS.get)
    if len(tiers) < 2:
        return {}
    small, large = by_tier[tiers[0]]["scenarios"], by_tier[tiers[-1]]["scenarios"]
    flat = {}
    for name, result in large.items():
        if result["target"] is None or name not in small:
            continue
        growth = round(result["ratio"] / small[name]["ratio"], 2)
        flat[name] = {"growth": growth, "ok": growth <= FLAT_GROWTH}
    return flat


def main() -> None:
    if sys.argv[1:2] == ["--export-rss"]:
        _export_rss(sys.argv[2])
        return
    if sys.argv[1:2] == ["--tier"]:
        result = measure_tier(sys.argv[2])
        print(json.dumps(result))
        return
    tiers = os.environ.get("BENCH_TIERS", os.environ.get("BENCH_TIER", "M L")).upper().split()
    if not tiers or any(tier not in TIERS for tier in tiers):
        sys.exit(f"BENCH_TIERS lists tiers among S, M and L, not {tiers!r}.")
    by_tier = {}
    for tier in tiers:
        environment = {**os.environ, "BENCH_TIER": tier}
        completed = subprocess.run(  # noqa: S603 (this script, with a tier checked above)
            [sys.executable, __file__, "--tier", tier], stdout=subprocess.PIPE, text=True, env=environment
        )
        lines = completed.stdout.strip().splitlines()
        print("\n".join(lines[:-1]), flush=True)
        if completed.returncode != 0:
            sys.exit(f"Tier {tier} failed.")
        by_tier[tier] = json.loads(lines[-1])
    database = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    flat = _flatness(by_tier)
    report = {
        "database": database,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "tiers": by_tier,
        "flat_in_n": flat,
        "ok": all(r["ok"] for t in by_tier.values() for r in t["scenarios"].values() if r["target"] is not None)
        and all(f["ok"] for f in flat.values()),
    }
    (ROOT / ".bench" / "latest.json").write_text(json.dumps(report, indent=2))
    (ROOT / ".bench" / f"latest-{database}.json").write_text(json.dumps(report, indent=2))
    print()
    header = " | ".join(f"{tier} ({TIERS[tier]:,})" for tier in tiers)
    print(f"| scenario | floor | {header} | queries | target | flat | ok |  ({database})")
    print("| --- | --- |" + " --- |" * len(tiers) + " --- | --- | --- | --- |")
    last = by_tier[tiers[-1]]["scenarios"]
    for name, result in last.items():
        ratios = " | ".join(
            f"{by_tier[t]['scenarios'][name]['ratio']}× (p90 {by_tier[t]['scenarios'][name]['p90']}×)" for t in tiers
        )
        target = "—" if result["target"] is None else f"≤ {result['target']}×"
        if result.get("max_queries"):
            target += f", ≤ {result['max_queries']} queries"
        growth = f"{flat[name]['growth']}×" if name in flat else "—"
        passed = result["ok"] and flat.get(name, {}).get("ok", True)
        ok = "—" if result["target"] is None else ("yes" if passed else "no")
        print(f"| {name} | {result['floor']} | {ratios} | {result['queries']} | {target} | {growth} | {ok} |")
    memory = last["export_csv"]
    print(f"\nExport peak RSS, everyone over a tenth: {memory['memory_ratio']}× (target ≤ 1.2×)")
    print(f"Written to .bench/latest.json{'' if report['ok'] else ' (some targets missed)'}")


if __name__ == "__main__":
    main()
