from django.core.management.base import BaseCommand, CommandError

from catalogue.index.refresh import index_drift, index_flush, index_refresh, stale_count


class Command(BaseCommand):
    help = (
        "Rebuild every practice's catalogue row in memory and compare it with the stored "
        "one; report the practices that drifted (and in which columns). Run it after a "
        "manual SQL change. --fix rebuilds them and the practices still marked stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Rebuild the rows that differ (and the stale ones)."
        )
        parser.add_argument(
            "--batch", type=int, default=1000, help="Practices compared per statement."
        )

    def handle(self, *args, fix: bool, batch: int, **options):
        pending = stale_count()
        if pending:
            self.stdout.write(f"{pending} practices are marked stale (a flush is due or failed).")
            if fix:
                self.stdout.write(f"Rebuilt {index_flush()} stale practices.")
        drifted = []
        for drift in index_drift(batch=batch):
            drifted.append(drift.practice_id)
            self.stdout.write(f"practice {drift.practice_id}: {', '.join(drift.columns)}")
        if not drifted:
            self.stdout.write(self.style.SUCCESS("The catalogue index matches the data: 0 drift."))
            return
        if not fix:
            raise CommandError(
                f"{len(drifted)} practices drifted from their data; run with --fix to rebuild them."
            )
        for start in range(0, len(drifted), batch):
            index_refresh(practice_ids=drifted[start : start + batch])
        left = sum(1 for _drift in index_drift(practice_ids=drifted, batch=batch))
        if left:
            raise CommandError(f"{left} practices still differ after rebuilding them.")
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {len(drifted)} practices: 0 drift left."))
