"""The spreadsheet between an import's dry run and its confirmation.

It is kept in the shared database (`ImportUpload`), not in one instance's temporary
folder: the confirmation may reach any instance. The confirm form carries only a
random key; the upload is found by that key *and* the editor and session that sent
it, so a key alone, another editor's key or a file name finds nothing. Confirmed
uploads are deleted at once; unconfirmed ones (they may hold contact data) after
IMPORT_UPLOAD_HOURS, on every new upload and by `manage.py purge_import_uploads`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from practices.models import ImportUpload

IMPORT_UPLOAD_HOURS = 1
KEY_PATTERN = r"^[A-Za-z0-9_-]{43}$"  # secrets.token_urlsafe(32): 256 random bits


def _session_hash(session_key: str | None) -> str:
    return hashlib.sha256((session_key or "").encode()).hexdigest()


def import_uploads_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploads older than IMPORT_UPLOAD_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=IMPORT_UPLOAD_HOURS)
    deleted, _per_model = ImportUpload.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def import_upload_store(
    *, user: User, session_key: str | None, name: str, file_format: int, content: bytes
) -> ImportUpload:
    """Keep a dry run's file for its confirmation; the expired ones go first."""
    import_uploads_purge()
    return ImportUpload.objects.create(
        key=secrets.token_urlsafe(32),
        user=user,
        session_hash=_session_hash(session_key),
        name=name[:255],
        file_format=file_format,
        content=content,
    )


def import_upload_take(*, key: str, user: User, session_key: str | None) -> ImportUpload | None:
    """The editor's own unexpired upload under `key`, locked until the end of the caller's
    transaction (a second click waits, then finds it deleted); None otherwise."""
    cutoff = timezone.now() - datetime.timedelta(hours=IMPORT_UPLOAD_HOURS)
    return (
        ImportUpload.objects.select_for_update()
        .filter(key=key, user=user, session_hash=_session_hash(session_key))
        .filter(created_at__gte=cutoff)
        .first()
    )
