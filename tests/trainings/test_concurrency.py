"""Concurrent enrollments into one training, with real threads on a real database.

On PostgreSQL the training row is locked (SELECT ... FOR UPDATE); on SQLite every write transaction
starts IMMEDIATE, so writers queue. Both must give the same result.
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from trainings.models import Enrollment
from trainings.services import drop, enroll

from ..factories import ProjectFactory, TrainingFactory, UserFactory, make_beneficiary

REQUESTS = 40
CAPACITY = 15
RESENT = 10  # the same people sent twice, as a double click would


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrollments_never_overbook_and_never_duplicate():
    project = ProjectFactory(code="FM.0390")
    staff = UserFactory()
    today = timezone.localdate()
    training = TrainingFactory(
        project=project, capacity=CAPACITY, start_date=today, end_date=today + timedelta(days=30)
    )
    people = [make_beneficiary(project, staff, first_name=f"P{n:02d}", phone="") for n in range(REQUESTS)]
    requests = people + people[:RESENT]
    barrier = threading.Barrier(len(requests))
    refused, errors = [], []

    def request_a_place(person) -> None:
        try:
            barrier.wait()
            enroll(training=training, beneficiaries=[person], by=staff)
        except ValidationError as refusal:
            refused.append(refusal)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request_a_place, args=(person,)) for person in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(refused) == RESENT  # each second request was told the person is already enrolled
    statuses = list(Enrollment.objects.filter(training=training).values_list("status", flat=True))
    assert statuses.count("enrolled") == CAPACITY
    assert statuses.count("waitlisted") == REQUESTS - CAPACITY
    assert Enrollment.objects.values("beneficiary").distinct().count() == REQUESTS

    first_enrolled = Enrollment.objects.filter(training=training, status="enrolled").first()
    first_waiting = Enrollment.objects.filter(training=training, status="waitlisted").order_by("requested_at").first()
    promoted = drop(enrollment=first_enrolled, by=staff)
    assert promoted == first_waiting
    assert Enrollment.objects.filter(training=training, status="enrolled").count() == CAPACITY
    assert Enrollment.objects.filter(training=training, status="waitlisted").count() == REQUESTS - CAPACITY - 1
