"""Load demo data: the FM.0390 record and, while DEBUG is on, one demo user per role.

Each of our apps that has demo data provides ``<app>/demo.py`` with ``seed(*, log, with_users)``.
They run bottom layer first (INSTALLED_APPS order), so a later app can rely on an earlier one's rows;
core finds them through the app registry, naming no app above it.
Every seed function is idempotent: running the command twice creates nothing new.
"""

from importlib import import_module, util

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.signals import data_changed

# Demo users' e-mail addresses end with this (projects.demo); anyone else is a real user.
DEMO_EMAIL_DOMAIN = "@masar.example"


def refusal() -> str:
    """Why demo data may not be loaded here, or "" if it may. Fictitious people and known passwords
    belong only in a development database: DEBUG on, a database marked for development (SQLite, or
    a PostgreSQL database named in DEMO_DATABASES) and no user who is not a demo user."""
    to_set_up = "To set up a real project, use: manage.py load_project FM.0390 (its public facts only)."
    if not settings.DEBUG:
        return f"Refusing to load demo data with DEBUG off. {to_set_up}"
    database = connection.settings_dict
    if connection.vendor != "sqlite" and database["NAME"] not in settings.DEMO_DATABASES:
        return (
            f"Refusing to load demo data into the database {database['NAME']!r}: it is not a development "
            f"database (list it in DEMO_DATABASES if it is). {to_set_up}"
        )
    if get_user_model().objects.exclude(email__endswith=DEMO_EMAIL_DOMAIN).exists():
        return f"Refusing to load demo data: this database holds real users. {to_set_up}"
    return ""


class Command(BaseCommand):
    help = (
        "Load the FM.0390 project and fictitious demo data (idempotent), into a development database only. "
        "For a real project, use load_project."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users", action="store_true", help="Load the project data without creating demo users."
        )

    def handle(self, *args, no_users: bool, **options):
        reason = refusal()
        if reason:
            raise CommandError(reason)
        with transaction.atomic():
            # Each installed app's demo module, in INSTALLED_APPS order, which lists our apps bottom
            # layer first: core names no app above it.
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if util.find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(log=self.stdout.write, with_users=not no_users)
            data_changed.send(sender=self.__class__)  # the demo writes some rows with QuerySet.update
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
