"""Indexes for every branch of the staff list's search (beneficiaries.selectors.search_filter), on
PostgreSQL: at 100,000 people a name only one person has was found by reading every row (94-115 ms),
and the card number compared in upper case could not use the plain index.

Trigram indexes (pg_trgm) serve LIKE '%...%' on the folded name, the phone and the reference (in
upper case, as icontains compares it); a btree on the upper-cased card number serves iexact. The
expressions are written as Django's lookups write them (``UPPER(col::text)``, ``col::text``), or
PostgreSQL would not use them. SQLite has neither operator class nor need: nothing is done there."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "beneficiaries_beneficiary"
INDEXES = {
    "beneficiaries_search_name_trgm": f'{TABLE} USING gin (("search_name"::text) gin_trgm_ops)',
    "beneficiaries_reference_upper_trgm": f'{TABLE} USING gin ((UPPER("reference"::text)) gin_trgm_ops)',
    "beneficiaries_phone_trgm": f'{TABLE} USING gin (("phone"::text) gin_trgm_ops)',
    "beneficiaries_card_upper": f'{TABLE} ((UPPER("residence_card_number"::text)))',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0008_grant_cross_project_review")]

    operations = [
        TrigramExtension(),  # does nothing outside PostgreSQL
        migrations.RunPython(create_indexes, drop_indexes),
    ]
