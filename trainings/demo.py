"""Demo data for FM.0390, the same every time (fixed seeds).

Twelve trainings in Rabat, Casablanca, Tanger and Oujda: ten finished ones with attendance,
certificates, follow-ups and business support, one running now and one about to start, so that
enrolling and taking attendance can be tried. Finished trainings are written as they would have been at the time: places and the
waitlist follow the service's rule; attendance, completion and follow-ups go through the services.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from beneficiaries.models import Beneficiary
from projects.models import Location, Organization, Project

from .models import BusinessSupport, Enrollment, FollowUp, Session, Training
from .services import complete, enroll, record_attendance, record_business_support, record_follow_up

SEED = 3900

# title, kind, trade, provider acronym (or name), city, start, weeks, capacity
PAST_TRAININGS = [
    ("Couture et retouche", "vocational", "Couture", "OFPPT", "Casablanca", date(2022, 10, 3), 10, 16),
    ("Aide-cuisinier en restauration", "vocational", "Restauration", "OFPPT", "Rabat", date(2022, 11, 7), 8, 15),
    ("Électricité du bâtiment", "vocational", "Électricité", "OFPPT", "Tanger", date(2023, 1, 16), 12, 14),
    (
        "Créer et gérer sa micro-entreprise",
        "micro_enterprise",
        "Petit commerce",
        "AMAPPE",
        "Casablanca",
        date(2023, 2, 6),
        6,
        18,
    ),
    ("Coiffure et esthétique", "vocational", "Coiffure", "OFPPT", "Rabat", date(2023, 3, 13), 10, 15),
    ("Plomberie sanitaire", "vocational", "Plomberie", "OFPPT", "Oujda", date(2023, 4, 17), 10, 12),
    (
        "Gérer une activité génératrice de revenus",
        "micro_enterprise",
        "Commerce et services",
        "EN",
        "Oujda",
        date(2023, 6, 5),
        6,
        15,
    ),
    ("Agent de sécurité et de gardiennage", "vocational", "Sécurité", "ANAPEC", "Tanger", date(2023, 9, 11), 6, 15),
    ("Pâtisserie et boulangerie", "vocational", "Boulangerie", "OFPPT", "Casablanca", date(2023, 10, 2), 8, 15),
    (
        "Lancer son activité : plan d'affaires et kit de démarrage",
        "micro_enterprise",
        "Artisanat et commerce",
        "AMAPPE",
        "Rabat",
        date(2024, 1, 15),
        6,
        16,
    ),
]
# title, kind, trade, provider, city, days from today to the start, weeks, capacity
CURRENT_TRAININGS = [
    ("Maintenance automobile", "vocational", "Mécanique", "OFPPT", "Casablanca", -21, 8, 15),
    ("Entrepreneuriat féminin", "micro_enterprise", "Commerce", "AMAPPE", "Tanger", 14, 6, 15),
]

TOPICS = {
    "vocational": [
        "Accueil et sécurité",
        "Outils et matériaux",
        "Pratique en atelier",
        "Mise en situation",
        "Droit du travail au Maroc",
        "Recherche d'emploi",
        "Évaluation pratique",
    ],
    "micro_enterprise": [
        "Idée et marché",
        "Plan d'affaires",
        "Prix et coûts",
        "Tenue de caisse",
        "Statut d'auto-entrepreneur",
        "Accès au financement",
        "Présentation du projet",
    ],
}


def seed(*, log, with_users: bool) -> None:
    _seed_tunisian_support()
    project = Project.objects.filter(code="FM.0390").first()
    if project is None:
        return
    staff = get_user_model().objects.filter(username="staff").first()
    if staff is None or not project.beneficiaries.exists():
        log("No demo staff or beneficiaries to run trainings with: trainings skipped.")
        return
    if project.trainings.exists():
        log(f"Trainings of {project.code} already loaded.")
        return
    rng = random.Random(SEED)
    cities = {location.name: location for location in Location.objects.filter(kind=Location.Kind.CITY)}
    providers = {org.acronym or org.name: org for org in Organization.objects.all()}
    # How keen each person is: attendance, and whether they finish, follow from it.
    keenness = {}
    for row in PAST_TRAININGS:
        training = _create(project, row, cities, providers, start=row[5], officer=staff)
        _run_past_training(training, project, staff, rng, keenness)
    today = timezone.localdate()
    for title, kind, trade, provider, city, offset, weeks, capacity in CURRENT_TRAININGS:
        row = (title, kind, trade, provider, city, None, weeks, capacity)
        training = _create(project, row, cities, providers, start=today + timedelta(days=offset), officer=staff)
        _run_current_training(training, project, staff, rng)
    log(
        f"{project.trainings.count()} trainings, {Enrollment.objects.filter(training__project=project).count()} "
        f"enrollments and {FollowUp.objects.filter(enrollment__training__project=project).count()} follow-ups loaded."
    )


def _create(project, row, cities, providers, *, start: date, officer) -> Training:
    title, kind, trade, provider, city, _start, weeks, capacity = row
    training = Training.objects.create(
        project=project,
        kind=kind,
        title=title,
        trade=trade,
        provider=providers[provider],
        city=cities[city],
        venue=f"Centre de formation, {city}",
        start_date=start,
        end_date=start + timedelta(weeks=weeks, days=-3),
        capacity=capacity,
        hours=weeks * 2 * 4,
        pass_threshold=80,
    )
    training.officers.add(officer)  # the demo field officer runs them all: their home lists the sessions
    # Two half-days a week, Monday and Thursday mornings.
    for week in range(weeks):
        for weekday, topic_index in ((0, 2 * week), (3, 2 * week + 1)):
            Session.objects.create(
                training=training,
                date=start + timedelta(weeks=week, days=weekday),
                start_time=time(9),
                duration_minutes=240,
                topic=TOPICS[kind][min(topic_index * len(TOPICS[kind]) // (2 * weeks), len(TOPICS[kind]) - 1)],
            )
    return training


def _applicants(project, training, rng, count):
    people = list(
        Beneficiary.objects.active()
        .filter(project=project, city=training.city)
        .exclude(enrollments__training=training)
        .order_by("id")
    )
    rng.shuffle(people)
    return people[:count]


def _run_past_training(training, project, staff, rng, keenness) -> None:
    applicants = _applicants(project, training, rng, training.capacity + rng.randint(1, 4))
    # Requests came in the weeks before the start; the first ones took the places.
    enrollments = []
    for order, person in enumerate(applicants):
        requested = timezone.make_aware(
            timezone.datetime.combine(training.start_date - timedelta(days=30 - order), time(10))
        )
        holds_place = order < training.capacity
        enrollments.append(
            Enrollment.objects.create(
                training=training,
                beneficiary=person,
                status=Enrollment.Status.ENROLLED if holds_place else Enrollment.Status.WAITLISTED,
                requested_at=requested,
                enrolled_on=requested.date() if holds_place else None,
                created_by=staff,
            )
        )
    enrolled = [e for e in enrollments if e.status == Enrollment.Status.ENROLLED]
    for enrollment in enrolled:
        keenness.setdefault(enrollment.beneficiary_id, min(1.0, rng.uniform(0.72, 1.05)))
    # One or two leave in the second week; the first waiting person takes the place.
    sessions = list(training.sessions.all())
    leavers = rng.sample(enrolled, k=rng.randint(1, 2))
    waiting = [e for e in enrollments if e.status == Enrollment.Status.WAITLISTED]
    for leaver in leavers:
        leaver.status, leaver.dropped_on = Enrollment.Status.DROPPED, sessions[3].date
        leaver.drop_reason = rng.choice(["A trouvé un emploi", "Déménagement", "Raisons familiales"])
        leaver.save()
        if waiting:
            promoted = waiting.pop(0)
            promoted.status, promoted.enrolled_on = Enrollment.Status.ENROLLED, sessions[3].date
            promoted.save()
            keenness.setdefault(promoted.beneficiary_id, min(1.0, rng.uniform(0.72, 1.05)))
    for session in sessions:
        roster = training.enrollments.filter(status=Enrollment.Status.ENROLLED)
        marks = {}
        for enrollment in roster:
            if enrollment.enrolled_on and enrollment.enrolled_on > session.date:
                marks[enrollment.pk] = "excused"  # joined from the waitlist after this session
                continue
            draw = rng.random()
            keen = keenness[enrollment.beneficiary_id]
            marks[enrollment.pk] = "present" if draw < keen else ("excused" if draw < keen + 0.05 else "absent")
        record_attendance(session=session, marks=marks, by=staff)
    complete(training=training, by=staff)
    finished_on = training.end_date
    Training.objects.filter(pk=training.pk).update(
        completed_at=timezone.make_aware(timezone.datetime.combine(finished_on, time(17)))
    )
    training.enrollments.filter(status__in=Enrollment.FINISHED).update(completed_on=finished_on)
    training.enrollments.filter(status=Enrollment.Status.DROPPED, dropped_on__isnull=True).update(
        dropped_on=finished_on
    )
    _follow_up(training, staff, rng)


def _follow_up(training, staff, rng) -> None:
    today = timezone.localdate()
    certified = training.enrollments.filter(status=Enrollment.Status.CERTIFIED).select_related("beneficiary")
    for enrollment in certified:
        working = False
        for months, reached in ((3, 0.9), (6, 0.8), (12, 0.65)):
            day = training.end_date + timedelta(days=months * 30 + rng.randint(0, 14))
            if day > today or rng.random() > reached:
                break  # not due yet, or the person could not be reached
            working = working or rng.random() < (0.35 + months / 40)
            if training.kind == Training.Kind.MICRO_ENTERPRISE:
                employment = "self_employed" if working else rng.choice(["unemployed", "wage_informal"])
            else:
                employment = (
                    rng.choice(["wage_formal", "wage_informal", "wage_informal"])
                    if working
                    else rng.choice(["unemployed", "unemployed", "in_training"])
                )
            income = {
                "wage_formal": rng.choice(["3000-4999", "3000-4999", "5000+"]),
                "wage_informal": rng.choice(["1000-2999", "1000-2999", "3000-4999"]),
                "self_employed": rng.choice(["lt1000", "1000-2999", "3000-4999"]),
            }.get(employment, rng.choice(["none", "none", "undisclosed"]))
            record_follow_up(
                enrollment=enrollment,
                data={
                    "months_after": months,
                    "date": day,
                    "employment_status": employment,
                    "employer_or_sector": training.trade if employment in FollowUp.WORKING else "",
                    "income_band": income,
                },
                by=staff,
            )
        if training.kind == Training.Kind.MICRO_ENTERPRISE:
            _business_support(training, enrollment, staff, rng, started=working)


def _business_support(training, enrollment, staff, rng, *, started: bool) -> None:
    support = rng.choice([BusinessSupport.Kind.KIT, BusinessSupport.Kind.KIT, BusinessSupport.Kind.GRANT])
    plan_on = training.end_date + timedelta(days=rng.randint(7, 30))
    data = {
        "training": training,
        "business_sector": rng.choice(["Petit commerce", "Couture", "Restauration", "Coiffure", "Artisanat"]),
        "business_plan_on": plan_on,
        "support_kind": support,
        "support_amount": Decimal(rng.choice([5000, 7500, 10000, 15000])),
        "support_on": plan_on + timedelta(days=30),
        "coaching_sessions": rng.randint(2, 8),
        "business_status": (
            rng.choice([BusinessSupport.BusinessStatus.OPERATING, BusinessSupport.BusinessStatus.STARTED])
            if started
            else BusinessSupport.BusinessStatus.PLANNED
        ),
        "business_started_on": plan_on + timedelta(days=45) if started else None,
    }
    record_business_support(beneficiary=enrollment.beneficiary, data=data, by=staff)


def _run_current_training(training, project, staff, rng) -> None:
    """A training running now (attendance taken so far) or about to start (enrollment open)."""
    applicants = _applicants(project, training, rng, training.capacity - 3)
    enroll(training=training, beneficiaries=applicants, by=staff)
    today = timezone.localdate()
    roster = list(training.enrollments.filter(status=Enrollment.Status.ENROLLED))
    for session in training.sessions.filter(date__lt=today):
        marks = {e.pk: ("present" if rng.random() < 0.85 else "absent") for e in roster}
        record_attendance(session=session, marks=marks, by=staff)


def _seed_tunisian_support() -> None:
    """A grant in dinars to someone of the fictitious Tunisian project (projects.demo)."""
    person = Beneficiary.objects.filter(project__code="DEMO.TN").order_by("pk").first()
    staff = get_user_model().objects.filter(username="staff").first()
    if person is None or staff is None:
        return
    BusinessSupport.objects.get_or_create(
        beneficiary=person,
        defaults={
            "business_sector": "Couture",
            "support_kind": BusinessSupport.Kind.GRANT,
            "support_amount": Decimal("1500.00"),
            "support_on": date(2026, 9, 15),
            "business_status": BusinessSupport.BusinessStatus.STARTED,
            "business_started_on": date(2026, 10, 1),
            "recorded_by": staff,
        },
    )
