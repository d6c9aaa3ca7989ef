"""Apply the retention rule of the privacy notice (run it daily from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from competitions.retention import personal_data_purge


class Command(BaseCommand):
    help = (
        "Erase submitters' and applicants' contact data (also from the change history), "
        "unsent entry forms, ballot descriptions and sign-in records older than "
        "PERSONAL_DATA_RETENTION_DAYS after the decision or the results."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be erased."
        )

    def handle(self, *args, dry_run=False, **options):
        counts = personal_data_purge(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        self.stdout.write(f"{verb} (retention {days} days):")
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
