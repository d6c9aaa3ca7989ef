from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, catalogue_backup


class Command(BaseCommand):
    help = (
        "Back up the catalogue into a new folder: a pg_dump of the database DATABASE_URL "
        "names (custom format), a tar of the uploads in MEDIA_ROOT, and manifest.json "
        "(time, database, pg_dump version, every table's row count)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A new or empty folder for the backup.")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = catalogue_backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = manifest["row_counts"]
        uploads = manifest["uploads"]
        self.stdout.write(
            f"Database {manifest['database']!r} (PostgreSQL {manifest['server_version']}): "
            f"{len(counts)} tables, {sum(counts.values())} rows, "
            f"{manifest['dump']['bytes']} bytes, with {manifest['pg_dump']}."
        )
        if uploads is None:
            self.stdout.write(
                self.style.WARNING(
                    "Uploads are not on the local disk (object storage): back up the bucket "
                    "with the storage's own tools."
                )
            )
        else:
            self.stdout.write(f"Uploads: {uploads['files']} files, {uploads['bytes']} bytes.")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {directory}."))
