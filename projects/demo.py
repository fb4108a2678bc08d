"""Demo data for projects: FM.0390's public facts (projects.fm0390) and one demo user per role."""

from django.conf import settings
from django.contrib.auth import get_user_model

from core.roles import Role, assign_role

from . import fm0390
from .models import Membership, Project

DEMO_USERS = [
    # username, role, first name, last name
    ("admin", Role.ADMINISTRATOR, "Amina", "Administratrice"),
    ("me", Role.ME_OFFICER, "Youssef", "Suivi-Évaluation"),
    ("staff", Role.FIELD_STAFF, "Salma", "Terrain"),
    ("donor", Role.DONOR, "Daniel", "Bailleur"),
]


def seed(*, log, with_users: bool) -> None:
    project = fm0390.load(log=log)
    if with_users:
        _seed_users(project, log)


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
