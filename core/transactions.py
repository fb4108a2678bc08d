"""Writes whose commit need not wait for the disk.

Every view of a person's record is logged (DESIGN.md, rule 4) as it happens, outside any other
transaction. On SQLite, whose commits are synced to disk one by one (``synchronous=FULL``, settings),
waiting for that sync was the largest part of what a person's page cost beyond the layout: about a
tenth of the page (tier L; README, "Speed").

Such a line is written, committed and seen at once, like any other; only its way to the disk is not
waited for. In write-ahead-log mode with ``synchronous=NORMAL``, the next commit that is synced, or
the next checkpoint, takes it to the disk with the rest of the log: while anyone works, within the
minute (a signed-in session's last-seen time is written, synced, once a minute). A power cut or a
crash of the operating system in between may lose it; it never leaves the database inconsistent,
and a crash of the application loses nothing. This is for lines of the log of reads, whose loss in
a power cut changes no one's data; never for a change to anyone's data, which commits synchronously
with its own access-log line in the same transaction.

On PostgreSQL, each statement of the block is sent with ``SET LOCAL synchronous_commit TO OFF``
before it, in the same query: PostgreSQL runs such a query as one transaction, so the setting holds
for that statement's commit only, and costs no round trip (asked in a transaction of its own, it
took three more than the wait it saved). The commit then returns before its log record reaches the
disk; the server's WAL writer writes it within a fraction of a second (``wal_writer_delay``). A
crash of the server in between may lose the line (and so may a failover to a synchronous standby,
which it does not wait for either), never leave the database inconsistent, and a commit that waits,
by anyone, takes it to the disk with its own. A line of the log of reads on a person's page, tier
L: 0.62 ms waiting for the disk, 0.46 ms without (the insert alone through psycopg2: 0.22 ms,
0.07 ms). This relies on psycopg2 (requirements.txt), which sends such a query as it is and reads
the last statement's result (the insert's ``RETURNING``); psycopg 3 binds parameters on the server
and would refuse two statements in one query.
"""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def commit_without_waiting_for_disk():
    """Let the block's statements, each committed on its own, commit without waiting for the disk.
    Inside a transaction, the block is part of it and commits as it does."""
    if connection.in_atomic_block or connection.vendor not in ("sqlite", "postgresql"):
        yield
        return
    if connection.vendor == "postgresql":
        with connection.execute_wrapper(_commit_without_waiting):
            yield
        return
    # A setting of the connection: set for the block, then put back as the connection was opened
    # (our SQLite backend reads it once per connection; Django's own is asked each time).
    with connection.cursor() as cursor:
        configured = getattr(connection, "configured_synchronous", None)
        if configured is None:
            cursor.execute("PRAGMA synchronous")
            (configured,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous = {int(configured)}")
        except Exception:
            # Never leave a connection unsynced: a new one starts as the settings say.
            connection.close()
            raise


def _commit_without_waiting(execute, sql, params, many, context):
    """PostgreSQL: the statement, in one query with the setting for its own commit (an implicit
    transaction). A batch (``executemany``), or a statement of a transaction opened in the block
    (the setting would hold for all of it), is sent as it is."""
    if many or context["connection"].in_atomic_block:
        return execute(sql, params, many, context)
    return execute(f"SET LOCAL synchronous_commit TO OFF; {sql}", params, many, context)
