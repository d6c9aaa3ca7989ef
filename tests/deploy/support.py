"""What the deployment tests share: databases of their own, project processes, app servers.

The project's commands and app servers run as separate processes, which cannot
see pytest-django's test database (its data lives in the test's own
transaction). So each test makes a database of its own on the same server,
named after the test database (unique per xdist worker), and drops it at the end.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
LIBPQ_KEYS = ("host", "port", "user", "password", "sslmode")


def server_params() -> dict[str, str]:
    """libpq parameters of the server that holds the test database (no database name)."""
    from django.db import connection

    params = connection.get_connection_params()
    return {key: str(params[key]) for key in LIBPQ_KEYS if params.get(key) not in (None, "")}


def database_url(name: str) -> str:
    """A DATABASE_URL for database `name` on the test database's server (TCP or socket)."""
    params = server_params()
    auth = urllib.parse.quote(params.get("user", ""), safe="")
    if params.get("password"):
        auth += ":" + urllib.parse.quote(params["password"], safe="")
    host = params.get("host", "")
    query = {"sslmode": params["sslmode"]} if "sslmode" in params else {}
    if host.startswith("/"):  # a socket folder (the embedded server)
        query["host"] = host
        location = ""
    else:
        location = host + (f":{params['port']}" if params.get("port") else "")
    suffix = "?" + urllib.parse.urlencode(query) if query else ""
    return f"postgres://{auth}@{location}/{name}{suffix}"


def connect(name: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(**server_params(), dbname=name, **kwargs)


def _drop(name: str) -> None:
    with connect("postgres", autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """An empty database `name` (dropped first if a crashed run left it); yields its URL.

    Commits need not wait for the disk here (synchronous_commit off): the data
    is thrown away at the end, and migrating takes half the time.
    """
    _drop(name)
    with connect("postgres", autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        server.execute(
            sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name))
        )
    try:
        yield database_url(name)
    finally:
        _drop(name)


def project_env(**extra: str) -> dict[str, str]:
    """The environment of a project process: this one's, without its Django and pytest
    settings, plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX")
    }
    env["DJANGO_LOG_LEVEL"] = "WARNING"
    env.update(extra)
    return env


def run_project(args: list[str], env: dict[str, str], timeout: int = 240):
    """Run `python args…` in the project folder; fail the test with its output if it fails."""
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{' '.join(args)} failed ({completed.returncode}):\n"
        f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
    )
    return completed


def prepare(output: Path, env: dict[str, str], *options: str) -> dict:
    """Migrate and fill the database DATABASE_URL names (tests/deploy/prepare.py)."""
    run_project(["-m", "tests.deploy.prepare", str(output), *options], env)
    return json.loads(output.read_text(encoding="utf-8"))


# --- app servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class AppServer:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def origin(self) -> str:
        """The address the browser believes it talks to (TLS ends at the proxy)."""
        return f"https://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def _start(server: AppServer, env: dict[str, str], workers: int) -> None:
    with server.log.open("ab") as log:
        server.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application",
             "--bind", f"127.0.0.1:{server.port}", "--workers", str(workers),
             "--no-control-socket", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def _healthy(server: AppServer) -> bool:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _stop(server: AppServer) -> None:
    if server.process is None:
        return
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=30)
    server.process = None


@contextmanager
def app_servers(names: list[str], env: dict[str, str], log_dir: Path, workers: int = 2):
    """gunicorn servers, one per name, each on a free loopback port; stopped at the end."""
    servers = [AppServer(name, free_port(), log_dir / f"gunicorn-{name}.log") for name in names]
    try:
        for server in servers:
            _start(server, env, workers)
        deadline = time.monotonic() + 90
        pending = list(servers)
        restarts = 0
        while pending:
            for server in list(pending):
                if _healthy(server):
                    pending.remove(server)
                elif server.process.poll() is not None and restarts < 3:
                    # Most likely the port was taken in between: try another one.
                    restarts += 1
                    server.process = None
                    server.port = free_port()
                    _start(server, env, workers)
            exited = [s for s in pending if s.process.poll() is not None]
            assert time.monotonic() < deadline and not (exited and restarts >= 3), "\n".join(
                f"server {s.name} did not start:\n{s.log_tail()}" for s in pending
            )
            time.sleep(0.2)
        yield servers
    finally:
        for server in servers:
            _stop(server)
