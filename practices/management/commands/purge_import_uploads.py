"""Delete import files whose dry run was never confirmed (run it hourly from cron)."""

from django.core.management.base import BaseCommand

from practices.import_uploads import IMPORT_UPLOAD_HOURS, import_uploads_purge


class Command(BaseCommand):
    help = f"Delete import dry-run files older than {IMPORT_UPLOAD_HOURS} h (contact data)."

    def handle(self, *args, **options):
        deleted = import_uploads_purge()
        self.stdout.write(f"Deleted {deleted} unconfirmed import file(s).")
