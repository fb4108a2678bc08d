"""A project's worth of data, generated deterministically and written in bulk: people of both sexes,
every age group, a dozen nationalities and four cities; trainings of both kinds with enrollments in
every status (about 1.5 per person), attendance, six-month follow-ups, business support; and
stakeholder events with participants. Used by the results tests and by the benchmarks (bench/),
where it reaches 100,000 people."""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils import timezone

from beneficiaries.models import AgeGroup, Beneficiary, ReferenceSequence, age_on
from core.names import fold, name_key
from projects.models import Location, Organization, Project
from trainings.models import Attendance, BusinessSupport, Enrollment, FollowUp, Session, Training
from workshops.models import Participant, Registration, Workshop

NATIONALITIES = ["SN", "CI", "CM", "ML", "GN", "CD", "NG", "SY", "CG", "GA", "BF", "YE"]
CITIES = ["Rabat", "Casablanca", "Tanger", "Oujda"]
FIRST_NAMES = ["Aminata", "Moussa", "Fatou", "Ibrahima", "Mariam", "Ousmane", "Awa", "Yacouba", "Nour", "Samir"]
LAST_NAMES = ["Diop", "Traoré", "Koné", "Camara", "Ndiaye", "Coulibaly", "Sow", "Mbeki", "Haddad", "Kouassi"]
ENROLLMENT_MIX = [
    (Enrollment.Status.CERTIFIED, 50),
    (Enrollment.Status.COMPLETED, 15),
    (Enrollment.Status.DROPPED, 15),
    (Enrollment.Status.ENROLLED, 10),
    (Enrollment.Status.WAITLISTED, 10),
]
SESSIONS_PER_TRAINING = 5
BATCH = 5000


@dataclass
class Dataset:
    people: int
    trainings: int
    enrollments: int
    attendance: int
    follow_ups: int
    participants: int


def build_dataset(project: Project, by, people: int, *, seed: int = 390, attendance: bool = True) -> Dataset:
    """Write ``people`` beneficiaries of ``project`` and everything around them, in bulk."""
    rng = random.Random(seed)
    today = timezone.localdate()
    cities = [Location.objects.get_or_create(name=name, kind=Location.Kind.CITY)[0] for name in CITIES]
    persons = _people(project, by, people, rng, cities, today)
    trainings = _trainings(project, rng, cities, max(2, people // 20), today)
    enrollments = _enrollments(persons, trainings, rng, by)
    attendance_rows = _attendance(enrollments, trainings, by) if attendance else 0
    follow_ups = _follow_ups(enrollments, rng, by)
    _business_support(enrollments, rng, by)
    participants = _stakeholders(project, rng, cities, max(6, people // 25), today)
    return Dataset(len(persons), len(trainings), len(enrollments), attendance_rows, follow_ups, participants)


def _people(project, by, count, rng, cities, today) -> list[Beneficiary]:
    sequence, _created = ReferenceSequence.objects.get_or_create(project=project)
    first = sequence.last_number + 1
    people = []
    for number in range(first, first + count):
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        born = date(rng.randint(1960, 2008), rng.randint(1, 12), rng.randint(1, 28))
        # Skewed like a real caseload: the first nationalities are the most common.
        nationality = NATIONALITIES[min(int(rng.expovariate(0.35)), len(NATIONALITIES) - 1)]
        people.append(
            Beneficiary(
                project=project,
                reference=f"{project.compact_code}-{number:06d}",
                first_name=first_name,
                last_name=last_name,
                name_key=name_key(first_name, last_name),
                search_name=fold(f"{first_name} {last_name}"),
                sex=rng.choice("FM"),
                date_of_birth=born,
                age_group=AgeGroup.for_age(age_on(born, today)),
                nationality=nationality,
                city=rng.choice(cities),
                consent_processing=True,
                consent_processing_date=today,
                consent_processing_method="written",
                created_by=by,
            )
        )
    ReferenceSequence.objects.filter(pk=sequence.pk).update(last_number=first + count - 1)
    return Beneficiary.objects.bulk_create(people, batch_size=BATCH)


def _trainings(project, rng, cities, count, today) -> list[Training]:
    provider, _created = Organization.objects.get_or_create(
        name="OFPPT (jeu de données)", defaults={"kind": Organization.Kind.OTHER_PUBLIC}
    )
    trainings = []
    for n in range(count):
        start = today - timedelta(days=60 + 30 * (n % 24))
        trainings.append(
            Training(
                project=project,
                kind=Training.Kind.VOCATIONAL if n % 3 else Training.Kind.MICRO_ENTERPRISE,
                title=f"Formation {n + 1}",
                sort_title=f"formation {n + 1}",
                trade="Couture",
                provider=provider,
                city=cities[n % len(cities)],
                start_date=start,
                end_date=start + timedelta(days=30),
                capacity=200,
                hours=120,
                pass_threshold=80,
            )
        )
    trainings = Training.objects.bulk_create(trainings)
    Session.objects.bulk_create(
        [
            Session(training=training, date=training.start_date + timedelta(days=5 * n), start_time=time(9))
            for training in trainings
            for n in range(SESSIONS_PER_TRAINING)
        ],
        batch_size=BATCH,
    )
    return trainings


def _enrollments(people, trainings, rng, by) -> list[Enrollment]:
    statuses, weights = zip(*ENROLLMENT_MIX, strict=True)
    enrollments = []
    for person in people:
        chosen = rng.sample(trainings, 2 if rng.random() < 0.5 else 1)  # 1.5 per person
        for training in chosen:
            status = rng.choices(statuses, weights)[0]
            finished = status in (Enrollment.Status.CERTIFIED, Enrollment.Status.COMPLETED)
            enrollments.append(
                Enrollment(
                    training=training,
                    beneficiary=person,
                    status=status,
                    enrolled_on=None if status == Enrollment.Status.WAITLISTED else training.start_date,
                    completed_on=training.end_date if finished else None,
                    certificate_number=None,
                    created_by=by,
                )
            )
    for number, enrollment in enumerate(enrollments, start=1):
        if enrollment.status == Enrollment.Status.CERTIFIED:
            enrollment.certificate_number = f"DATASET-{enrollment.training.project_id}-{number:07d}"
            enrollment.verification_code = f"DATA{number:07d}"
    return Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)


def _attendance(enrollments, trainings, by) -> int:
    sessions = {}
    for session in Session.objects.filter(training__in=trainings).order_by("date"):
        sessions.setdefault(session.training_id, []).append(session)
    rows = [
        Attendance(
            enrollment=enrollment,
            session=session,
            status=Attendance.Status.ABSENT if (enrollment.pk + n) % 9 == 0 else Attendance.Status.PRESENT,
            recorded_by=by,
        )
        for enrollment in enrollments
        if enrollment.status != Enrollment.Status.WAITLISTED
        for n, session in enumerate(sessions[enrollment.training_id])
    ]
    Attendance.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _follow_ups(enrollments, rng, by) -> int:
    employment = list(FollowUp.Employment.values)
    rows = [
        FollowUp(
            enrollment=enrollment,
            months_after=FollowUp.Months.SIX,
            date=enrollment.completed_on + timedelta(days=182),
            employment_status=rng.choice(employment),
            income_band=FollowUp.IncomeBand.values[1],
            recorded_by=by,
        )
        for enrollment in enrollments
        if enrollment.completed_on and rng.random() < 0.7
    ]
    FollowUp.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _business_support(enrollments, rng, by) -> None:
    supported = {}
    for enrollment in enrollments:
        micro = enrollment.training.kind == Training.Kind.MICRO_ENTERPRISE
        if micro and enrollment.status == Enrollment.Status.CERTIFIED and rng.random() < 0.6:
            status = rng.choice(BusinessSupport.BusinessStatus.values)
            supported[enrollment.beneficiary_id] = BusinessSupport(
                beneficiary_id=enrollment.beneficiary_id,
                training=enrollment.training,
                business_sector="Commerce",
                business_status=status,
                business_started_on=enrollment.completed_on if status in BusinessSupport.CREATED else None,
                recorded_by=by,
            )
    BusinessSupport.objects.bulk_create(list(supported.values()), batch_size=BATCH)


def _stakeholders(project, rng, cities, count, today) -> int:
    organizations = [
        Organization.objects.get_or_create(
            name=f"{label} (jeu de données)", defaults={"kind": kind, "level": level, "city": cities[0]}
        )[0]
        for label, kind, level in (
            ("Ministère", Organization.Kind.GOVERNMENT, Organization.Level.CENTRAL),
            ("Commune", Organization.Kind.GOVERNMENT, Organization.Level.LOCAL),
            ("Agence publique", Organization.Kind.OTHER_PUBLIC, Organization.Level.LOCAL),
            ("Association", Organization.Kind.NATIONAL_NGO, Organization.Level.LOCAL),
        )
    ]
    participants = Participant.objects.bulk_create(
        [
            Participant(
                project=project,
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)} {n}",
                name_key=f"dataset{project.pk}-{n}",
                sex=rng.choice("FM"),
                organization=rng.choice(organizations),
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                project=project,
                kind=Workshop.Kind.values[n % len(Workshop.Kind.values)],
                level=Organization.Level.values[n % 2],
                title=f"Atelier {n + 1}",
                start_date=today + timedelta(days=30 - 45 * n),
                end_date=today + timedelta(days=31 - 45 * n),
                city=cities[n % len(cities)],
            )
            for n in range(6)
        ]
    )
    Registration.objects.bulk_create(
        [
            Registration(workshop=workshop, participant=participant, attendance=rng.choice(["present", "absent", ""]))
            for participant in participants
            for workshop in rng.sample(workshops, 2)
        ],
        batch_size=BATCH,
    )
    return len(participants)
