"""Read replicas with a real streaming standby (core.replicas).

A primary and a hot standby streaming from it (tests/core/streaming_replica.py)
back two app servers (gunicorn, one worker each) configured with
DATABASE_URL = the primary and DATABASE_REPLICA_URLS = the standby. Which database
served a page is seen in what the page shows: while the standby's replay is paused,
a change written straight to the primary is on the primary only. So:

- an anonymous visitor's page comes from the replica, a signed-in editor's from the
  primary;
- a voter sees their vote at once (the primary, for READ_YOUR_WRITES after their
  POSTs), and after that window reads the replica again (which lacks the vote);
- a replica further behind than MAX_LAG is skipped, and read again once caught up;
- when the standby stops, every page still answers, from the primary.

Server A checks its replica every HEALTH seconds. Server B checked it once, when it
was well, and trusts that for ten minutes: when the standby stops, only B's retry on
the primary stands between its visitors and an error page.
"""

from __future__ import annotations

import json
import secrets
import time

import pytest

from tests.core.streaming_replica import streaming_cluster
from tests.deploy.client import Visitor
from tests.deploy.support import app_servers, project_env, run_project

READ_YOUR_WRITES = 2
MAX_LAG = 8  # long enough for a loaded machine to make its requests within it
HEALTH = 0.5
CHANGED = "Tytuł zmieniony tylko na serwerze głównym"
CHANGED_AGAIN = "Tytuł zmieniony po raz drugi"
VOTE_DONE = 'class="vote-done"'


def wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def heartbeat(cluster) -> None:
    """A commit the standby has replayed: its replay lag is measured from here."""
    with cluster.primary.connect() as primary:
        primary.execute("CREATE TABLE IF NOT EXISTS replica_heartbeat (at timestamptz)")
        primary.execute("INSERT INTO replica_heartbeat VALUES (now())")
    cluster.wait_until_replayed()


@pytest.mark.slow
def test_anonymous_reads_use_the_replica_writers_the_primary_and_failures_fall_back(tmp_path):
    started = time.monotonic()
    with streaming_cluster(tmp_path / "postgres") as cluster:
        env = project_env(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
            DATABASE_URL=cluster.primary.url,
            DATABASE_REPLICA_URLS=cluster.standby.url,
            REPLICA_READ_YOUR_WRITES_SECONDS=str(READ_YOUR_WRITES),
            REPLICA_MAX_LAG_SECONDS=str(MAX_LAG),
        )
        run_project(["-m", "tests.core.replica_prepare", str(tmp_path / "data.json")], env)
        data = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
        urls, practices = data["urls"], data["practices"]
        env_a = {**env, "REPLICA_HEALTH_SECONDS": str(HEALTH)}
        env_b = {**env, "REPLICA_HEALTH_SECONDS": "600"}
        with (
            app_servers(["A"], env_a, tmp_path, workers=1) as (a,),
            app_servers(["B"], env_b, tmp_path, workers=1) as (b,),
        ):
            # Each server's catalogue version starts with its first page; for MAX_LAG after
            # a catalogue change every read goes to the primary (pages are cached by version).
            assert Visitor().get(a, "/").status == 200
            assert Visitor().get(b, "/").status == 200
            versions_started = time.monotonic()
            editor = Visitor()
            editor.get(a, urls["admin_login"])
            signed_in = editor.post(
                a,
                urls["admin_login"],
                {**data["editor"], "next": urls["admin_index"]},
            )
            assert (signed_in.status, signed_in.location) == (302, urls["admin_index"])
            wait_until(versions_started + MAX_LAG + 0.2)
            # B checks its replica now, while it is well, and then trusts it.
            assert Visitor().get(b, "/praktyki/").status == 200

            # --- the standby stops replaying: what is written now is on the primary only
            heartbeat(cluster)
            paused_at = time.monotonic()
            cluster.pause_replay()
            with cluster.primary.connect() as primary:
                primary.execute(
                    "UPDATE practices_practice SET title = %s WHERE id = ANY(%s)",
                    [CHANGED, [p["id"] for p in practices]],
                )

            stranger = Visitor().get(a, practices[0]["url"])
            as_editor = editor.get(a, practices[0]["url"])
            # An anonymous page comes from the replica; a signed-in editor's from the primary.
            assert stranger.status == as_editor.status == 200
            assert practices[0]["title"] in stranger.text and CHANGED not in stranger.text
            assert CHANGED in as_editor.text

            voter = Visitor()
            assert voter.get(a, urls["vote_code"]).status == 200
            entered = voter.post(a, urls["vote_code"], {"code": data["vote"]["code"]})
            voted = voter.post(
                a,
                urls["vote_ballot"],
                {"category": data["vote"]["category"], "entry": data["vote"]["entry"]},
            )
            last_write = time.monotonic()
            own_vote = voter.get(a, urls["vote_ballot"])
            assert (entered.status, voted.status, own_vote.status) == (302, 302, 200)
            # Within the window after their write the voter reads the primary: their vote.
            assert own_vote.text.count(VOTE_DONE) == 1
            assert "recent_write" in voter.cookies

            wait_until(last_write + READ_YOUR_WRITES + 0.3)
            after_window = voter.get(a, urls["vote_ballot"])
            assert time.monotonic() < paused_at + MAX_LAG, "too slow to see the replica"
            # After it, their reads go to the replica again, which has not replayed the vote.
            assert after_window.status == 200
            assert VOTE_DONE not in after_window.text

            # --- the replica falls further behind than MAX_LAG: it is skipped
            wait_until(paused_at + MAX_LAG + HEALTH + 0.3)
            lagging_vote = voter.get(a, urls["vote_ballot"])
            lagging_page = Visitor().get(a, practices[1]["url"])
            assert lagging_vote.text.count(VOTE_DONE) == 1
            assert CHANGED in lagging_page.text

            # --- the standby catches up: A reads from it again after its next check
            cluster.resume_replay()
            cluster.wait_until_replayed()
            time.sleep(HEALTH + 0.1)
            # The voter's ballot, read from the replica A finds caught up (their vote is there).
            assert voter.get(a, urls["vote_ballot"]).text.count(VOTE_DONE) == 1
            cluster.pause_replay()
            with cluster.primary.connect() as primary:
                primary.execute(
                    "UPDATE practices_practice SET title = %s WHERE id = %s",
                    [CHANGED_AGAIN, practices[2]["id"]],
                )
            caught_up_page = Visitor().get(a, practices[2]["url"])
            assert CHANGED in caught_up_page.text and CHANGED_AGAIN not in caught_up_page.text
            cluster.resume_replay()
            cluster.wait_until_replayed()

            # --- the standby stops
            cluster.stop(cluster.standby, "immediate")
            stopped_at = time.monotonic()
            on_b = Visitor().get(b, practices[2]["url"])
            b_seconds = time.monotonic() - stopped_at
            on_a = Visitor().get(a, "/praktyki/")
            again_on_b = Visitor().get(b, practices[0]["url"])
            # B still trusted the replica: its query failed and the page came from the primary.
            assert (on_b.status, on_a.status, again_on_b.status) == (200, 200, 200)
            assert CHANGED_AGAIN in on_b.text and CHANGED in again_on_b.text
            b_log = b.log.read_text(errors="replace")
            assert b_log.count("failed; answering from the primary") == 1
            a_log = a.log.read_text(errors="replace")
            # A told of the lag once, and once of the replica's return; not of every check.
            assert a_log.count("read replica replica_1 lags") == 1
            assert a_log.count("read replica replica_1 is usable again") == 1
    print(
        f"replica test: {time.monotonic() - started:.1f} s in all; B answered "
        f"{b_seconds * 1000:.0f} ms after the standby stopped"
    )
