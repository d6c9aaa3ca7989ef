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
