"""The embedded PostgreSQL: starts in a folder, keeps its data, reuses it, stops at exit."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import psycopg
from pathlib import Path
from config.embedded_postgres import database_url

url = database_url(Path(sys.argv[1]))
with psycopg.connect(url, autocommit=True) as connection:
    connection.execute("CREATE TABLE IF NOT EXISTS visit (n int)")
    connection.execute("INSERT INTO visit VALUES (1)")
    print(connection.execute("SELECT count(*) FROM visit").fetchone()[0])
    print(connection.execute("SHOW server_version").fetchone()[0])
"""


def run_in_new_process(data_dir: Path) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout.split()


@pytest.mark.slow
def test_embedded_server_keeps_its_data_and_stops_when_its_process_exits(tmp_path):
    data_dir = tmp_path / "pgdata"

    first = run_in_new_process(data_dir)
    assert not (data_dir / "postmaster.pid").exists(), "the server outlived its process"
    second = run_in_new_process(data_dir)

    assert first[0] == "1"
    assert second[0] == "2", "the second start did not reuse the first one's data"
    assert int(second[1].split(".")[0]) >= 15
    assert not (data_dir / "postmaster.pid").exists()


PARENT_WHOSE_CHILD_IS_KILLED = """
import json, subprocess, sys, time
from pathlib import Path
from config.embedded_postgres import database_url

data_dir = Path(sys.argv[1])
database_url(data_dir)
child = subprocess.Popen([sys.executable, "-c", sys.argv[2], str(data_dir)])
handles = data_dir / ".handle_pids.json"
deadline = time.monotonic() + 60
while child.pid not in json.loads(handles.read_text()) and time.monotonic() < deadline:
    time.sleep(0.2)
# As runserver's reloader does on SIGTERM: its child is SIGKILLed and runs no atexit.
child.kill()
child.wait()
print(json.loads(handles.read_text()))
"""

CHILD_THAT_JOINS = """
import sys, time
from pathlib import Path
from config.embedded_postgres import database_url

database_url(Path(sys.argv[1]))
time.sleep(120)
"""


@pytest.mark.slow
def test_embedded_server_stops_when_its_last_live_process_exits_after_a_killed_one(tmp_path):
    data_dir = tmp_path / "pgdata"

    completed = subprocess.run(
        [sys.executable, "-c", PARENT_WHOSE_CHILD_IS_KILLED, str(data_dir), CHILD_THAT_JOINS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )

    assert len(completed.stdout.strip().strip("[]").split(",")) == 2  # parent and child joined
    assert not (data_dir / "postmaster.pid").exists(), "the server outlived its processes"
