from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.catalogue_fixtures import DEFAULT_DIRECTORY, FixtureError, load_catalogue, read_catalogue


class Command(BaseCommand):
    help = (
        "Load the catalogue's real content (fixtures/catalogue/*.toml). "
        "Safe to run again: it updates what exists and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=DEFAULT_DIRECTORY, help="Folder of the TOML fixtures."
        )

    def handle(self, *args, path: Path, **options):
        try:
            data = read_catalogue(path)
        except FixtureError as error:
            raise CommandError(str(error)) from error
        created = load_catalogue(data)
        summary = (
            ", ".join(f"{kind}: {count}" for kind, count in sorted(created.items()) if count)
            or "nothing new"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue loaded from {path.name}/ ({len(data.practices)} practices, "
                f"{len(data.organisations)} organisations). Created: {summary}."
            )
        )
