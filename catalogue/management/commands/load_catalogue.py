from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.fixtures import DEFAULT_DIRECTORY, FixtureError, load_catalogue, read_catalogue


class Command(BaseCommand):
    help = (
        "Load the catalogue's real content (fixtures/catalogue/*.toml). "
        "Safe to run again: it updates what exists and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=DEFAULT_DIRECTORY, help="Folder of the TOML fixtures."
        )
        parser.add_argument(
            "--taxonomy-only",
            action="store_true",
            help="Load only the practice types and topics (for a synthetic benchmark database).",
        )

    def handle(self, *args, path: Path, taxonomy_only: bool, **options):
        try:
            data = read_catalogue(path, taxonomy_only=taxonomy_only)
            created = load_catalogue(data)
        except FixtureError as error:
            raise CommandError(str(error)) from error
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
