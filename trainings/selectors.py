"""Reads of trainings, scoped to the projects a user works on."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beneficiaries.models import Beneficiary
from core.lists import cached_per_query
from core.scoping import for_member
from core.versioning import data_version
from projects.countries import country_profile

from . import rules
from .models import Attendance, BusinessSupport, Enrollment, FollowUp, Session, Training

# Where a training stands, as a number a list sorts by: ongoing first, then upcoming, then ended.
ONGOING, UPCOMING, ENDED = 0, 1, 2

# The order a reader of a list of trainings expects: those running now, then those to come (the next
# first), then those ended (the latest first); titles alphabetically, accents aside.
TRAINING_LIST_ORDER = (
    F("status_rank").asc(),
    F("coming_start").asc(nulls_last=True),
    F("ended_start").desc(nulls_last=True),
    F("sort_title").asc(),
    F("pk").asc(),
)


def training_list(*, user) -> QuerySet[Training]:
    """Trainings of the user's projects, with how many hold a place and how many wait, ongoing
    first (see ``TRAINING_LIST_ORDER``)."""
    today = timezone.localdate()
    return (
        for_member(Training.objects.all(), user)
        .select_related("project", "city", "provider")
        .annotate(
            enrolled_count=rules.places_taken_count(),
            waitlisted_count=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
            status_rank=Case(
                When(start_date__gt=today, then=Value(UPCOMING)),
                When(end_date__lt=today, then=Value(ENDED)),
                default=Value(ONGOING),
            ),
            coming_start=Case(When(end_date__gte=today, then=F("start_date"))),
            ended_start=Case(When(end_date__lt=today, then=F("start_date"))),
        )
        .order_by(*TRAINING_LIST_ORDER)
    )


# What a training's pages read of its project, city and provider besides the training itself: a
# project is a wide row (30 columns), and writing and reading every column cost each of those pages
# 0.3 ms on PostgreSQL (tier L). Anything else of them is read when asked for.
TRAINING_PAGE_RELATED = (
    "project__code",  # shown, and in certificate numbers
    "project__country",  # currency, income bands, time zone
    "project__time_zone",  # when a session starts
    "city__name",
    "provider__name",
    "provider__acronym",
)


def training_get(*, user, pk: int) -> Training:
    """One training, or 404 for someone outside its project."""
    rows = Training.objects.select_related("project", "city", "provider").only(
        *(field.name for field in Training._meta.concrete_fields), *TRAINING_PAGE_RELATED
    )
    return get_object_or_404(for_member(rows, user), pk=pk)


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


class SheetPerson(NamedTuple):
    """A line of an attendance sheet: the enrollment (``pk``) and how the sheet names its person."""

    pk: int
    reference: str
    last_name: str
    first_name: str

    def __str__(self):
        return self.reference


def attendance_sheet(*, session: Session) -> list[tuple[SheetPerson, str]]:
    """The people enrolled in a session's training and the mark each has (empty if none yet).

    Read as plain values, in one query: the sheet shows a name and a reference, and reading 30
    enrollments and their people as model instances took twice as long (README, "Speed")."""
    # A person has at most one mark per session (a unique constraint).
    mark = Attendance.objects.filter(session=session, enrollment=OuterRef("pk")).order_by().values("status")[:1]
    lines = (
        Enrollment.objects.filter(training_id=session.training_id, status=Enrollment.Status.ENROLLED)
        .annotate(mark=Subquery(mark))
        .order_by("beneficiary__last_name", "beneficiary__first_name", "id")
        .values_list("pk", "beneficiary__reference", "beneficiary__last_name", "beneficiary__first_name", "mark")
    )
    return [(SheetPerson(*person), mark or "") for *person, mark in lines]


def enrollment_candidates(*, training: Training) -> QuerySet[Beneficiary]:
    """Active, consenting people of the training's project who are not in it yet (and of the sex it
    is open to, if it is kept for women or men)."""
    people = Beneficiary.objects.filter(_can_join(training), project=training.project)
    return people.select_related("city").order_by("last_name", "first_name", "id")


def _can_join(training: Training) -> Q:
    """Who may be enrolled in ``training``, as a filter: the rules of ``rules.check_can_enroll`` that
    a list can ask of the database (active, consenting, not in it yet, of the sex it is open to)."""
    in_training = Enrollment.objects.filter(training=training).values("beneficiary_id")
    can_join = Q(status=Beneficiary.Status.ACTIVE, consent_processing=True) & ~Q(pk__in=in_training)
    if training.open_to:
        can_join &= Q(sex=training.open_to)
    return can_join


class Candidate(NamedTuple):
    """A person as the enroll page shows them (read as plain values: 50 people read as model
    instances took twice as long), with what the enrolment rules ask of them."""

    pk: int
    reference: str
    first_name: str
    last_name: str
    sex: str
    date_of_birth: date | None
    phone: str
    status: str
    consent_processing: bool
    city_name: str | None


@dataclass
class CandidateLine:
    """A person on the enroll page: who they are (enough to tell namesakes apart) and, when they
    cannot be enrolled, why."""

    person: Candidate
    reason: str

    @property
    def phone_ending(self) -> str:
        digits = "".join(char for char in str(self.person.phone or "") if char.isdigit())
        return digits[-3:]


CANDIDATE_FIELDS = (
    "pk",
    "reference",
    "first_name",
    "last_name",
    "sex",
    "date_of_birth",
    "phone",
    "status",
    "consent_processing",
    "city__name",
)


def enrollment_lines(
    *, training: Training, people: QuerySet[Beneficiary], limit: int, count: bool = True
) -> tuple[list, int | None]:
    """People of ``people`` (already filtered by the page's search) as lines of the enroll page:
    those who can be enrolled first, each other one with the reason they cannot; at most ``limit``
    lines, and how many there are in all (when ``count``). Anonymized people are never listed.

    Those who can join are read first, by name, a page at a time; the others only to fill the page;
    the reasons are read for the lines shown only (never a subquery for every person of a city)."""
    listed = people.filter(project=training.project).exclude(status=Beneficiary.Status.ANONYMIZED)
    # Counted once per query and data version: a city's people, at 100,000, are many to count.
    total = cached_per_query("enroll-candidates", listed, listed.count) if count else None
    can_join = _can_join(training)
    by_name = listed.order_by("last_name", "first_name", "id")

    def read(people) -> list[Candidate]:
        return [Candidate(*values) for values in people.values_list(*CANDIDATE_FIELDS)]

    joinable, others = [], []
    if not count:  # a selection (a few ticked people): read at once, those who can join put first below
        others = read(by_name[:limit])
    else:
        joinable = read(by_name.filter(can_join)[:limit])
        if len(joinable) < limit:
            others = read(by_name.exclude(can_join)[: limit - len(joinable)])
    # Those who can join are in no enrollment of the training (the filter says so): only the others
    # may be there already, and why they cannot join may be their place in it.
    status_here = {}
    if others:
        status_here = dict(
            Enrollment.objects.filter(training=training, beneficiary__in=[person.pk for person in others]).values_list(
                "beneficiary_id", "status"
            )
        )
    lines = [
        CandidateLine(person, rules.refusal_reason(training, person, in_training=status_here.get(person.pk)))
        for person in [*joinable, *others]
    ]
    return sorted(lines, key=lambda line: bool(line.reason)), total  # stable: by name within each


# What a person's page shows of each follow-up and of their business support.
FOLLOW_UP_SHOWN = ("enrollment_id", "months_after", "date", "employment_status", "employer_or_sector", "income_band")
BUSINESS_SUPPORT_SHOWN = (
    "beneficiary_id",
    "business_sector",
    "business_status",
    "business_started_on",
    "business_plan_on",
    "support_kind",
    "support_amount",
    "coaching_sessions",
)


# What a person's page reads of their trainings and business support: built once, cloned for each
# page, as a view's ``queryset`` is (resolving it again cost a fifth of the query). Only the columns
# the panel shows: a project and a training are wide rows, and each column read costs a person's
# page time to compile and to load (the project gives the follow-ups' income bands their country).
PERSON_PAGE_ENROLLMENTS = (
    Enrollment.objects.select_related("training__city", "training__project")
    .only(
        "training_id",
        "beneficiary_id",
        "status",
        "attendance_rate",
        "training__title",
        "training__kind",
        "training__start_date",
        "training__end_date",
        "training__city__name",
        "training__project__country",
    )
    .order_by()
)
PERSON_PAGE_BUSINESS_SUPPORTS = BusinessSupport.objects.only(*BUSINESS_SUPPORT_SHOWN).order_by()


def person_page_values() -> dict:
    """What the trainings panel needs to know of a person, read with them on their page: whether
    they have a business support (most people have none, and need not be asked for one)."""
    return {"has_business_support": Exists(BusinessSupport.objects.filter(beneficiary=OuterRef("pk")))}


def beneficiary_activities(*, beneficiary: Beneficiary) -> dict:
    """A person's trainings (with their follow-ups) and business support, for their page.
    ``beneficiary``: as their page reads them (``beneficiaries.selectors.beneficiary_page_get``),
    with ``person_page_values``."""
    enrollments = list(PERSON_PAGE_ENROLLMENTS.filter(beneficiary_id=beneficiary.pk))
    # The latest first, put in order here: a person's few trainings sort in no time, and an ORDER BY
    # through the training took a third of the query's time to write.
    enrollments.sort(key=lambda enrollment: enrollment.training.start_date, reverse=True)
    # Follow-ups come once someone has finished a training (completed or certified), and the panel
    # shows them for those only: none read for someone whose trainings are all under way.
    prefetch_related_objects(
        [enrollment for enrollment in enrollments if enrollment.has_finished],
        Prefetch("follow_ups", queryset=FollowUp.objects.only(*FOLLOW_UP_SHOWN)),
    )
    # One per person (a one-to-one): no order to sort by, and the panel shows nothing of its training.
    support = None
    if beneficiary.has_business_support:
        support = next(iter(PERSON_PAGE_BUSINESS_SUPPORTS.filter(beneficiary_id=beneficiary.pk)[:1]), None)
    return {
        "enrollments": enrollments,
        "business_support": support,
        # Support is paid in the currency of the person's project's country.
        "currency": country_profile(beneficiary.project_country).currency if support and support.support_amount else "",
        "open_trainings": open_trainings_for(beneficiary=beneficiary, enrollments=enrollments),
    }


def open_trainings_for(*, beneficiary: Beneficiary, enrollments=None, limit: int = 5) -> list[Training]:
    """The next step after registering someone: trainings of their project they could join now
    (not ended, not already theirs, open to their sex), those of their city first, the soonest first.
    ``enrollments``: the person's, when the caller has read them already."""
    if beneficiary.status != Beneficiary.Status.ACTIVE:
        return []
    if enrollments is None:
        enrollments = beneficiary.enrollments.only("training_id")
    theirs = {enrollment.training_id for enrollment in enrollments}
    joinable = [
        training
        for training in _open_trainings(beneficiary.project_id)
        if training.pk not in theirs and training.open_to in ("", beneficiary.sex)
    ]
    joinable.sort(key=lambda t: (t.city_id != beneficiary.city_id, t.start_date, t.sort_title, t.pk))
    return joinable[:limit]


def _open_trainings(project_id: int) -> list[Training]:
    """A project's trainings not ended yet, kept per day and data version (a person's page reads them)."""
    today = timezone.localdate()
    key = f"open-trainings:{data_version()}:{project_id}:{today}"
    trainings = cache.get(key)
    if trainings is None:
        trainings = list(
            Training.objects.filter(project_id=project_id, end_date__gte=today)
            .select_related("city")
            .only("title", "sort_title", "start_date", "end_date", "open_to", "project_id", "city__name")
        )
        cache.set(key, trainings, 3600)
    return trainings


# --- A staff member's work list (their home page) ---------------------------------------------------


# What a staff member's home page shows of a session (a training is a wide row).
SESSION_SHOWN = ("date", "start_time", "topic", "training__title")


def trainings_in_charge(*, user) -> set[int]:
    """The trainings of the user's projects that the user is in charge of (their ids): read once for
    a home page, which marks the week's sessions and looks for roll calls with them."""
    return set(for_member(Training.objects.filter(officers=user), user).values_list("pk", flat=True))


def week_sessions(*, user, today: date, in_charge_of: set[int]) -> list[Session]:
    """The sessions from Monday to Sunday of ``today``'s week, of trainings of the user's projects,
    in the order they happen. Each says whether its attendance was taken (``marks``), whether the
    user is in charge of its training (``in_charge``: its id in ``in_charge_of``) and whether it has
    started (``has_started``)."""
    monday = today - timedelta(days=today.weekday())
    sessions = sorted(
        for_member(Session.objects.all(), user, project_path="training__project")
        .filter(date__range=(monday, monday + timedelta(days=6)))
        .select_related("training__city", "training__project")
        # What the week shows of each session; its project for its time zone only (has_started).
        .only(
            *SESSION_SHOWN,
            "training__sort_title",
            "training__city__name",
            "training__project__country",
            "training__project__time_zone",
        )
        # Whether a roll call was taken, asked per session: counting the marks through a join made
        # PostgreSQL hash every attendance row (75 ms at 675,000 marks) for a week's few sessions.
        .annotate(marks=Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .order_by(),
        # A week's few sessions are put in order here: an ORDER BY took a third of the query's
        # time to write (README, "Speed").
        key=lambda session: (session.date, session.start_time, session.training.sort_title, session.pk),
    )
    for session in sessions:
        session.in_charge = session.training_id in in_charge_of
    return sessions


def roll_calls_missing(*, user, today: date, in_charge_of: set[int], days: int = 14) -> list[Session]:
    """Sessions of the last ``days`` days, before today, of the trainings ``in_charge_of`` (the user's,
    as ``trainings_in_charge`` reads them) in the user's projects, with people enrolled and no
    attendance taken: the roll calls still to write up. None read for someone in charge of nothing."""
    if not in_charge_of:
        return []
    people_enrolled = Enrollment.objects.filter(training=OuterRef("training"), status=Enrollment.Status.ENROLLED)
    return sorted(
        for_member(Session.objects.all(), user, project_path="training__project")
        .filter(training__in=in_charge_of, date__range=(today - timedelta(days=days), today - timedelta(days=1)))
        .filter(Exists(people_enrolled))
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .select_related("training")
        .only(*SESSION_SHOWN)
        .order_by(),
        key=lambda session: (session.date, session.start_time, session.pk),  # by day and time
    )


@dataclass
class FollowUpDue:
    enrollment: Enrollment
    months: int
    due_on: date

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate() - timedelta(days=rules.FOLLOW_UP_GRACE_DAYS)


@dataclass(frozen=True)
class FollowUpsDue:
    shown: list[FollowUpDue]
    total: int
    # What they were kept under: a page's part drawn from them may be kept under it too.
    cache_key: str


def follow_ups_due(*, user, today: date, limit: int = 20) -> FollowUpsDue:
    """Follow-ups of the user's projects whose time has come (3, 6 and 12 months after the training)
    and that nobody has recorded, the longest waiting first: up to ``limit`` of them, and how many
    there are. After ``rules.FOLLOW_UP_GIVE_UP_DAYS`` a follow-up counts as missed and leaves the list.

    Per milestone, the due date follows the training's end: the ``limit`` oldest of each (and their
    count) are read in the database, then merged; never every row. The result is kept per user, day
    and data version: any change of the data, or of their projects (a membership), reads again."""
    key = f"follow-ups-due:{data_version()}:{user.pk}:{user.is_superuser}:{today}:{limit}"
    shown, total = cache.get_or_set(key, lambda: _follow_ups_due(user=user, today=today, limit=limit), 3600)
    return FollowUpsDue(shown=shown, total=total, cache_key=key)


def _follow_ups_due(*, user, today: date, limit: int) -> tuple[list[FollowUpDue], int]:
    finished = for_member(Enrollment.objects.all(), user, project_path="training__project").filter(
        status__in=Enrollment.FINISHED,
        completed_on__isnull=False,
        beneficiary__status=Beneficiary.Status.ACTIVE,
    )
    candidates, total = [], 0
    for months in FollowUp.Months.values:
        latest_finish = rules.add_months(today, -months)
        earliest_finish = rules.add_months(today - timedelta(days=rules.FOLLOW_UP_GIVE_UP_DAYS), -months)
        recorded = FollowUp.objects.filter(enrollment=OuterRef("pk"), months_after=months)
        waiting = finished.filter(completed_on__range=(earliest_finish, latest_finish)).exclude(Exists(recorded))
        total += waiting.count()
        oldest = waiting.select_related("beneficiary", "training").order_by("completed_on", "pk")[:limit]
        candidates += [
            FollowUpDue(enrollment, months, rules.add_months(enrollment.completed_on, months)) for enrollment in oldest
        ]
    return sorted(candidates, key=lambda due: (due.due_on, due.enrollment.pk))[:limit], total


def certificate_by_code(code: str) -> Enrollment | None:
    """The certificate a verification code names, as typed from paper (any case, spaces, with or
    without its hyphen); None when no certificate has it."""
    letters = "".join(char for char in code.upper() if char.isalnum())
    if len(letters) != 10:
        return None
    return (
        Enrollment.objects.filter(status=Enrollment.Status.CERTIFIED, verification_code=f"{letters[:5]}-{letters[5:]}")
        .select_related("beneficiary", "training__city", "training__project")
        .first()
    )
