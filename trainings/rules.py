"""The rules of a training, each in one place.

Services enforce them inside their transactions; views ask the same functions before showing a form
(a courtesy), and templates read what the views computed with them. None of them writes.
"""

import calendar
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary
from core.errors import ConflictError
from core.formatting import staff_name
from projects.selectors import staff_of

from .models import Enrollment, Session, Training

# --- Who runs it -----------------------------------------------------------------------------------


def check_officers(project, officers) -> None:
    """The officers in charge of a training work on its project (active members of it, not donors)."""
    staff = set(staff_of([project]).values_list("pk", flat=True))
    outsiders = [user for user in officers if user.pk not in staff]
    if outsiders:
        raise ValidationError(
            {
                "officers": _("%(names)s does not work on this project.")
                % {"names": ", ".join(staff_name(user) for user in outsiders)}
            }
        )


# --- Follow-ups ---------------------------------------------------------------------------------------

# A follow-up is due on its date (3, 6 or 12 months after the training); a month later it is late;
# six months later the person is seldom reachable and it counts as missed.
FOLLOW_UP_GRACE_DAYS = 30
FOLLOW_UP_GIVE_UP_DAYS = 183


def add_months(day, months: int):
    """The same day ``months`` later (or earlier), on the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


# --- Places and the waitlist ---------------------------------------------------------------------


def places_taken(training: Training) -> int:
    """How many people hold one of the training's places (enrolled, or finished it)."""
    return training.enrollments.filter(status__in=Enrollment.HOLDS_A_PLACE).count()


def places_taken_count() -> Count:
    """The same count, as an annotation on a list of trainings."""
    return Count("enrollments", filter=Q(enrollments__status__in=Enrollment.HOLDS_A_PLACE))


def places_left(training: Training, *, taken: int) -> int:
    return max(training.capacity - taken, 0)


def check_capacity(capacity: int, *, taken: int) -> None:
    """Places cannot shrink below the people who hold one."""
    if capacity < taken:
        raise ValidationError(
            {"capacity": _("%(count)d people already hold a place: the capacity cannot be lower.") % {"count": taken}}
        )


def check_sessions_within(training: Training, start, end) -> None:
    """New dates may not leave a session outside them."""
    if not (training.pk and start and end):
        return
    outside = training.sessions.exclude(date__range=(start, end)).count()
    if outside:
        raise ValidationError(
            _("%(count)d session(s) would fall outside these dates: move them first.") % {"count": outside}
        )


def check_training_edit(training: Training, changes: dict) -> None:
    """An edit of a saved training: places and dates against what it already holds. ``changes``
    are the new values (a form's cleaned data); ``training`` is the row as saved."""
    if changes.get("capacity"):
        check_capacity(changes["capacity"], taken=places_taken(training))
    check_sessions_within(training, changes.get("start_date"), changes.get("end_date"))
    if changes.get("open_to"):
        check_open_to(training, changes["open_to"])


def check_open_to(training: Training, open_to: str) -> None:
    """A training can be kept for women (or men) only while nobody else is in it."""
    others = training.enrollments.exclude(status=Enrollment.Status.DROPPED).exclude(beneficiary__sex=open_to)
    references = sorted(others.values_list("beneficiary__reference", flat=True))
    if references:
        raise ValidationError(
            {
                "open_to": _("%(audience)s: first take out of the training %(references)s.")
                % {"audience": Training.OpenTo(open_to).label, "references": ", ".join(references)}
            }
        )


def waitlist_in_order(training: Training) -> QuerySet[Enrollment]:
    """Who waits for a place, first come first served."""
    return training.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("requested_at", "id")


# --- Enrollment ----------------------------------------------------------------------------------


def check_open_for_enrollment(training: Training) -> None:
    if training.has_ended:
        raise ValidationError(_("This training has ended: nobody can be enrolled any more."))


def check_can_enroll(training: Training, beneficiary: Beneficiary) -> None:
    """One person, read inside the enrolling transaction."""
    reference = {"reference": beneficiary.reference}
    if beneficiary.project_id != training.project_id:
        raise ValidationError(_("%(reference)s is registered in another project.") % reference)
    if beneficiary.status == Beneficiary.Status.ANONYMIZED:
        raise ValidationError(_("%(reference)s is anonymized.") % reference)
    if not beneficiary.consent_processing:
        raise ValidationError(_("%(reference)s has not consented to the processing of their data.") % reference)
    if beneficiary.status != Beneficiary.Status.ACTIVE:
        raise ValidationError(_("%(reference)s is withdrawn from the project.") % reference)
    if training.open_to and beneficiary.sex != training.open_to:
        if training.open_to == Training.OpenTo.WOMEN:
            raise ValidationError(_("%(reference)s cannot join: the training is for women only.") % reference)
        raise ValidationError(_("%(reference)s cannot join: the training is for men only.") % reference)


def refusal_reason(training: Training, beneficiary, *, in_training: str | None) -> str:
    """Why a person cannot be enrolled, in a few words for a list (empty when they can): the same
    rules as ``check_can_enroll``. ``beneficiary``: a person, or the enroll page's values of one
    (``selectors.Candidate``): their status, consent and sex are read. ``in_training``: their
    enrollment status here, if any."""
    if in_training == Enrollment.Status.WAITLISTED:
        return _("On the waitlist")
    if in_training == Enrollment.Status.DROPPED:
        return _("Left this training")
    if in_training:
        return _("Already enrolled")
    if beneficiary.status != Beneficiary.Status.ACTIVE:
        return _("Withdrawn from the project")
    if not beneficiary.consent_processing:
        return _("No consent to data processing")
    if training.open_to and beneficiary.sex != training.open_to:
        return Training.OpenTo(training.open_to).label
    return ""


# --- Attendance and completion -------------------------------------------------------------------


def attendance_rate(*, present: int, excused: int, sessions: int) -> Decimal | None:
    """Share of sessions attended, in percent: present / (sessions held − excused). Excused absences
    do not count against a person: they leave the sessions to attend, rather than count as attended.
    None when there is nothing to judge by (no session held yet, or excused from every one): not 0 %."""
    expected = sessions - excused
    if expected <= 0:
        return None
    return (Decimal(100) * present / expected).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_attendance_open(training: Training) -> None:
    if training.completed_at is not None:
        raise ConflictError(_("This training is completed: its attendance can no longer change."))


def check_session_started(session: Session) -> None:
    """Attendance is taken for a session that has begun: marks for a session still to come would
    count people present, or absent, before they could be."""
    if not session.has_started:
        raise ValidationError(
            _("This session starts on %(day)s at %(time)s: take its attendance once it has begun.")
            % {"day": date_format(session.date), "time": time_format(session.start_time)}
        )


def earns_certificate(training: Training, rate: Decimal | None) -> bool:
    """Attendance at or above the training's threshold earns the certificate; no rate (excused from
    every session) earns none: a certificate says a person followed the training."""
    return rate is not None and rate >= training.pass_threshold


def check_can_complete(training: Training, *, sessions: int) -> None:
    """Completion comes once, after the last day, and needs sessions whose attendance was taken."""
    if training.completed_at is not None:
        raise ConflictError(_("This training is already completed."))
    if not training.has_ended:
        raise ValidationError(
            _("This training ends on %(end)s: complete it after its last session.")
            % {"end": date_format(training.end_date)}
        )
    if sessions == 0:
        raise ValidationError(_("This training has no sessions: add them and take attendance first."))


def check_has_certificate(enrollment: Enrollment) -> None:
    if not enrollment.is_certified or enrollment.beneficiary.status == Beneficiary.Status.ANONYMIZED:
        raise ValidationError(_("Only a certified participant has a certificate."))


# --- After the training --------------------------------------------------------------------------


def check_can_follow_up(enrollment: Enrollment) -> None:
    if enrollment.beneficiary.status == Beneficiary.Status.ANONYMIZED:
        raise ValidationError(_("This person is anonymized: no follow-up can be recorded."))
    if not enrollment.has_finished:
        raise ValidationError(_("A follow-up is recorded once the person has finished the training."))
