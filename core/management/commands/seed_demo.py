"""Load demo data: the FM.0390 record and, while DEBUG is on, one demo user per role.

Each of our apps that has demo data provides ``<app>/demo.py`` with ``seed(*, log, with_users)``.
They run bottom layer first, so a later app can rely on an earlier one's rows; core imports them by
name so that it does not depend on the layers above it.
Every seed function is idempotent: running the command twice creates nothing new.
"""

from importlib import import_module, util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.signals import data_changed

APPS_IN_LAYER_ORDER = ["projects", "beneficiaries", "trainings", "reports"]


class Command(BaseCommand):
    help = "Load the FM.0390 project and demo data (idempotent). Demo users only when DEBUG is on."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users", action="store_true", help="Load the project data without creating demo users."
        )

    def handle(self, *args, no_users: bool, **options):
        if not no_users and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo users with DEBUG off: they have a known password. "
                "Use --no-users to load only the project data."
            )
        with transaction.atomic():
            for app_label in APPS_IN_LAYER_ORDER:
                module_name = f"{app_label}.demo"
                if util.find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(log=self.stdout.write, with_users=not no_users)
            data_changed.send(sender=self.__class__)  # the demo writes some rows with QuerySet.update
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
