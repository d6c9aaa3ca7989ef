from django.core.management.base import BaseCommand, CommandError

from bench.synthetic import SyntheticRefused, generate_catalogue


class Command(BaseCommand):
    help = (
        "Fill an empty database with a deterministic synthetic catalogue for benchmarks "
        "(never into the real one). Run `load_catalogue --taxonomy-only` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=10_000)
        parser.add_argument("--organisations", type=int, default=None)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--reset", action="store_true", help="Replace the synthetic data already there."
        )

    def handle(self, *args, practices, organisations, seed, reset, **options):
        try:
            report = generate_catalogue(
                practices=practices,
                organisations=organisations,
                seed=seed,
                reset=reset,
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except SyntheticRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.practices} practices, {report.organisations} organisations, "
                f"{report.partnerships} partnerships, {report.topic_links} topic links, "
                f"{report.editions} editions, {report.entries} entries in {report.seconds:.0f} s"
            )
        )
