#!/usr/bin/env python3
"""Set up the project and run it: the two commands of the README's quick start.

    python3 dev.py demo    # set up, migrate, load the fixtures, serve on http://127.0.0.1:8000
    python3 dev.py test    # set up, check the import layers, run the whole test suite
                           # (extra arguments go to pytest)
    python3 dev.py bench   # the benchmark (bench/run.py; not part of CI)

Needs nothing but Python 3.11+. It creates `.venv/`, installs the pinned
dependencies from pyproject.toml (again only when that file changes) and runs
Django's own commands inside the virtual environment. Without DATABASE_URL,
settings start the embedded PostgreSQL in `.pgdata/`.

Standard library only: this file runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".installed-from"
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args: str | os.PathLike, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, env=env)


def bootstrap_pip() -> None:
    """Put pip into a venv created without it (Debian's python3 without python3-venv)."""
    say("this Python has no ensurepip; fetching pip's wheel from PyPI")
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["packagetype"] == "bdist_wheel")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as response:
            data = response.read()
        if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
            raise SystemExit("pip wheel checksum mismatch; refusing to install it")
        target.write_bytes(data)
        # A wheel is a zip that Python can run: pip installs itself from it.
        run(VENV_PYTHON, f"{target}/pip", "install", "--quiet", str(target))


def ensure_venv() -> None:
    if VENV_PYTHON.exists():
        return
    say(f"creating the virtual environment in {VENV.name}/")
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except (subprocess.CalledProcessError, OSError):
        shutil.rmtree(VENV, ignore_errors=True)
        venv.EnvBuilder(with_pip=False).create(VENV)
        bootstrap_pip()


def requirements() -> list[str]:
    """The site's dependencies, the tests' and the benchmark's: the suite tests the
    benchmark's peers too, so none of its tests is skipped for a missing package."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    groups = project["dependency-groups"]
    return [*project["project"]["dependencies"], *groups["dev"], *groups["bench"]]


def bench_requirements() -> list[str]:
    """The benchmark's own group (its search-engine peer), never the site's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return project["dependency-groups"]["bench"]


def ensure_installed() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing the pinned dependencies (only when pyproject.toml changes)")
    pip = [VENV_PYTHON, "-m", "pip", "--disable-pip-version-check"]
    run(*pip, "install", "--quiet", "--upgrade", "pip")
    run(*pip, "install", "--quiet", *requirements())
    STAMP.write_text(wanted)


def django_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def manage(*args: str) -> None:
    run(VENV_PYTHON, "manage.py", *args, env=django_env())


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (this file may run under an older Python)
        raise SystemExit("Python 3.11 or newer is needed")
    ensure_venv()
    ensure_installed()


def exec_in_venv(*args: str) -> None:
    """Replace this process, so that Ctrl-C reaches the server (and its database) directly."""
    os.chdir(ROOT)
    os.execve(str(VENV_PYTHON), [str(VENV_PYTHON), *args], django_env())


def cmd_demo(extra: list[str]) -> None:
    setup()
    manage("ensure_database")
    manage("migrate", "--noinput")
    manage("load_catalogue")
    address = extra[0] if extra else "127.0.0.1:8000"
    say(f"serving the catalogue on http://{address}/ (admin: /admin/, Ctrl-C stops it)")
    exec_in_venv("manage.py", "runserver", address)


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium (never a downloaded browser)."""
    if CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        say("installing Debian's chromium for the browser tests")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(apt, "update", "-qq", env=env)
        run(apt, "install", "-y", "-qq", "chromium", env=env)
    elif apt and shutil.which("sudo"):
        say("installing Debian's chromium for the browser tests (sudo)")
        run("sudo", "apt-get", "install", "-y", "-qq", "chromium")
    else:
        say(f"{CHROMIUM} is missing and cannot be installed here: browser tests will be skipped")


def check_layers() -> None:
    """import-linter: the apps' layers point one way and no package has an import circle."""
    say("checking the import layers (lint-imports, contracts in pyproject.toml)")
    result = subprocess.run([str(VENV / "bin" / "lint-imports"), "--no-cache"], cwd=ROOT)
    if result.returncode:
        raise SystemExit(result.returncode)


def cmd_test(extra: list[str]) -> None:
    setup()
    ensure_chromium()
    check_layers()
    exec_in_venv("-m", "pytest", *extra)


def cmd_bench(extra: list[str]) -> None:
    """The benchmark (bench/run.py): synthetic data, gunicorn, wrk; writes bench/RESULTS.md."""
    setup()
    if not shutil.which("wrk"):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            raise SystemExit("the benchmark needs wrk: install Debian's package 'wrk'")
        say("installing Debian's wrk (load generator)")
        run("apt-get", "install", "-y", "-qq", "wrk")
    run(VENV_PYTHON, "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
        *bench_requirements())  # fmt: skip
    exec_in_venv("bench/run.py", *extra)


def cmd_setup(extra: list[str]) -> None:
    setup()
    say("ready: .venv/bin/python manage.py …")


COMMANDS = {"demo": cmd_demo, "test": cmd_test, "bench": cmd_bench, "setup": cmd_setup}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
