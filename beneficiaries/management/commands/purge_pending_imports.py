from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from beneficiaries.jobs import KEPT_FOR, purge


class Command(BaseCommand):
    help = (
        "Delete the files that import and export jobs keep in the private storage (they hold personal "
        "data), with the previews of imports, once untouched for --older-than-hours (default 24); prints how "
        "many files it removed. Run it from cron, e.g. hourly: manage.py purge_pending_imports. "
        "--older-than-hours 0 deletes them all, but also cuts short any import between its preview and commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=KEPT_FOR.total_seconds() / 3600,
            help="Delete the files older than this many hours (default: 24).",
        )

    def handle(self, *args, older_than_hours, **options):
        if older_than_hours < 0:
            raise CommandError("--older-than-hours cannot be negative.")
        removed = purge(older_than=timedelta(hours=older_than_hours))
        self.stdout.write(f"Removed {removed} file(s) of jobs untouched for {older_than_hours:g} hours.")
