"""One-off timing of a 10,000-row import against bulk_create of the same rows (not a test).

PYTHONPATH=. .venv/bin/python tests/beneficiaries/measure_import.py
(with DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres for PostgreSQL)
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402

ROWS = 10_000


def main() -> None:
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        from beneficiaries import imports
        from beneficiaries.models import Beneficiary
        from tests.beneficiaries.test_imports import _file_of
        from tests.factories import LocationFactory, ProjectFactory, UserFactory

        project, by = ProjectFactory(code="FM.0390"), UserFactory()
        LocationFactory(name="Rabat")
        content = _file_of(ROWS)
        started = time.perf_counter()
        result = imports.preview(project=project, filename="big.csv", content=content)
        checked = time.perf_counter()
        imports.commit(project=project, result=result, by=by)
        committed = time.perf_counter()
        copies = [
            Beneficiary(**{**row, "id": None, "reference": row["reference"] + "B", "residence_card_number": ""})
            for row in Beneficiary.objects.values()
        ]
        floor_started = time.perf_counter()
        Beneficiary.objects.bulk_create(copies, batch_size=1000)
        floor = time.perf_counter() - floor_started
        print(
            f"{connection.vendor}, {ROWS:,} rows: preview {checked - started:.2f} s, "
            f"commit {committed - checked:.2f} s; "
            f"bulk_create of the same rows {floor:.2f} s; commit / bulk_create = {(committed - checked) / floor:.2f}"
        )
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
