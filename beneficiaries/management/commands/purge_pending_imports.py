from django.core.management.base import BaseCommand, CommandError

from beneficiaries.pending_imports import MAX_AGE_SECONDS, purge


class Command(BaseCommand):
    help = (
        "Delete the uploaded import files left in IMPORT_DIR by previews nobody committed or cancelled "
        "(they hold personal data). Deletes those older than --older-than-hours (default 24) and prints how "
        "many it removed. Run it from cron, e.g. hourly: manage.py purge_pending_imports. "
        "--older-than-hours 0 deletes them all, but also cuts short any import between its preview and commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=MAX_AGE_SECONDS / 3600,
            help="Delete the files older than this many hours (default: 24).",
        )

    def handle(self, *args, older_than_hours, **options):
        if older_than_hours < 0:
            raise CommandError("--older-than-hours cannot be negative.")
        removed = purge(older_than_seconds=older_than_hours * 3600)
        self.stdout.write(f"Removed {removed} pending import file(s) older than {older_than_hours:g} hours.")
