"""Demo data for projects: FM.0390's public facts (projects.fm0390) and one demo user per role."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

from core.roles import Role, assign_role

from . import fm0390
from .models import Location, Membership, Project

DEMO_USERS = [
    # username, role, first name, last name
    ("admin", Role.ADMINISTRATOR, "Amina", "Administratrice"),
    ("me", Role.ME_OFFICER, "Youssef", "Suivi-Évaluation"),
    ("staff", Role.FIELD_STAFF, "Salma", "Terrain"),
    ("donor", Role.DONOR, "Daniel", "Bailleur"),
]


# A second, fictitious project in Tunisia: what a project in another country looks like (its phone
# numbers, cities and dinars), and that nothing of Morocco leaks into it.
TUNISIA_CODE = "DEMO.TN"
TUNISIAN_CITIES = {
    "Tunis": ("36.80649", "10.18153"),
    "Sfax": ("34.74056", "10.76028"),
    "Sousse": ("35.82539", "10.63699"),
}


def seed(*, log, with_users: bool) -> None:
    project = fm0390.load(log=log)
    tunisia = _seed_tunisia(log)
    if with_users:
        _seed_users(project, log)
        _seed_tunisian_members(tunisia)


def _seed_tunisia(log) -> Project:
    cities = []
    for name, (latitude, longitude) in TUNISIAN_CITIES.items():
        city, _created = Location.objects.get_or_create(
            name=name,
            kind=Location.Kind.CITY,
            country="TN",
            defaults={"latitude": Decimal(latitude), "longitude": Decimal(longitude)},
        )
        cities.append(city)
    project, created = Project.objects.get_or_create(
        code=TUNISIA_CODE,
        defaults={
            "title_fr": "Démonstration : formation professionnelle de migrants en Tunisie",
            "title_en": "Demonstration: vocational training for migrants in Tunisia",
            "description_fr": "Projet fictif, pour montrer un projet dans un autre pays que le Maroc.",
            "description_en": "A fictitious project, to show a project in a country other than Morocco.",
            "project_type": Project.ProjectType.ASSISTED_MIGRATION,
            "status": Project.Status.ACTIVE,
            "budget": Decimal("50000.00"),
            "currency": "USD",
            "coverage": Project.Coverage.NATIONAL,
            "idf_region": Project.IdfRegion.AFRICA,
            "beneficiary_countries": ["TN"],
            "country": "TN",
            "is_public": False,
        },
    )
    project.locations.add(*cities)
    if created:
        log(f"{project.code} (fictitious, Tunisia) loaded.")
    return project


def _seed_tunisian_members(project: Project) -> None:
    """The field officer and the M&E officer work on both projects; the donor funds FM.0390 only."""
    for username in ("staff", "me"):
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            Membership.objects.get_or_create(user=user, project=project)


def _seed_users(project: Project, log) -> None:
    User = get_user_model()
    password = settings.DEMO_PASSWORD
    log(f"Demo users (password: {password}):")
    for username, role, first_name, last_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@masar.example"},
        )
        if created:
            user.set_password(password)
            user.is_superuser = role == Role.ADMINISTRATOR
            user.save()
        assign_role(user, role)
        if role != Role.ADMINISTRATOR:
            Membership.objects.get_or_create(user=user, project=project)
        log(f"  {username:<6} {role.label}")
