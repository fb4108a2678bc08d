"""Writes to trainings. Each runs in one transaction and refuses bad input with a ValidationError
whose message is meant for the person who typed it."""

import secrets
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary
from core.errors import ConflictError

from . import rules
from .models import Attendance, BusinessSupport, Enrollment, FollowUp, Session, Training


def _locked_training(training: Training) -> Training:
    # Enrollment changes of one training queue on its row, so counts of places stay true.
    return Training.objects.select_for_update().get(pk=training.pk)


@transaction.atomic
def enroll(*, training: Training, beneficiaries: Iterable[Beneficiary], by) -> list[Enrollment]:
    """Give each person a place in ``training``, or a place on its waitlist once it is full.

    All or nothing: if one person cannot be enrolled, nobody is. Safe under concurrent requests:
    the training row is locked while places are counted and taken.
    """
    training = _locked_training(training)
    rules.check_open_for_enrollment(training)
    people = list(beneficiaries)
    if not people:
        raise ValidationError(_("Choose at least one person to enroll."))
    # Re-read the people inside the transaction: a withdrawal may have landed since the page was shown.
    current = Beneficiary.objects.in_bulk([person.pk for person in people])
    already = set(
        Enrollment.objects.filter(training=training, beneficiary__in=list(current)).values_list(
            "beneficiary__reference", flat=True
        )
    )
    if already:
        raise ConflictError(
            _("Already enrolled in this training: %(references)s.") % {"references": ", ".join(sorted(already))}
        )
    for person in people:
        rules.check_can_enroll(training, current[person.pk])
    places_left = rules.places_left(training, taken=rules.places_taken(training))
    today = timezone.localdate()
    enrollments = []
    for person in people:
        enrollment = Enrollment(training=training, beneficiary=current[person.pk], created_by=by)
        if places_left > 0:
            enrollment.status, enrollment.enrolled_on = Enrollment.Status.ENROLLED, today
            places_left -= 1
        else:
            enrollment.status = Enrollment.Status.WAITLISTED
        enrollment._history_user = by
        enrollment.save()
        enrollments.append(enrollment)
    return enrollments


@transaction.atomic
def drop(*, enrollment: Enrollment, by, reason: str = "") -> Enrollment | None:
    """Take a person out of a training (or its waitlist). A freed place goes to the first person
    waiting; that person's enrollment is returned."""
    training = _locked_training(enrollment.training)
    current = Enrollment.objects.get(pk=enrollment.pk)
    if current.status not in (Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED):
        raise ConflictError(_("Only an enrolled or waitlisted person can drop out."))
    frees_a_place = current.status == Enrollment.Status.ENROLLED
    current.status = Enrollment.Status.DROPPED
    current.dropped_on = timezone.localdate()
    current.drop_reason = reason[:200]
    current._history_user = by
    current.save()
    if not frees_a_place or training.has_ended:
        return None
    promoted = _promote(rules.waitlist_in_order(training)[:1], by=by)
    return promoted[0] if promoted else None


@transaction.atomic
def training_save(*, training: Training, by, officers=None) -> list[Enrollment]:
    """Save a new or edited training, and its officers in charge when given (members of its project).
    Places added to a running training go to the waitlist, in order; places cannot shrink below the
    people who hold one. Returns the people promoted."""
    if officers is not None:
        rules.check_officers(training.project, officers)
    if training.pk is None:
        training.full_clean()
        training.save()
        if officers is not None:
            training.officers.set(officers)
        return []
    _locked_training(training)
    training.full_clean()
    taken = rules.places_taken(training)
    rules.check_capacity(training.capacity, taken=taken)
    rules.check_sessions_within(training, training.start_date, training.end_date)
    if training.open_to:
        rules.check_open_to(training, training.open_to)
    training.save()
    if officers is not None:
        training.officers.set(officers)
    if training.has_ended:
        return []
    return _promote(rules.waitlist_in_order(training)[: rules.places_left(training, taken=taken)], by=by)


def _promote(waiting, *, by) -> list[Enrollment]:
    """Give the freed places to the people waiting, in the order given."""
    promoted = list(waiting)
    today = timezone.localdate()
    for enrollment in promoted:
        enrollment.status, enrollment.enrolled_on = Enrollment.Status.ENROLLED, today
        enrollment._change_reason = "promoted from the waitlist"
        enrollment._history_user = by
        enrollment.save()
    return promoted


@transaction.atomic
def session_create(*, training: Training, data: Mapping) -> Session:
    """Add a session; it must fall within the training's dates and not repeat a slot."""
    session = Session(training=_locked_training(training), **data)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def record_attendance(*, session: Session, marks: Mapping[int, str], by) -> int:
    """Save the attendance of a whole session at once: ``marks`` maps enrollment ids to a status.

    Runs the same few queries whatever the size of the roster. Returns how many marks were saved.
    """
    session = Session.objects.select_related("training__project").get(pk=session.pk)
    rules.check_attendance_open(session.training)
    rules.check_session_started(session)
    valid_statuses = set(Attendance.Status.values)
    unknown = {status for status in marks.values() if status not in valid_statuses}
    if unknown:
        raise ValidationError(_("Unknown attendance value: %(values)s.") % {"values": ", ".join(sorted(unknown))})
    on_roster = set(
        Enrollment.objects.filter(
            pk__in=list(marks), training_id=session.training_id, status=Enrollment.Status.ENROLLED
        ).values_list("pk", flat=True)
    )
    strangers = set(marks) - on_roster
    if strangers:
        raise ValidationError(
            _("Attendance can only be taken for people enrolled in this training (%(count)d not enrolled).")
            % {"count": len(strangers)}
        )
    now = timezone.now()
    rows = [
        Attendance(enrollment_id=pk, session=session, status=status, recorded_by=by, recorded_at=now)
        for pk, status in marks.items()
    ]
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["enrollment", "session"],
        update_fields=["status", "recorded_by", "recorded_at"],
    )
    return len(rows)


def certificate_number(enrollment: Enrollment) -> str:
    """Unique by construction: the project, the training and the enrollment."""
    return f"{enrollment.training.project.compact_code}-T{enrollment.training_id:04d}-{enrollment.pk:06d}"


# Letters and digits no one misreads on paper (no 0/O, 1/I/L), for a code typed from a certificate.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def verification_code() -> str:
    """A random code in two groups of five, "K7QXM-3RTW9": 31^10 (about 8 x 10^14) codes."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


@transaction.atomic
def complete(*, training: Training, by) -> dict[str, int]:
    """Close an ended training: each enrolled person whose attendance reaches the threshold is
    certified (and gets a certificate number); the others finish without a certificate. People
    still waitlisted leave the waitlist. Returns how many were certified and not."""
    training = _locked_training(training)
    sessions = training.sessions.count()
    rules.check_can_complete(training, sessions=sessions)
    tallies = {
        (row["enrollment"], row["status"]): row["n"]
        for row in Attendance.objects.filter(session__training=training)
        .values("enrollment", "status")
        .annotate(n=Count("id"))
    }
    today = timezone.localdate()
    certified = finished = 0
    for enrollment in training.enrollments.select_related("training__project").filter(
        status=Enrollment.Status.ENROLLED
    ):
        rate = rules.attendance_rate(
            present=tallies.get((enrollment.pk, Attendance.Status.PRESENT), 0),
            excused=tallies.get((enrollment.pk, Attendance.Status.EXCUSED), 0),
            sessions=sessions,
        )
        enrollment.attendance_rate = rate
        enrollment.completed_on = today
        if rules.earns_certificate(training, rate):
            enrollment.status = Enrollment.Status.CERTIFIED
            enrollment.certificate_number = certificate_number(enrollment)
            enrollment.verification_code = verification_code()
            certified += 1
        else:
            enrollment.status = Enrollment.Status.COMPLETED
            finished += 1
        enrollment._history_user = by
        enrollment.save()
    for waiting in training.enrollments.filter(status=Enrollment.Status.WAITLISTED):
        waiting.status = Enrollment.Status.DROPPED
        waiting.dropped_on = today
        waiting.drop_reason = _("The training ended before a place was free.")
        waiting._history_user = by
        waiting.save()
    training.completed_at = timezone.now()
    training.save(update_fields=["completed_at", "updated_at"])
    return {"certified": certified, "without_certificate": finished}


@transaction.atomic
def record_follow_up(*, enrollment: Enrollment, data: Mapping, by) -> FollowUp:
    """Record what became of a person ``months_after`` a training they finished."""
    enrollment = Enrollment.objects.select_related("training", "beneficiary").get(pk=enrollment.pk)
    rules.check_can_follow_up(enrollment)
    if FollowUp.objects.filter(enrollment=enrollment, months_after=data["months_after"]).exists():
        raise ConflictError(_("This follow-up is already recorded; edit it in the admin if it needs correcting."))
    follow_up = FollowUp(enrollment=enrollment, recorded_by=by, **data)
    follow_up.full_clean()
    follow_up._history_user = by
    follow_up.save()
    return follow_up


@transaction.atomic
def record_business_support(*, beneficiary: Beneficiary, data: Mapping, by) -> BusinessSupport:
    """Create or update the one business-support record of a person."""
    beneficiary = Beneficiary.objects.get(pk=beneficiary.pk)
    if beneficiary.status == Beneficiary.Status.ANONYMIZED:
        raise ValidationError(_("This person is anonymized: business support can no longer be recorded."))
    training = data.get("training")
    if training is not None and training.project_id != beneficiary.project_id:
        raise ValidationError(_("This training belongs to another project."))
    support = BusinessSupport.objects.select_for_update().filter(beneficiary=beneficiary).first()
    if support is None:
        support = BusinessSupport(beneficiary=beneficiary)
    for field, value in data.items():
        setattr(support, field, value)
    support.recorded_by = by
    support.full_clean()
    support._history_user = by
    support.save()
    return support
