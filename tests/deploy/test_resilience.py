"""Two production instances keep serving while their Redis is stopped for 10 s.

Servers A (psycopg's connection pool, DATABASE_POOL=1) and B (persistent
connections) share one fresh PostgreSQL database with the real catalogue and
one Redis that this test starts on a port of its own. 2,000 requests —
pages, searches, ignored parameters, public submissions and votes — are
spread over about 40 s from a small thread pool; 12 s in, Redis is stopped,
and 10 s later started again (empty, as a restarted cache is). Then:

- no response is a 5xx, except 503s with Retry-After (none expected here);
- every submission the site accepted (302 to the thanks page) is stored;
- every vote the site accepted is stored once, and nothing else is;
- /healthz said `"cache": "degraded"` with 200 during the outage, and `ok` after;
- each process logged the outage a bounded number of times, not once per request.
"""

from __future__ import annotations

import itertools
import json
import random
import secrets
import shutil
import subprocess
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.deploy.client import Visitor
from tests.deploy.support import (
    app_servers,
    connect,
    free_port,
    fresh_database,
    prepare,
    project_env,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REQUESTS = 2000
SPREAD_SECONDS = 40.0  # the requests are spread evenly over this
THREADS = 8
OUTAGE_AT, OUTAGE_SECONDS = 12.0, 10.0
VOTERS = 120  # 7 requests each: the code form, the code, five categories
SUBMISSIONS = 100  # 2 requests each: the form, the post
SEARCHES = ["seniorzy", "budżet obywatelski", "szkoła", "transport", "zieleń", "woda", "kultura"]


class RedisServer:
    """A redis-server of the test's own on a free loopback port, nothing kept on disk."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--dir", str(self.folder),
                 "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                client.close()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@dataclass
class Outcome:
    at: float  # seconds since the traffic began
    kind: str
    status: int
    server: str
    retry_after: str | None = None


@dataclass
class Traffic:
    started: float = field(default_factory=time.monotonic)
    slots: itertools.count = field(default_factory=itertools.count)
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, kind: str, request, *args):
        """Wait for the next slot of the schedule, then send; record the answer."""
        slot = next(self.slots)
        delay = self.started + slot * SPREAD_SECONDS / REQUESTS - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        response = request(*args)
        with self.lock:
            self.outcomes.append(
                Outcome(
                    time.monotonic() - self.started,
                    kind,
                    response.status,
                    response.server,
                    response.headers.get("Retry-After"),
                )
            )
        return response


def _health(server) -> tuple[int, dict]:
    response = Visitor().get(server, "/healthz")
    return response.status, json.loads(response.text)


@pytest.mark.slow
@pytest.mark.skipif(not Path(REDIS_SERVER).exists(), reason="needs redis-server")
def test_two_instances_serve_through_a_redis_outage(database_name, tmp_path):
    began = time.perf_counter()
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    name = f"{database_name}_resilience"
    try:
        with fresh_database(name) as url:
            env = project_env(
                DJANGO_PRODUCTION="1",
                DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                DJANGO_ALLOWED_HOSTS="127.0.0.1",
                DATABASE_URL=url,
                DJANGO_SETTINGS_MODULE="config.settings",
                DJANGO_STATIC_ROOT=str(tmp_path / "static"),
                DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
                REDIS_URL=redis_server.url,
                CACHE_KEY_PREFIX=f"resilience-{uuid.uuid4().hex}",
            )
            data = prepare(tmp_path / "prepared.json", env, "--static", "--two-instances")
            with connect(name) as conn:
                slugs = [
                    row[0]
                    for row in conn.execute(
                        "SELECT slug FROM practices_practice WHERE status = 'published' "
                        "ORDER BY id LIMIT 50"
                    )
                ]
                practice_type, topic = conn.execute(
                    "SELECT (SELECT code FROM practices_practicetype ORDER BY code LIMIT 1), "
                    "(SELECT id FROM practices_topic ORDER BY id LIMIT 1)"
                ).fetchone()
            setup_seconds = time.perf_counter() - began
            with (
                app_servers(["A"], {**env, "DATABASE_POOL": "1"}, tmp_path) as (a,),
                app_servers(["B"], env, tmp_path) as (b,),
            ):
                figures = _traffic_through_an_outage(
                    a, b, data, slugs, practice_type, topic, redis_server
                )
                logs = [server.log.read_text(errors="replace") for server in (a, b)]
                with connect(name) as conn:
                    stored_titles = {
                        row[0]
                        for row in conn.execute(
                            "SELECT title FROM practices_practice WHERE title LIKE 'Odporność %%'"
                        )
                    }
                    stored_votes = conn.execute(
                        "SELECT v.ballot_id, v.category_id, v.entry_id FROM competitions_vote v "
                        "JOIN competitions_ballot b ON b.id = v.ballot_id WHERE b.edition_id = %s",
                        [data["vote"]["edition"]],
                    ).fetchall()
    finally:
        redis_server.stop()

    outcomes: list[Outcome] = figures["outcomes"]
    server_errors = [o for o in outcomes if o.status >= 500]
    undocumented = [o for o in server_errors if o.status != 503 or not o.retry_after]
    during = [o for o in outcomes if figures["stopped"] <= o.at <= figures["restarted"]]
    accepted_votes = figures["accepted_votes"]
    warnings = sum(log.count("The shared cache (Redis) is unavailable") for log in logs)

    assert len(outcomes) == REQUESTS
    assert undocumented == []
    assert len(during) > 100  # the outage fell in the middle of the traffic
    assert Counter(o.status for o in during if o.kind == "page") == {
        200: len([o for o in during if o.kind == "page"])
    }
    assert stored_titles == figures["accepted_titles"]  # every accepted submission stored
    assert len(figures["accepted_titles"]) + figures["refused_submissions"] == SUBMISSIONS
    assert sorted(stored_votes) == sorted(accepted_votes)  # what is stored is what was accepted
    assert len({(ballot, category) for ballot, category, _e in stored_votes}) == len(stored_votes)
    assert (
        figures["health_during"]
        == [(200, {"status": "degraded", "database": "ok", "cache": "degraded"})] * 2
    )
    assert figures["health_after"] == [(200, {"status": "ok", "database": "ok", "cache": "ok"})] * 2
    # At most once per 30 s per process (2 instances × 2 workers), plus the retries' first.
    assert 1 <= warnings <= 8, warnings

    print(
        f"\nresilience: {len(outcomes)} requests in {figures['seconds']:.1f} s "
        f"({dict(Counter(o.kind for o in outcomes))}); Redis stopped "
        f"{figures['stopped']:.1f}–{figures['restarted']:.1f} s, {len(during)} requests "
        f"meanwhile; statuses {dict(sorted(Counter(o.status for o in outcomes).items()))}; "
        f"5xx {len(server_errors)} (503 with Retry-After "
        f"{len(server_errors) - len(undocumented)}); submissions "
        f"{len(figures['accepted_titles'])} accepted, {len(stored_titles)} stored; votes "
        f"{len(accepted_votes)} accepted, {len(stored_votes)} stored; outage warnings "
        f"logged {warnings}; set-up {setup_seconds:.1f} s, whole test "
        f"{time.perf_counter() - began:.1f} s"
    )


def _traffic_through_an_outage(a, b, data, slugs, practice_type, topic, redis_server) -> dict:
    traffic = Traffic()
    rng = random.Random(23)
    urls, vote = data["urls"], data["vote"]
    lock = threading.Lock()
    accepted_titles: set[str] = set()
    accepted_votes: list[tuple[int, int, int]] = []
    refused = Counter()
    page_requests = REQUESTS - 7 * VOTERS - 2 * SUBMISSIONS

    def page(number: int) -> None:
        server = (a, b)[number % 2]
        choice = number % 6
        if choice == 0:
            path = f"/praktyki/{slugs[number % len(slugs)]}/"
        elif choice == 1:
            search = urllib.parse.quote(SEARCHES[number % len(SEARCHES)])
            path = f"/praktyki/?q={search}&page={number % 3 + 1}"
        elif choice == 2:
            path = f"/praktyki/?utm_source=flood{number}"
        elif choice == 3:
            path = rng.choice(["/", "/organizacje/", "/konkursy/", "/przeglad/"])
        elif choice == 4:
            path = "/praktyki/kanal.atom"
        else:
            path = f"/praktyki/?type=social&country=PL&fbclid={number}"
        answer = traffic.send("page", Visitor().get, server, path)
        assert answer.status == 200, (path, answer.status, answer.text[:300])
        assert "Katalog dobrych praktyk" in answer.text

    def submit(number: int) -> None:
        server = (a, b)[number % 2]
        # Each from an address of its own: the per-address limit is not under test here.
        visitor = Visitor(address=f"198.18.{number // 250}.{number % 250 + 1}")
        traffic.send("submission", visitor.get, server, "/praktyki/zglos/")
        title = f"Odporność {number}"
        form = {
            "title": title,
            "practice_type": practice_type,
            "topics": [topic],
            "summary": "Zgłoszenie wysłane w czasie testu odporności.",
            "description": "Opis zgłoszenia.",
            "started_year": "2021",
            "currency": "PLN",
            "organisation_name": f"Gmina Odporna {number}",
            "organisation_kind": "municipality",
            "organisation_country": "PL",
            "contact_name": "Anna Kowalska",
            "contact_email": "anna@example.org",
            "consent": "on",
            "website": "",
        }
        answer = traffic.send("submission", visitor.post, server, "/praktyki/zglos/", form)
        with lock:
            if answer.status == 302 and "dziekujemy" in answer.location:
                accepted_titles.add(title)
            else:
                refused[answer.status] += 1

    def cast(number: int) -> None:
        ballot = vote["ballots"][number]
        device = Visitor()
        servers = itertools.cycle([a, b] if number % 2 else [b, a])
        traffic.send("vote", device.get, next(servers), urls["vote_code"])
        answer = traffic.send(
            "vote", device.post, next(servers), urls["vote_code"], {"code": ballot["code"]}
        )
        assert answer.status == 302, (answer.status, answer.text[:300])
        for category in vote["categories"]:
            entry = category["laureates"][number % len(category["laureates"])]
            sent = traffic.send(
                "vote",
                device.post,
                next(servers),
                urls["vote_ballot"],
                {"category": category["id"], "entry": entry},
            )
            if sent.status == 302:
                with lock:
                    accepted_votes.append((ballot["id"], category["id"], entry))

    journeys = (
        [(page, n) for n in range(page_requests)]
        + [(submit, n) for n in range(SUBMISSIONS)]
        + [(cast, n) for n in range(VOTERS)]
    )
    rng.shuffle(journeys)
    moments: dict = {}

    def outage() -> None:
        time.sleep(max(0.0, traffic.started + OUTAGE_AT - time.monotonic()))
        redis_server.stop()
        moments["stopped"] = time.monotonic() - traffic.started
        time.sleep(OUTAGE_SECONDS / 2)
        moments["health_during"] = [_health(a), _health(b)]
        time.sleep(OUTAGE_SECONDS / 2)
        redis_server.start()
        moments["restarted"] = time.monotonic() - traffic.started

    errors: list[str] = []

    def run(journey) -> None:
        function, number = journey
        try:
            function(number)
        except Exception as error:  # reported with the others below
            with lock:
                errors.append(f"{function.__name__} {number}: {error!r}")

    controller = threading.Thread(target=outage)
    controller.start()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(run, journeys))
    seconds = time.monotonic() - traffic.started
    controller.join()
    time.sleep(4)  # past the processes' retry interval (REDIS_RETRY_SECONDS, 3 s)
    health_after = [_health(a), _health(b)]
    assert errors == [], (len(errors), errors[:5])
    return {
        "outcomes": traffic.outcomes,
        "seconds": seconds,
        "accepted_titles": accepted_titles,
        "refused_submissions": sum(refused.values()),
        "accepted_votes": accepted_votes,
        "health_during": moments["health_during"],
        "health_after": health_after,
        "stopped": moments["stopped"],
        "restarted": moments["restarted"],
    }
