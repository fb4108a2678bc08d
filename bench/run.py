"""make bench: Masar's speed measured against Django's own floor, in the same run.

    BENCH_TIER=S|M|L (1,000 / 10,000 / 100,000 people)   DATABASE_URL=postgres://... for PostgreSQL

Each scenario is timed against a floor, alternately (floor, scenario, floor, scenario...), so that
the machine's drift falls on both; the ratio of each pair is kept, and the table gives the median
and the 90th percentile of those ratios, with the scenario's query count. The dataset of a tier is
generated once (deterministically) and kept for later runs. Results go to .bench/latest.json.
"""

import csv
import json
import os
import platform
import re
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TIERS = {"S": 1_000, "M": 10_000, "L": 100_000}
PROJECT_CODE = "BN.0001"
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


@dataclass
class World:
    project: object
    admin: object
    me_officer: object
    donor: object
    attendance_url: str


def _world(tier: str) -> World:
    """The tier's dataset, generated on the first run only."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from core.roles import Role
    from projects.models import Membership, Project
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
                user.groups.add(Group.objects.get(name=role.value))
                if role == Role.ADMINISTRATOR:
                    user.is_staff = user.is_superuser = True
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
    session = Session.objects.filter(training__project=project, start_time=clock(14)).select_related("training").get()
    training = session.training
    return World(
        project=project,
        admin=User.objects.get(username="bench-admin"),
        me_officer=User.objects.get(username="bench-me"),
        donor=User.objects.get(username="bench-donor"),
        attendance_url=f"/trainings/{training.pk}/sessions/{session.pk}/attendance/",
    )


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


def measure(world: World, tier: str) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from beneficiaries import imports
    from beneficiaries.models import Beneficiary
    from core.spreadsheets import Echo
    from reports.figures import build as build_figures
    from reports.services import publish_release
    from reports.summary import compute_summary
    from tests.beneficiaries.test_imports import _file_of

    rounds = int(os.environ.get("BENCH_ROUNDS", "15"))
    heavy_rounds = int(os.environ.get("BENCH_HEAVY_ROUNDS", "3"))
    anonymous = Client()
    donor, admin, me = _client(world.donor), _client(world.admin), _client(world.me_officer)
    project = world.project
    code = project.code
    results = {}

    def record(name, floor_name, ratios, queries, target, max_queries=None):
        ok = statistics.median(ratios) <= target and (max_queries is None or queries <= max_queries)
        results[name] = {
            "floor": floor_name,
            "ratio": round(statistics.median(ratios), 2),
            "p90": round(_p90(ratios), 2),
            "queries": queries,
            "target": target,
            "ok": ok,
        }
        print(
            f"  {name:<28} {results[name]['ratio']:>6.2f}× (p90 {results[name]['p90']:.2f}) {queries:>4} queries",
            flush=True,
        )

    trivial = _get(anonymous, "/bench/trivial/")
    signed_in = _get(donor, "/bench/signed-in/")
    trivial_me = _get(me, "/bench/signed-in/")

    # Floors against each other, for the record: what sign-in costs over a bare view.
    record("signed_in_trivial", "trivial", _interleaved(trivial, signed_in, rounds), _queries(signed_in), 99)

    # The donor summary from the cache, against the signed-in trivial view.
    # The release audit: protecting every table jointly (HiGHS), timed once, for the record.
    started = time.perf_counter()
    build_figures(project)
    results["release_audit_seconds"] = round(time.perf_counter() - started, 2)
    print(f"  release audit: {results['release_audit_seconds']} s", flush=True)
    if not project.releases.exists():
        publish_release(project=project, by=world.me_officer)
    dashboard = _get(donor, f"/projects/{code}/dashboard/")
    record("summary_cached", "signed_in_trivial", _interleaved(signed_in, dashboard, rounds), _queries(dashboard), 1.3)

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

    # The staff list, against the signed-in trivial view.
    staff_list = _get(me, "/beneficiaries/")
    record("staff_list", "signed_in_trivial", _interleaved(trivial_me, staff_list, rounds), _queries(staff_list), 3)

    # An attendance sheet of 30 people.
    sheet = _get(me, world.attendance_url)
    record("attendance_sheet_30", "signed_in_trivial", _interleaved(trivial_me, sheet, rounds), _queries(sheet), 3)

    # Importing 10,000 rows, against bulk_create of the same people.
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
        Beneficiary.objects.bulk_create(people, batch_size=1000)

    import_ratios = _interleaved(_in_rollback(bulk), _in_rollback(import_rows), heavy_rounds)
    record("import_10000", "bulk_create", import_ratios, _queries(_in_rollback(import_rows)), 2)

    # Exporting every person as CSV, against the export's own query run through a raw cursor and
    # written with csv.writer.
    export = _get(me, "/beneficiaries/export.csv")
    with CaptureQueriesContext(connection) as captured:
        export()
    # On PostgreSQL the rows come through a server-side cursor: DECLARE "..." CURSOR WITH HOLD FOR SELECT ...
    statements = [re.sub(r"^DECLARE .*? FOR (SELECT )", r"\1", q["sql"]) for q in captured]
    export_sql = max(
        (sql for sql in statements if sql.startswith("SELECT") and "beneficiaries_beneficiary" in sql), key=len
    )

    def raw_export():
        writer = csv.writer(Echo(), delimiter=";")
        with connection.cursor() as cursor:
            cursor.execute(export_sql)
            while rows := cursor.fetchmany(2000):
                for row in rows:
                    writer.writerow(row)

    record("export_csv", "raw_cursor_csv", _interleaved(raw_export, export, heavy_rounds), _queries(export), 1.5)
    results["export_csv"]["memory_ratio"] = _export_memory_ratio(me)
    results["export_csv"]["ok"] = results["export_csv"]["ok"] and results["export_csv"]["memory_ratio"] <= 1.2
    cache.clear()
    return results


def _export_memory_ratio(client) -> float:
    """Peak memory of exporting everyone, over that of exporting about a tenth of them (the
    nationality whose people come closest to a tenth): streaming keeps the two close."""
    from django.db.models import Count

    from beneficiaries.models import Beneficiary

    def peak(url):
        tracemalloc.start()
        response = client.get(url)
        for _chunk in response.streaming_content:
            pass
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    everyone = Beneficiary.objects.count()
    by_nationality = Beneficiary.objects.values_list("nationality").annotate(people=Count("pk")).order_by()
    nationality, tenth = min(by_nationality, key=lambda item: abs(item[1] - everyone / 10))
    small = peak(f"/beneficiaries/export.csv?nationality={nationality}")
    large = peak("/beneficiaries/export.csv")
    print(f"  export peak memory: {large / 1e6:.1f} MB for {everyone:,} people, {small / 1e6:.1f} MB for {tenth:,}")
    return round(large / small, 2)


def main() -> None:
    tier = os.environ.setdefault("BENCH_TIER", "S").upper()
    if tier not in TIERS:
        sys.exit(f"BENCH_TIER is S, M or L, not {tier!r}.")
    _setup()
    from django.db import connection

    world = _world(tier)
    print(f"Tier {tier} on {connection.vendor}: measuring…", flush=True)
    scenarios = measure(world, tier)
    report = {
        "tier": tier,
        "database": connection.vendor,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "scenarios": scenarios,
    }
    (ROOT / ".bench" / "latest.json").write_text(json.dumps(report, indent=2))
    print()
    print(f"| scenario | floor | median | p90 | queries | target | ok |  ({tier}, {connection.vendor})")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, result in scenarios.items():
        print(
            f"| {name} | {result['floor']} | {result['ratio']}× | {result['p90']}× | {result['queries']} "
            f"| ≤ {result['target']}× | {'yes' if result['ok'] else 'no'} |"
        )
    print("\nWritten to .bench/latest.json")


if __name__ == "__main__":
    main()
