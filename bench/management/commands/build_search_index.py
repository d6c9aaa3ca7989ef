from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Index the published practices in tantivy for the benchmark's search-engine peer "
        "(bench/search_engine.py); replaces the index at --path."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", help="the index directory (default: BENCH_SEARCH_INDEX)")

    def handle(self, *args, path, **options):
        # Imported here: tantivy is the benchmark's optional dependency, not the site's.
        from bench.search_engine import build_index, index_path

        report = build_index(Path(path) if path else index_path())
        self.stdout.write(f"indexed {report.documents} practices in {report.seconds:.1f} s")
