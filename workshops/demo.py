"""Demo data for FM.0390's capacity building, the same every time (fixed seed): eight events (local
workshops in five cities, central consultations in Rabat) with officials from ministries, local
authorities, ANAPEC, OFPPT and NGOs, their attendance and self-assessments, all through the services."""

import random
from datetime import date, timedelta

from projects.models import Location, Organization, Project

from .models import Registration, Workshop
from .services import participant_create, record_assessments, record_workshop_attendance, register, workshop_save

SEED = 3901


def seed(*, log, with_users: bool) -> None:
    project = Project.objects.filter(code="FM.0390").first()
    if project is None:
        return
    if project.workshops.exists():
        log(f"Workshops of {project.code} already loaded.")
        return
    seed_workshops(project, log)


MORE_ORGANIZATIONS = [
    # name, acronym, IATI type, level, city
    ("Préfecture d'arrondissements de Casablanca-Anfa", "", "10", "local", "Casablanca"),
    ("Conseil régional de Fès-Meknès", "", "10", "local", "Fès"),
    ("Association Marocaine des Droits Humains", "AMDH", "22", "local", "Rabat"),
    ("Chambre de commerce, d'industrie et de services de Tanger", "CCIS Tanger", "15", "local", "Tanger"),
]

# title, kind, level, city, start, days, organizers, topics
WORKSHOPS = [
    (
        "Accueil et orientation des migrants régularisés vers la formation",
        "workshop",
        "local",
        "Casablanca",
        date(2022, 9, 20),
        2,
        ["OIM", "OFPPT"],
        ["Connaître les droits des migrants régularisés", "Orienter vers la formation"],
    ),
    (
        "Concertation nationale sur l'insertion professionnelle des migrants",
        "consultation",
        "central",
        "Rabat",
        date(2022, 11, 15),
        1,
        ["OIM", "MCMREAM"],
        [],
    ),
    (
        "Formation des conseillers emploi à l'accompagnement des migrants",
        "training",
        "local",
        "Tanger",
        date(2023, 2, 21),
        3,
        ["OIM", "ANAPEC"],
        ["Accueillir un public migrant", "Accompagner vers l'emploi", "Lutter contre les discriminations"],
    ),
    (
        "Atelier régional sur l'entrepreneuriat des migrants",
        "workshop",
        "local",
        "Oujda",
        date(2023, 5, 9),
        2,
        ["OIM", "AMAPPE"],
        ["Appuyer la création d'activité", "Orienter vers le financement"],
    ),
    (
        "Atelier d'échange entre associations et services publics",
        "workshop",
        "local",
        "Fès",
        date(2023, 6, 27),
        1,
        ["OIM", "Caritas Maroc"],
        ["Coordonner les services aux migrants"],
    ),
    (
        "Concertation sur la stratégie nationale d'immigration et d'asile",
        "consultation",
        "central",
        "Rabat",
        date(2023, 10, 18),
        1,
        ["OIM", "MCMREAM", "EN"],
        [],
    ),
    (
        "Formation des formateurs à l'inclusion des migrants",
        "training",
        "central",
        "Rabat",
        date(2024, 1, 23),
        3,
        ["OIM", "OFPPT"],
        ["Adapter la pédagogie", "Gérer un groupe multiculturel"],
    ),
    (
        "Atelier de capitalisation des acquis du projet",
        "workshop",
        "local",
        "Casablanca",
        date(2024, 6, 11),
        1,
        ["OIM"],
        ["Connaître les dispositifs d'insertion"],
    ),
]

OFFICIALS_WOMEN = ["Fatima Zahra", "Khadija", "Nadia", "Salma", "Meryem", "Hind", "Imane", "Loubna", "Asmae"]
OFFICIALS_MEN = ["Youssef", "Mohamed", "Karim", "Abdellah", "Hicham", "Rachid", "Said", "Omar", "Adil"]
SURNAMES = [
    "El Amrani",
    "Benjelloun",
    "Alaoui",
    "Idrissi",
    "Tazi",
    "Bennani",
    "El Fassi",
    "Chraibi",
    "Berrada",
    "Ouazzani",
    "Lahlou",
    "Skalli",
    "Naciri",
    "Bouzidi",
    "El Khatib",
]
POSITIONS = {
    "10": ["Chef de division", "Cadre administratif", "Chargé de mission", "Directeur de service"],
    "15": ["Conseiller emploi", "Formateur", "Directeur d'établissement", "Chargé de l'orientation"],
    "21": ["Coordinatrice de programme", "Travailleur social"],
    "22": ["Présidente", "Chargé de projet", "Animateur", "Assistante sociale"],
}


def seed_workshops(project: Project, log) -> None:
    rng = random.Random(SEED)
    cities = {location.name: location for location in Location.objects.filter(kind=Location.Kind.CITY)}
    for name, acronym, kind, level, city in MORE_ORGANIZATIONS:
        Organization.objects.get_or_create(
            name=name, defaults={"acronym": acronym, "kind": kind, "level": level, "city": cities.get(city)}
        )
    organizations = {org.acronym or org.name: org for org in Organization.objects.all()}
    local_by_city, central = {}, []
    for org in organizations.values():
        if org.kind in ("40", "60"):
            continue  # donors and IOM itself organize; they are not the actors being trained
        if org.level == "central":
            central.append(org)
        else:
            local_by_city.setdefault(org.city.name if org.city else "", []).append(org)
    people = []
    for title, kind, level, city, start, days, organizers, topics in WORKSHOPS:
        workshop = workshop_save(
            workshop=Workshop(
                project=project,
                kind=kind,
                level=level,
                title=title,
                start_date=start,
                end_date=start + timedelta(days=days - 1),
                city=cities[city],
                venue=rng.choice(["Hôtel de ville", "Siège de l'OIM", "Centre de formation", "Salle de conférence"]),
                objectives=f"Renforcer les capacités des acteurs sur le thème : {title.lower()}.",
            ),
            organizers=[organizations[name] for name in organizers],
            topics=topics,
        )
        pool = central if level == "central" else local_by_city.get(city, []) + central[:2]
        invited = _invite(project, pool, people, rng, count=rng.randint(12, 22))
        registrations = register(workshop=workshop, participants=invited)
        marks = {r.pk: ("present" if rng.random() < 0.88 else "absent") for r in registrations}
        record_workshop_attendance(workshop=workshop, marks=marks)
        scores = {}
        for registration in registrations:
            if marks[registration.pk] != "present":
                continue
            for topic in workshop.assessment_topics.all():
                before = rng.choice([1, 2, 2, 3, 3, 4])
                scores[(registration.pk, topic.pk)] = (before, min(5, before + rng.choice([0, 1, 1, 1, 2])))
        record_assessments(workshop=workshop, scores=scores)
    log(
        f"{project.workshops.count()} workshops and consultations with {len(people)} participants "
        f"and {Registration.objects.filter(workshop__project=project).count()} registrations loaded."
    )


def _invite(project, pool, people, rng, *, count):
    """Officials already met come back (about half the time); the others are new faces."""
    chosen = []
    known = [p for p in people if p.organization in pool]
    rng.shuffle(known)
    for person in known[: count // 2]:
        chosen.append(person)
    while len(chosen) < count:
        organization = rng.choice(pool)
        sex = rng.choice(["F", "M"])
        person = participant_create(
            project=project,
            data={
                "first_name": rng.choice(OFFICIALS_WOMEN if sex == "F" else OFFICIALS_MEN),
                "last_name": rng.choice(SURNAMES),
                "sex": sex,
                "position": rng.choice(POSITIONS.get(organization.kind, POSITIONS["22"])),
                "organization": organization,
                "consent_to_contact": rng.random() < 0.8,
            },
        )
        people.append(person)
        chosen.append(person)
    return chosen
