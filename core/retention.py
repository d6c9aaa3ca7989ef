"""Records the site keeps about sign-ins (django-axes), erased after the retention period."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog


def login_records_purge(*, cutoff: datetime.datetime, dry_run: bool = False) -> dict[str, int]:
    """Delete the sign-in records (IP address, user name, browser) older than `cutoff`;
    returns how many there were. A lockout in force is far younger than any cutoff."""
    counts = {}
    for name, model in (
        ("login_attempts", AccessAttempt),
        ("login_failures", AccessFailureLog),
        ("logins", AccessLog),
    ):
        old = model.objects.filter(attempt_time__lt=cutoff)
        counts[name] = old.count() if dry_run else old.delete()[1].get(model._meta.label, 0)
    return counts
