"""Load a project's public facts (its sheet, components, sectors, funding and results framework),
and nothing fictitious: how a real project is set up in production. Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.signals import data_changed
from projects import fm0390

# Projects whose public facts ship with Masar, by code.
PUBLIC_FACTS = {fm0390.CODE: fm0390.load}


class Command(BaseCommand):
    help = "Load a project's public facts (sheet, components, sectors, funding, results framework), no people."

    def add_arguments(self, parser):
        parser.add_argument("code", help=f"The project's code: one of {', '.join(sorted(PUBLIC_FACTS))}.")

    def handle(self, *args, code: str, **options):
        load = PUBLIC_FACTS.get(code)
        if load is None:
            raise CommandError(f"No public facts for {code!r}. Known projects: {', '.join(sorted(PUBLIC_FACTS))}.")
        with transaction.atomic():
            project = load(log=self.stdout.write)
            data_changed.send(sender=self.__class__)
        self.stdout.write(self.style.SUCCESS(f"{project.code} is loaded, with no people and no users."))
