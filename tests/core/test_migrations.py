"""Migrations keep every row: a database full of demo data is taken back to before the last data-moving
migration and forward again, and every table ends with the rows it had."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from core.roles import Role

# Before workshops became their own app (workshops.0001 and trainings.0006 move its tables).
BEFORE_WORKSHOPS_MOVED = [("trainings", "0005_scored_topics_protected"), ("workshops", None)]
MOVED_TABLES = {
    "trainings_workshop": "workshops_workshop",
    "trainings_workshop_organizers": "workshops_workshop_organizers",
    "trainings_participant": "workshops_participant",
    "trainings_registration": "workshops_registration",
    "trainings_assessmenttopic": "workshops_assessmenttopic",
    "trainings_assessmentscore": "workshops_assessmentscore",
}
# Tables made by later migrations: taken back before them, they are dropped, and come back empty.
ADDED_SINCE = {"trainings_training_officers"}


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the database)
            counts[table] = cursor.fetchone()[0]
    return counts


def migrate_to(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_moving_workshops_to_their_own_app_keeps_every_row_and_every_grant():
    call_command("seed_demo", stdout=StringIO())
    migrate_to(BEFORE_WORKSHOPS_MOVED)
    before = row_counts()
    assert "workshops_workshop" not in before
    assert all(before[old] > 0 for old in MOVED_TABLES), "the demo has capacity-building rows to move"

    migrate_to(None)
    after = row_counts()

    # Every table but the migration record itself: three more migrations are applied.
    expected = {MOVED_TABLES.get(table, table): count for table, count in before.items()}
    del expected["django_migrations"], after["django_migrations"]
    expected.update(dict.fromkeys(ADDED_SINCE, 0))
    assert after == expected
    # Permissions moved with their models: the roles still hold them, and none is left behind.
    field_staff = Group.objects.get(name=Role.FIELD_STAFF)
    held = set(field_staff.permissions.values_list("content_type__app_label", "codename"))
    assert {("workshops", "add_registration"), ("workshops", "change_workshop")} <= held
    assert not ContentType.objects.filter(app_label="trainings", model__in=["workshop", "registration"]).exists()
