"""Duplicate detection reads indexes on PostgreSQL, whatever the registry holds.

At 100,000 people, with phones mostly empty, the planner answered "these 2,500 phones?" from the
phone's trigram index (kept for the staff list's search) and took 11 s; the card, compared in lower
case, read every row. A plan is read here, not a time. (SQLite, for a laptop, is left to its
planner: with most cards empty its statistics rightly prefer reading the table.)"""

import re
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from beneficiaries.duplicates import find_duplicates_of_many
from beneficiaries.models import Beneficiary

from ..datasets import build_dataset

TABLE = "beneficiaries_beneficiary"


def _probes(count: int, *, phones: bool) -> list[dict]:
    return [
        {
            "first_name": "Awa",
            "last_name": f"Personne{number}",
            "other_first_name": "",
            "other_last_name": "",
            "date_of_birth": date(1970, 1, 1) + timedelta(days=number),
            "nationality": "SN",
            "phone": f"+2126{number:08d}" if phones else "",
            "residence_card_number": f"zz{number:06d}",
        }
        for number in range(count)
    ]


def _lookup_of(probes: list[dict]) -> str:
    """The SQL of the lookup, as run for these people."""
    with CaptureQueriesContext(connection) as captured:
        find_duplicates_of_many(probes)
    (lookup,) = [
        query["sql"] for query in captured if query["sql"].startswith("SELECT") and "date_of_birth" in query["sql"]
    ]
    return lookup


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + TABLE)
        # Seq scans forbidden: the planner still takes one where no index can answer, so a plan
        # without one proves every branch of the query has an index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        # The looked-up values left out: thousands of them would hide the plan.
        return "\n".join(re.sub(r"'\{.*?\}'", "'{...}'", str(row[-1])) for row in cursor.fetchall())


def test_the_duplicate_lookup_of_an_import_reads_an_index_for_each_birth_date_and_card(project, me_officer):
    """The birth dates and card numbers of an import's rows: each by its own index."""
    build_dataset(project, me_officer, 2_000)
    lookup = _lookup_of(_probes(2_500, phones=False))
    with transaction.atomic():
        plan = _plan(lookup)
    assert "Seq Scan" not in plan, plan


def test_the_duplicate_lookup_of_phones_never_reads_the_phone_search_index(project, me_officer):
    """A registry whose people have no phone, looked up by an import's 2,500 phones: through the
    phone's btree, never the trigram index of the search (11 s at 100,000 people)."""
    build_dataset(project, me_officer, 2_000)
    assert not Beneficiary.objects.exclude(phone="").exists()
    lookup = _lookup_of(_probes(2_500, phones=True))
    with transaction.atomic():
        plan = _plan(lookup)
    assert "phone_trgm" not in plan and "Seq Scan" not in plan, plan


def test_the_staff_list_searches_phones_through_the_trigram_index_of_people_with_a_phone(project, me_officer):
    """The partial index must still serve the search it was made for, beside the other branches."""
    from beneficiaries.selectors import search_filter

    build_dataset(project, me_officer, 200)
    rows = Beneficiary.objects.filter(search_filter("06 12 34 56 78")).order_by().values("pk")
    with transaction.atomic():
        plan = _plan(connection.ops.compose_sql(*rows.query.sql_with_params()))
    assert "beneficiaries_phone_trgm" in plan and "Seq Scan" not in plan, plan
