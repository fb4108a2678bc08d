"""Writes to trainings. Each runs in one transaction and refuses bad input with a ValidationError
whose message is meant for the person who typed it."""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary
from core.errors import ConflictError

from .models import Attendance, BusinessSupport, Enrollment, FollowUp, Session, Training


def attendance_rate(*, present: int, excused: int, sessions: int) -> Decimal:
    """Share of sessions attended, in percent. Excused absences do not count against a person:
    they leave the sessions to attend, rather than count as attended."""
    expected = sessions - excused
    if expected <= 0:
        return Decimal("0.00")
    return (Decimal(100) * present / expected).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _locked_training(training: Training) -> Training:
    # Enrollment changes of one training queue on its row, so counts of places stay true.
    return Training.objects.select_for_update().get(pk=training.pk)


def _check_can_enroll(training: Training, beneficiary: Beneficiary) -> None:
    if beneficiary.project_id != training.project_id:
        raise ValidationError(
            _("%(reference)s is registered in another project.") % {"reference": beneficiary.reference}
        )
    if beneficiary.status == Beneficiary.Status.ANONYMIZED:
        raise ValidationError(_("%(reference)s is anonymized.") % {"reference": beneficiary.reference})
    if not beneficiary.consent_processing:
        raise ValidationError(
            _("%(reference)s has not consented to the processing of their data.") % {"reference": beneficiary.reference}
        )
    if beneficiary.status != Beneficiary.Status.ACTIVE:
        raise ValidationError(_("%(reference)s is withdrawn from the project.") % {"reference": beneficiary.reference})


@transaction.atomic
def enroll(*, training: Training, beneficiaries: Iterable[Beneficiary], by) -> list[Enrollment]:
    """Give each person a place in ``training``, or a place on its waitlist once it is full.

    All or nothing: if one person cannot be enrolled, nobody is. Safe under concurrent requests:
    the training row is locked while places are counted and taken.
    """
    training = _locked_training(training)
    if training.has_ended:
        raise ValidationError(_("This training has ended: nobody can be enrolled any more."))
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
        _check_can_enroll(training, current[person.pk])
    places_left = training.capacity - training.enrollments.filter(status__in=Enrollment.HOLDS_A_PLACE).count()
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
    promoted = training.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("requested_at", "id").first()
    if promoted is not None:
        promoted.status = Enrollment.Status.ENROLLED
        promoted.enrolled_on = timezone.localdate()
        promoted._history_user = by
        promoted._change_reason = "promoted from the waitlist"
        promoted.save()
    return promoted


@transaction.atomic
def training_save(*, training: Training, by) -> list[Enrollment]:
    """Save a new or edited training. Places added to a running training go to the waitlist, in
    order; places cannot shrink below the people who hold one. Returns the people promoted."""
    if training.pk is None:
        training.full_clean()
        training.save()
        return []
    current = _locked_training(training)
    training.full_clean()  # Training.clean() keeps the capacity above the places taken
    training.save()
    holding = current.enrollments.filter(status__in=Enrollment.HOLDS_A_PLACE).count()
    if training.has_ended:
        return []
    waiting = current.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("requested_at", "id")
    promoted = list(waiting[: max(training.capacity - holding, 0)])
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
    session = Session.objects.select_related("training").get(pk=session.pk)
    if session.training.completed_at is not None:
        raise ConflictError(_("This training is completed: its attendance can no longer change."))
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


@transaction.atomic
def complete(*, training: Training, by) -> dict[str, int]:
    """Close an ended training: each enrolled person whose attendance reaches the threshold is
    certified (and gets a certificate number); the others finish without a certificate. People
    still waitlisted leave the waitlist. Returns how many were certified and not."""
    training = _locked_training(training)
    if training.completed_at is not None:
        raise ConflictError(_("This training is already completed."))
    if not training.has_ended:
        raise ValidationError(
            _("This training ends on %(end)s: complete it after its last session.")
            % {"end": date_format(training.end_date)}
        )
    sessions = training.sessions.count()
    if sessions == 0:
        raise ValidationError(_("This training has no sessions: add them and take attendance first."))
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
        rate = attendance_rate(
            present=tallies.get((enrollment.pk, Attendance.Status.PRESENT), 0),
            excused=tallies.get((enrollment.pk, Attendance.Status.EXCUSED), 0),
            sessions=sessions,
        )
        enrollment.attendance_rate = rate
        enrollment.completed_on = today
        if rate >= training.pass_threshold:
            enrollment.status = Enrollment.Status.CERTIFIED
            enrollment.certificate_number = certificate_number(enrollment)
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
    if enrollment.beneficiary.status == Beneficiary.Status.ANONYMIZED:
        raise ValidationError(_("This person is anonymized: no follow-up can be recorded."))
    if not enrollment.has_finished:
        raise ValidationError(_("A follow-up is recorded once the person has finished the training."))
    if data["date"] <= enrollment.training.end_date:
        raise ValidationError(
            _("A follow-up comes after the training, which ended on %(end)s.")
            % {"end": date_format(enrollment.training.end_date)},
            code="before_training_end",
        )
    if data["date"] > timezone.localdate():
        raise ValidationError(_("The date of a follow-up cannot be in the future."), code="future")
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
    if support.support_kind == BusinessSupport.Kind.NONE:
        support.support_amount = None
    support.recorded_by = by
    support.full_clean()
    support._history_user = by
    support.save()
    return support
