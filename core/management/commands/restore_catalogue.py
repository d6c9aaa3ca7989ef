from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, catalogue_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_catalogue into the database DATABASE_URL names, "
        "which must be empty, and its uploads into MEDIA_ROOT; then check every table's "
        "row count against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="The folder backup_catalogue wrote.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Unpack the uploads even if MEDIA_ROOT is not empty (same names are replaced).",
        )

    def handle(self, *args, directory: Path, force: bool, **options):
        try:
            summary = catalogue_restore(directory, replace_uploads=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Database {summary['database']!r}: {summary['tables']} tables, "
            f"{summary['rows']} rows, with {summary['pg_restore']}."
        )
        if summary["media_root"] is not None:
            self.stdout.write(f"Uploads: {summary['uploads']} files in {summary['media_root']}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {summary['backup_created_at']}; row counts match."
            )
        )
