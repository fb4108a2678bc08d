from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup file.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, backup, database, yes, **options):
        settings_dict = connections[database].settings_dict
        if not yes:
            answer = input(f"Replace everything in {settings_dict['NAME']} with {backup}? Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled: nothing was changed.")
        connections[database].close()
        try:
            restore(settings_dict, Path(backup))
        except Exception as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Database restored from {backup}."))
