"""A backup restored into an empty database holds every row of the original."""

import sqlite3
import subprocess
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import backup, restore

from ..factories import TrainingFactory, WorkshopFactory, make_beneficiary, make_participant


def _table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the database's own catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def some_data(project, field_staff):
    for n in range(3):
        make_beneficiary(project, field_staff, first_name=f"Personne{n}", phone="")
    TrainingFactory(project=project)
    WorkshopFactory(project=project)
    make_participant(project)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_row(some_data, tmp_path):
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        original = _table_counts(cursor, tables)
    assert original["beneficiaries_beneficiary"] == 3 and sum(original.values()) > 100
    dump = backup(connection.settings_dict, tmp_path / "masar.backup")

    if connection.vendor == "sqlite":
        empty = {**connection.settings_dict, "NAME": str(tmp_path / "empty.sqlite3")}
        restore(empty, dump)
        with sqlite3.connect(empty["NAME"]) as restored:
            assert _table_counts(restored.cursor(), tables) == original
        return

    name = f"masar_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        empty = {**connection.settings_dict, "NAME": name}
        restore(empty, dump)
        import psycopg2

        restored = psycopg2.connect(
            dbname=name,
            host=empty["HOST"] or None,
            port=empty["PORT"] or None,
            user=empty["USER"] or None,
            password=empty["PASSWORD"] or None,
        )
        try:
            assert _table_counts(restored.cursor(), tables) == original
        finally:
            restored.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_commands_say_what_they_did_and_refuse_a_missing_file(db, tmp_path, capsys):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("an in-memory database has no file to back up")
    target = tmp_path / "nightly.backup"
    call_command("backup", "--output", str(target))
    assert target.is_file() and "Backup written to" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")


def test_pg_tools_are_present_for_postgresql_backups():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert subprocess.run(["pg_dump", "--version"], capture_output=True).returncode == 0
