"""The rules of trainings, through the services: places and the waitlist, attendance, completion,
follow-ups and business support. Bad input is refused with a message and writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from beneficiaries.models import Beneficiary
from beneficiaries.services import beneficiary_anonymize, beneficiary_withdraw
from trainings.models import Attendance, BusinessSupport, Enrollment, FollowUp, Session
from trainings.rules import attendance_rate
from trainings.services import (
    complete,
    drop,
    enroll,
    record_attendance,
    record_business_support,
    record_follow_up,
    session_create,
    training_save,
)

from ..factories import TrainingFactory, add_sessions, make_beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are matched in English here; the pages' tests read them in French."""
    with translation.override("en"):
        yield


def people(project, by, count):
    return [make_beneficiary(project, by, first_name=f"Personne{n}", last_name=f"Nom{n}") for n in range(count)]


@pytest.fixture
def training(project):
    return TrainingFactory(project=project, capacity=3)


@pytest.fixture
def ongoing(project):
    today = timezone.localdate()
    return TrainingFactory(
        project=project, capacity=3, start_date=today - timedelta(days=5), end_date=today + timedelta(days=20)
    )


# --- enroll and drop -------------------------------------------------------------------------------


def test_enroll_gives_places_then_waitlists_in_order(ongoing, project, field_staff):
    five = people(project, field_staff, 5)
    enrollments = enroll(training=ongoing, beneficiaries=five, by=field_staff)
    assert [e.status for e in enrollments] == ["enrolled"] * 3 + ["waitlisted"] * 2
    assert all(e.enrolled_on == timezone.localdate() for e in enrollments[:3])
    assert enrollments[0].history.latest().history_user == field_staff


def test_dropping_an_enrolled_person_promotes_the_first_waitlisted(ongoing, project, field_staff):
    five = people(project, field_staff, 5)
    first, *_rest = enroll(training=ongoing, beneficiaries=five, by=field_staff)
    promoted = drop(enrollment=first, by=field_staff, reason="Trouvé un emploi")
    assert promoted.beneficiary == five[3]
    statuses = dict(Enrollment.objects.values_list("beneficiary_id", "status"))
    assert statuses == {
        five[0].pk: "dropped",
        five[1].pk: "enrolled",
        five[2].pk: "enrolled",
        five[3].pk: "enrolled",
        five[4].pk: "waitlisted",
    }


def test_dropping_from_the_waitlist_promotes_nobody(ongoing, project, field_staff):
    five = people(project, field_staff, 5)
    enrollments = enroll(training=ongoing, beneficiaries=five, by=field_staff)
    assert drop(enrollment=enrollments[4], by=field_staff) is None
    assert Enrollment.objects.filter(status="enrolled").count() == 3


def test_a_dropped_person_cannot_drop_again(ongoing, project, field_staff):
    (enrollment,) = enroll(training=ongoing, beneficiaries=people(project, field_staff, 1), by=field_staff)
    drop(enrollment=enrollment, by=field_staff)
    with pytest.raises(ValidationError):
        drop(enrollment=enrollment, by=field_staff)


@pytest.mark.parametrize(
    "make_ineligible, message",
    [
        (lambda b, by: beneficiary_withdraw(beneficiary=b, by=by), "withdrawn"),
        (lambda b, by: beneficiary_anonymize(beneficiary=b, by=by), "anonymized"),
        (
            lambda b, by: Beneficiary.objects.filter(pk=b.pk).update(status="withdrawn", consent_processing=False),
            "has not consented",
        ),
    ],
    ids=["withdrawn", "anonymized", "no consent"],
)
def test_only_active_consenting_people_can_enroll(ongoing, project, field_staff, make_ineligible, message):
    eligible, ineligible = people(project, field_staff, 2)
    make_ineligible(ineligible, field_staff)
    ineligible.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        enroll(training=ongoing, beneficiaries=[eligible, ineligible], by=field_staff)
    assert not Enrollment.objects.exists()  # all or nothing: the eligible person was not enrolled either


def test_people_of_another_project_cannot_enroll(ongoing, other_project, outsider):
    stranger = make_beneficiary(other_project, outsider)
    with pytest.raises(ValidationError, match="another project"):
        enroll(training=ongoing, beneficiaries=[stranger], by=outsider)
    assert not Enrollment.objects.exists()


def test_nobody_is_enrolled_twice(ongoing, project, field_staff):
    person = make_beneficiary(project, field_staff)
    enroll(training=ongoing, beneficiaries=[person], by=field_staff)
    with pytest.raises(ValidationError, match="Already enrolled"):
        enroll(training=ongoing, beneficiaries=[person], by=field_staff)
    assert Enrollment.objects.count() == 1


def test_an_ended_training_takes_no_enrollment(training, project, field_staff):
    with pytest.raises(ValidationError, match="ended"):
        enroll(training=training, beneficiaries=people(project, field_staff, 1), by=field_staff)


# --- sessions --------------------------------------------------------------------------------------


def test_a_session_must_fall_within_the_training(training):
    with pytest.raises(ValidationError) as refused:
        session_create(
            training=training,
            data={"date": training.end_date + timedelta(days=1), "start_time": "09:00", "duration_minutes": 180},
        )
    assert refused.value.error_dict["date"][0].code == "outside_training"
    assert not Session.objects.exists()


def test_a_session_slot_is_not_repeated(training):
    data = {"date": training.start_date, "start_time": "09:00", "duration_minutes": 180}
    session_create(training=training, data=data)
    with pytest.raises(ValidationError, match="already has a session"):
        session_create(training=training, data=data)
    assert Session.objects.count() == 1


# --- attendance ------------------------------------------------------------------------------------


def _enrolled(project, by, count, **training_fields):
    today = timezone.localdate()
    training = TrainingFactory(
        project=project,
        capacity=max(count, 1),
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=10),
        **training_fields,
    )
    return training, enroll(training=training, beneficiaries=people(project, by, count), by=by)


def test_attendance_of_a_whole_session_is_saved_and_corrected(project, field_staff):
    training, enrollments = _enrolled(project, field_staff, 3)
    (session,) = add_sessions(training, 1)
    marks = {enrollments[0].pk: "present", enrollments[1].pk: "excused", enrollments[2].pk: "absent"}
    assert record_attendance(session=session, marks=marks, by=field_staff) == 3
    record_attendance(session=session, marks={**marks, enrollments[2].pk: "present"}, by=field_staff)
    saved = dict(Attendance.objects.values_list("enrollment_id", "status"))
    assert saved == {enrollments[0].pk: "present", enrollments[1].pk: "excused", enrollments[2].pk: "present"}


@pytest.mark.parametrize("size", [5, 30])
def test_saving_attendance_runs_the_same_queries_whatever_the_roster(project, field_staff, size):
    training, enrollments = _enrolled(project, field_staff, size)
    (session,) = add_sessions(training, 1)
    marks = {e.pk: ("present" if n % 3 else "absent") for n, e in enumerate(enrollments)}
    with CaptureQueriesContext(connection) as queries:
        record_attendance(session=session, marks=marks, by=field_staff)
    # The session, the roster check and one upsert (plus savepoint bookkeeping on some databases).
    statements = [q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 3, statements
    assert Attendance.objects.filter(session=session).count() == size


def test_attendance_for_someone_not_enrolled_is_refused(project, field_staff):
    training, enrollments = _enrolled(project, field_staff, 2)
    (session,) = add_sessions(training, 1)
    drop(enrollment=enrollments[1], by=field_staff)
    with pytest.raises(ValidationError, match="not enrolled"):
        record_attendance(
            session=session, marks={enrollments[0].pk: "present", enrollments[1].pk: "present"}, by=field_staff
        )
    assert not Attendance.objects.exists()


def test_attendance_for_a_session_of_another_training_is_refused(project, field_staff):
    _training, enrollments = _enrolled(project, field_staff, 2)
    other_training, _others = _enrolled(project, field_staff, 1)
    (other_session,) = add_sessions(other_training, 1)
    with pytest.raises(ValidationError, match="not enrolled"):
        record_attendance(session=other_session, marks={enrollments[0].pk: "present"}, by=field_staff)
    assert not Attendance.objects.exists()


def test_an_unknown_attendance_value_is_refused(project, field_staff):
    training, enrollments = _enrolled(project, field_staff, 1)
    (session,) = add_sessions(training, 1)
    with pytest.raises(ValidationError, match="Unknown attendance value"):
        record_attendance(session=session, marks={enrollments[0].pk: "late"}, by=field_staff)
    assert not Attendance.objects.exists()


# --- completion ------------------------------------------------------------------------------------


def test_attendance_rate_leaves_excused_sessions_out():
    assert attendance_rate(present=8, excused=0, sessions=10) == Decimal("80.00")
    assert attendance_rate(present=8, excused=2, sessions=10) == Decimal("100.00")
    assert attendance_rate(present=2, excused=1, sessions=4) == Decimal("66.67")
    # Nothing to judge by: excused from every session held, or no session held yet.
    assert attendance_rate(present=0, excused=3, sessions=3) is None
    assert attendance_rate(present=0, excused=0, sessions=0) is None


def _finished_training(project, by, presences: list[int], sessions=10, threshold=80):
    """An ended training whose n-th person was present at ``presences[n]`` of ``sessions``."""
    training, enrollments = _enrolled(project, by, len(presences), pass_threshold=threshold)
    for n, session in enumerate(add_sessions(training, sessions)):
        marks = {
            e.pk: ("present" if n < present else "absent") for e, present in zip(enrollments, presences, strict=True)
        }
        record_attendance(session=session, marks=marks, by=by)
    training.start_date -= timedelta(days=30)
    training.end_date = timezone.localdate() - timedelta(days=1)
    training.save()
    return training, enrollments


def test_completion_certifies_at_the_threshold_and_not_below(project, field_staff):
    training, (at, below, above) = _finished_training(project, field_staff, [8, 7, 10], threshold=80)
    assert complete(training=training, by=field_staff) == {"certified": 2, "without_certificate": 1}
    at.refresh_from_db(), below.refresh_from_db(), above.refresh_from_db()
    assert (at.status, at.attendance_rate) == ("certified", Decimal("80.00"))
    assert (below.status, below.attendance_rate, below.certificate_number) == ("completed", Decimal("70.00"), None)
    assert above.status == "certified"
    assert at.certificate_number.startswith("FM0390-T") and at.certificate_number != above.certificate_number
    assert at.completed_on == timezone.localdate()


def test_completion_waits_for_the_end_of_the_training(project, field_staff):
    training, _enrollments = _enrolled(project, field_staff, 2)
    add_sessions(training, 2)
    with pytest.raises(ValidationError, match="complete it after its last session"):
        complete(training=training, by=field_staff)
    assert not Enrollment.objects.exclude(status="enrolled").exists()


def test_completion_happens_once_and_closes_the_waitlist(project, field_staff):
    training, enrollments = _finished_training(project, field_staff, [10], sessions=2)
    waiting = make_beneficiary(project, field_staff, first_name="Attente")
    Enrollment.objects.create(training=training, beneficiary=waiting, status="waitlisted", created_by=field_staff)
    complete(training=training, by=field_staff)
    assert Enrollment.objects.get(beneficiary=waiting).status == "dropped"
    with pytest.raises(ValidationError, match="already completed"):
        complete(training=training, by=field_staff)
    session = training.sessions.first()
    with pytest.raises(ValidationError, match="completed"):
        record_attendance(session=session, marks={enrollments[0].pk: "absent"}, by=field_staff)


# --- follow-ups and business support ---------------------------------------------------------------


def _certified(project, by):
    training, (enrollment,) = _finished_training(project, by, [10], sessions=2)
    complete(training=training, by=by)
    enrollment.refresh_from_db()
    return enrollment


def _follow_up_data(**overrides):
    return {
        "months_after": 3,
        "date": timezone.localdate(),
        "employment_status": "wage_formal",
        "employer_or_sector": "Atelier de couture",
        "income_band": "3000-4999",
        **overrides,
    }


def test_a_follow_up_is_recorded_after_the_training(project, field_staff):
    enrollment = _certified(project, field_staff)
    follow_up = record_follow_up(enrollment=enrollment, data=_follow_up_data(), by=field_staff)
    assert follow_up.is_working and follow_up.recorded_by == field_staff


def test_a_follow_up_dated_before_the_training_ended_is_refused(project, field_staff):
    enrollment = _certified(project, field_staff)
    with pytest.raises(ValidationError) as refused:
        record_follow_up(enrollment=enrollment, data=_follow_up_data(date=enrollment.training.end_date), by=field_staff)
    assert refused.value.error_dict["date"][0].code == "before_training_end"
    assert not FollowUp.objects.exists()


def test_a_follow_up_needs_a_finished_training_and_is_recorded_once(project, field_staff):
    _training, (still_enrolled,) = _enrolled(project, field_staff, 1)
    with pytest.raises(ValidationError, match="finished the training"):
        record_follow_up(enrollment=still_enrolled, data=_follow_up_data(), by=field_staff)
    enrollment = _certified(project, field_staff)
    record_follow_up(enrollment=enrollment, data=_follow_up_data(), by=field_staff)
    with pytest.raises(ValidationError, match="already recorded"):
        record_follow_up(enrollment=enrollment, data=_follow_up_data(), by=field_staff)
    assert FollowUp.objects.count() == 1


def test_a_persons_page_reads_whether_they_have_a_business_support_as_true_or_false(project, field_staff):
    """The trainings panel's value, read with the person in the page's own SQL, in Python's type on
    every database (SQLite answers 0 or 1)."""
    from beneficiaries.selectors import beneficiary_page_get

    person = make_beneficiary(project, field_staff)
    assert beneficiary_page_get(user=field_staff, reference=person.reference).has_business_support is False
    data = {"business_sector": "Restauration", "support_kind": "none", "business_status": "planned"}
    record_business_support(beneficiary=person, data=data, by=field_staff)
    assert beneficiary_page_get(user=field_staff, reference=person.reference).has_business_support is True


def test_business_support_is_one_record_kept_up_to_date(project, field_staff):
    person = make_beneficiary(project, field_staff)
    data = {"business_sector": "Restauration", "support_kind": "none", "business_status": "planned"}
    record_business_support(beneficiary=person, data=data, by=field_staff)
    record_business_support(
        beneficiary=person,
        data={
            **data,
            "support_kind": "grant",
            "support_amount": Decimal("15000"),
            "business_status": "started",
            "business_started_on": timezone.localdate(),
        },
        by=field_staff,
    )
    support = BusinessSupport.objects.get()
    assert support.business_created and support.support_amount == Decimal("15000")
    assert support.history.count() == 2


def test_a_grant_without_an_amount_is_refused(project, field_staff):
    person = make_beneficiary(project, field_staff)
    with pytest.raises(ValidationError):
        record_business_support(
            beneficiary=person,
            data={"business_sector": "Commerce", "support_kind": "grant", "business_status": "idea"},
            by=field_staff,
        )
    assert not BusinessSupport.objects.exists()


def test_more_places_in_a_running_training_go_to_the_waitlist_in_order(ongoing, project, field_staff):
    five = people(project, field_staff, 5)
    enroll(training=ongoing, beneficiaries=five, by=field_staff)
    ongoing.capacity = 4
    promoted = training_save(training=ongoing, by=field_staff)
    assert [e.beneficiary for e in promoted] == [five[3]]
    assert Enrollment.objects.get(beneficiary=five[4]).status == "waitlisted"


def test_places_cannot_shrink_below_the_people_holding_one(ongoing, project, field_staff):
    enroll(training=ongoing, beneficiaries=people(project, field_staff, 3), by=field_staff)
    ongoing.capacity = 2
    with pytest.raises(ValidationError, match="3 people already hold a place"):
        training_save(training=ongoing, by=field_staff)
    ongoing.refresh_from_db()
    assert ongoing.capacity == 3
