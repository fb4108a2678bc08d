"""Reads of trainings, scoped to the projects a user works on."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from beneficiaries.models import Beneficiary
from core.scoping import for_member

from . import rules
from .models import Attendance, BusinessSupport, Enrollment, Session, Training


def training_list(*, user) -> QuerySet[Training]:
    """Trainings of the user's projects, with how many hold a place and how many wait."""
    return (
        for_member(Training.objects.all(), user)
        .select_related("project", "city", "provider")
        .annotate(
            enrolled_count=rules.places_taken_count(),
            waitlisted_count=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
        )
        .order_by("-start_date", "title")
    )


def training_get(*, user, pk: int) -> Training:
    """One training, or 404 for someone outside its project."""
    return get_object_or_404(for_member(Training.objects.select_related("project", "city", "provider"), user), pk=pk)


def session_get(*, training: Training, pk: int) -> Session:
    """One session of ``training`` (404 otherwise), holding that same training object."""
    session = get_object_or_404(Session.objects.all(), training=training, pk=pk)
    session.training = training
    return session


def enrollment_get(*, training: Training, pk: int) -> Enrollment:
    rows = Enrollment.objects.select_related("training__project", "training__city", "training__provider", "beneficiary")
    return get_object_or_404(rows, training=training, pk=pk)


@dataclass
class RosterLine:
    enrollment: Enrollment
    present: int
    excused: int
    absent: int
    rate: Decimal | None  # None: nothing to judge by yet (see rules.attendance_rate)
    earns_certificate: bool


def roster(*, training: Training, over_all_sessions: bool = False) -> list[RosterLine]:
    """Everyone enrolled, finished or gone, with their attendance so far.

    Until completion the rate counts the sessions whose attendance has been taken; completion
    freezes it over all the sessions (``over_all_sessions`` previews that).
    """
    sessions = training.sessions.all() if over_all_sessions else training.sessions.filter(attendances__isnull=False)
    sessions_held = sessions.distinct().count()
    rows = (
        training.enrollments.filter(status__in=[*Enrollment.HOLDS_A_PLACE, Enrollment.Status.DROPPED])
        .select_related("beneficiary")
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT)),
            excused=Count("attendances", filter=Q(attendances__status=Attendance.Status.EXCUSED)),
            absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
        )
        .order_by("status", "beneficiary__last_name", "beneficiary__first_name", "id")
    )
    lines = []
    for row in rows:
        rate = row.attendance_rate
        if rate is None:
            rate = rules.attendance_rate(present=row.present, excused=row.excused, sessions=sessions_held)
        passing = rules.earns_certificate(training, rate)
        lines.append(RosterLine(row, row.present, row.excused, row.absent, rate, passing))
    # Those still in the course first, then those who finished, then those who left.
    order = {Enrollment.Status.ENROLLED: 0, Enrollment.Status.CERTIFIED: 1, Enrollment.Status.COMPLETED: 1}
    return sorted(lines, key=lambda line: order.get(line.enrollment.status, 2))


def session_list(*, training: Training) -> QuerySet[Session]:
    """The sessions of a training, each with how many marks were taken (0: not taken yet)."""
    return training.sessions.annotate(marks=Count("attendances"))


def waitlist(*, training: Training) -> QuerySet[Enrollment]:
    return rules.waitlist_in_order(training).select_related("beneficiary")


def attendance_sheet(*, session: Session) -> list[tuple[Enrollment, str]]:
    """The people enrolled in a session's training and the mark each has (empty if none yet)."""
    marks = dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "status"))
    enrollments = (
        session.training.enrollments.filter(status=Enrollment.Status.ENROLLED)
        .select_related("beneficiary")
        # What the sheet shows of each person, and nothing else of the two rows.
        .only(
            "status",
            "training_id",
            "beneficiary__reference",
            "beneficiary__last_name",
            "beneficiary__first_name",
            "beneficiary__status",
        )
        .order_by("beneficiary__last_name", "beneficiary__first_name", "id")
    )
    return [(enrollment, marks.get(enrollment.pk, "")) for enrollment in enrollments]


def enrollment_candidates(*, training: Training) -> QuerySet[Beneficiary]:
    """Active, consenting people of the training's project who are not in it yet."""
    return (
        Beneficiary.objects.active()
        .filter(project=training.project, consent_processing=True)
        .exclude(enrollments__training=training)
        .select_related("city")
        .order_by("last_name", "first_name", "id")
    )


def beneficiary_activities(*, beneficiary: Beneficiary) -> dict:
    """A person's trainings (with their follow-ups) and business support, for their page."""
    enrollments = list(
        beneficiary.enrollments.select_related("training__city")
        .prefetch_related("follow_ups")
        .order_by("-training__start_date")
    )
    support = BusinessSupport.objects.filter(beneficiary=beneficiary).select_related("training").first()
    return {"enrollments": enrollments, "business_support": support}
