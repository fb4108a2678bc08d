"""The card number in lower case, indexed on PostgreSQL: the duplicate lookup and an import's
"already registered" check compare cards in lower case, and read every row without it (20-36 ms
a query at 100,000 people). Built without locking the table (CONCURRENTLY, outside a transaction).
SQLite's planner reads the table anyway where most cards are empty: nothing is done there."""

from django.db import migrations

INDEX = "beneficiaries_card_lower"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON beneficiaries_beneficiary ((LOWER("residence_card_number"::text)))'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("beneficiaries", "0018_phone_trigram_of_people_with_a_phone")]

    operations = [migrations.RunPython(create_index, drop_index)]
