"""Concurrent registrations, on a real database with real threads (PostgreSQL row locks; SQLite's
IMMEDIATE transactions on a file database)."""

import threading

import pytest
from django.db import connections

from beneficiaries.models import Beneficiary

from ..factories import LocationFactory, ProjectFactory, UserFactory, beneficiary_data


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_each_get_their_own_reference():
    from beneficiaries.services import beneficiary_create

    project = ProjectFactory(code="FM.0390")
    staff = UserFactory()
    city = LocationFactory(name="Rabat")
    barrier = threading.Barrier(8)
    errors = []

    def register(number: int) -> None:
        try:
            barrier.wait()
            beneficiary_create(
                project=project,
                by=staff,
                data=beneficiary_data(city=city, first_name=f"Personne{'abcdefgh'[number]}", phone=""),
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    references = sorted(Beneficiary.objects.values_list("reference", flat=True))
    assert references == [f"FM0390-{n:06d}" for n in range(1, 9)]
