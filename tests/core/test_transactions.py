"""A line of the log of reads is committed without waiting for the disk, and nothing else: on SQLite
the connection's setting is put back after it, whatever happens in the block; on PostgreSQL the
setting holds for each statement of the block alone."""

import pytest
from django.db import connection, transaction

from beneficiaries.models import AccessLog
from beneficiaries.services import log_view
from core.transactions import commit_without_waiting_for_disk

from ..factories import make_beneficiary

pytestmark = pytest.mark.django_db(transaction=True)

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="a setting of SQLite's connections")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a setting of PostgreSQL's commits")


def synchronous() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        return cursor.fetchone()[0]


@sqlite_only
def test_only_the_block_commits_without_waiting_for_the_disk_and_the_setting_comes_back():
    configured = synchronous()
    assert configured == 2  # FULL, as the settings ask: every other commit is synced
    with commit_without_waiting_for_disk():
        assert synchronous() == 1  # NORMAL
    assert synchronous() == configured
    with pytest.raises(RuntimeError), commit_without_waiting_for_disk():
        raise RuntimeError("the block failed")
    assert synchronous() == configured


@sqlite_only
def test_a_line_of_the_log_of_reads_is_written_unsynced_and_the_setting_put_back(project, field_staff):
    person = make_beneficiary(project, field_staff)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        log_view(user=field_staff, beneficiary=person)
    insert = next(i for i, sql in enumerate(statements) if sql.startswith('INSERT INTO "beneficiaries_accesslog"'))
    assert statements[insert - 1] == "PRAGMA synchronous = NORMAL"
    assert statements[insert + 1] == "PRAGMA synchronous = 2"
    assert "PRAGMA synchronous" not in statements  # the configured level, read once per connection


@sqlite_only
def test_a_new_connection_is_put_back_as_the_settings_open_it():
    connection.close()
    with commit_without_waiting_for_disk():
        assert synchronous() == 1
    assert synchronous() == connection.configured_synchronous == 2


@sqlite_only
def test_inside_a_transaction_the_block_commits_as_the_transaction_does():
    with transaction.atomic(), commit_without_waiting_for_disk():
        assert synchronous() == 2


def test_a_view_read_outside_any_transaction_is_logged_and_later_commits_wait_for_the_disk(project, field_staff):
    person = make_beneficiary(project, field_staff)
    assert not connection.in_atomic_block
    log_view(user=field_staff, beneficiary=person, detail="history")
    line = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (line.user, line.reference, line.detail) == (field_staff, person.reference, "history")
    if connection.vendor == "sqlite":
        assert synchronous() == 2


def commit_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_commit')")
        return cursor.fetchone()[0]


@postgresql_only
def test_on_postgresql_each_statement_of_the_block_alone_commits_without_waiting():
    configured = commit_setting()  # "on" unless the server is set otherwise
    assert configured != "off"
    with commit_without_waiting_for_disk():
        assert commit_setting() == "off"
        assert commit_setting() == "off"
        with transaction.atomic():  # a transaction opened in the block: its commit waits, as any other
            assert commit_setting() == configured
    assert commit_setting() == configured
    with pytest.raises(RuntimeError), commit_without_waiting_for_disk():
        raise RuntimeError("the block failed")
    assert commit_setting() == configured


@postgresql_only
def test_on_postgresql_inside_a_transaction_the_block_commits_as_the_transaction_does():
    configured = commit_setting()
    with transaction.atomic(), commit_without_waiting_for_disk():
        assert commit_setting() == configured


@postgresql_only
def test_on_postgresql_the_line_written_without_waiting_is_the_line_returned(project, field_staff):
    """The insert's ``RETURNING`` is read from the last statement of its query."""
    person = make_beneficiary(project, field_staff)
    configured = commit_setting()
    written = log_view(user=field_staff, beneficiary=person)
    assert AccessLog.objects.get(action=AccessLog.Action.VIEW).pk == written.pk
    assert commit_setting() == configured
