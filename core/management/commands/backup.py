from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import backup, vendor_of


class Command(BaseCommand):
    help = "Back up the whole database (SQLite: a consistent copy; PostgreSQL: pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Where to write it (default: backups/masar-<date>.<ext>).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, database, **options):
        settings_dict = connections[database].settings_dict
        extension = "sqlite3" if vendor_of(settings_dict) == "sqlite" else "dump"
        default = Path(settings.BASE_DIR) / "backups" / f"masar-{datetime.now():%Y%m%d-%H%M%S}.{extension}"
        try:
            path = backup(settings_dict, Path(output) if output else default)
        except Exception as error:  # a clear line, not a traceback, for whoever runs it at night
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({path.stat().st_size:,} bytes)."))
