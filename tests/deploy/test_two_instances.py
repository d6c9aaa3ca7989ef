"""Two production app servers on one database and one cache behave as one site.

Two gunicorn servers run the production settings with one secret key, one
PostgreSQL database (a fresh one of the test's own, with the real catalogue)
and one cache: Redis at REDIS_URL when it is set, else Django's database cache
in that same database (DJANGO_CACHE=database). Then, through both at once:

- a session started on A goes on on B, and signing out on B ends it on A;
- the voting page's wrong-code throttle counts attempts sent to either, and paces
  an address past its budget of guesses;
- 300 voters behind one address (a congress hall's Wi-Fi), 20 of whom mistype
  their code twice, all vote: no attempt is slowed, every vote is counted;
- 1,000 ballot casts from 16 threads, each thread alternating servers, plus
  duplicates of some of them at the same moment, leave exactly one vote per
  ballot and category, and every duplicate is refused cleanly (400, no 5xx);
- publishing on A makes B's cached practice list show the new practice once
  the window in which each process trusts the catalogue version it last read
  (CATALOGUE_VERSION_RECHECK_SECONDS) has passed.
"""

from __future__ import annotations

import itertools
import random
import secrets
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from competitions.codes import code_generate
from core.ratelimit import seconds_left
from tests.deploy.client import Response, Visitor
from tests.deploy.support import (
    AppServer,
    app_servers,
    connect,
    fresh_database,
    prepare,
    project_env,
)

THREADS = 16
DUPLICATE_EVERY = 10  # every tenth ballot is also cast, at the same time, from another device


@dataclass
class Deployment:
    a: AppServer
    b: AppServer
    data: dict  # what tests/deploy/prepare.py put in the database
    database: str
    cache: str
    setup_seconds: float


# How long each server process serves the pages it holds without asking the cache.
VERSION_RECHECK_SECONDS = 1


@pytest.fixture
def deployment(database_name, tmp_path, settings):
    """Servers A and B on one fresh database and one cache; all of it gone afterwards."""
    started = time.perf_counter()
    name = f"{database_name}_two_instances"
    with fresh_database(name) as url:
        with_redis = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        env = project_env(
            DJANGO_PRODUCTION="1",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="config.settings",
            # Static files collected into a folder of this test's own.
            DJANGO_STATIC_ROOT=str(tmp_path / "static"),
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
            CATALOGUE_VERSION_RECHECK_SECONDS=str(VERSION_RECHECK_SECONDS),
        )
        prefix = f"deploy-test-{uuid.uuid4().hex}"
        if with_redis:
            env.update(REDIS_URL=settings.CACHES["default"]["LOCATION"], CACHE_KEY_PREFIX=prefix)
        else:
            env.update(DJANGO_CACHE="database")
        data = prepare(
            tmp_path / "prepared.json",
            env,
            "--static",
            "--two-instances",
            *([] if with_redis else ["--cache-table"]),
        )
        try:
            with app_servers(["A", "B"], env, tmp_path) as (a, b):
                yield Deployment(
                    a,
                    b,
                    data,
                    name,
                    cache="Redis" if with_redis else "PostgreSQL (DJANGO_CACHE=database)",
                    setup_seconds=time.perf_counter() - started,
                )
        finally:
            if with_redis:
                _forget_redis_keys(env["REDIS_URL"], prefix)


def _forget_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.mark.slow
def test_two_instances_share_sessions_throttles_votes_and_page_cache(deployment):
    a, b, data, database = deployment.a, deployment.b, deployment.data, deployment.database
    began = time.perf_counter()

    session_moves_between_servers(a, b, data)
    throttle_counts_across_servers(a, b, data)
    hall = a_hall_behind_one_address_votes_in_full(a, b, data, database)
    figures = concurrent_votes_keep_one_per_ballot_and_category(a, b, data, database)
    publish_on_one_refreshes_cache_on_other(a, b, data, database)

    print(
        f"\ntwo instances (cache: {deployment.cache}): "
        f"{figures['attempted']} casts attempted by {figures['voters']} voters from "
        f"{THREADS} threads ({figures['by_server']}; code form: {figures['codes']}), "
        f"{figures['succeeded']} succeeded, "
        f"{figures['refused']} refused, {figures['stored']} votes stored, "
        f"{figures['errors']} errors; casts {figures['seconds']:.1f} s "
        f"({figures['requests']} requests, {figures['requests'] / figures['seconds']:.0f} req/s); "
        f"hall behind one address: {hall['hall_votes']} votes of 300 voters; "
        f"set-up {deployment.setup_seconds:.1f} s, the five checks "
        f"{time.perf_counter() - began:.1f} s"
    )


def sign_in(visitor: Visitor, server, data) -> Response:
    urls = data["urls"]
    form = visitor.get(server, urls["admin_login"])
    assert form.status == 200
    return visitor.post(
        server,
        urls["admin_login"],
        {
            "username": data["editor"]["username"],
            "password": data["editor"]["password"],
            "next": urls["admin_index"],
        },
    )


def session_moves_between_servers(a, b, data) -> None:
    urls, username = data["urls"], data["editor"]["username"]
    editor = Visitor()

    signed_in = sign_in(editor, a, data)
    index_on_b = editor.get(b, urls["admin_index"])
    practices_on_b = editor.get(b, urls["admin_practices"])
    stranger_on_b = Visitor().get(b, urls["admin_index"])

    assert (signed_in.status, signed_in.location) == (302, urls["admin_index"])
    assert index_on_b.status == 200
    assert f"<strong>{username}</strong>" in index_on_b.text
    assert practices_on_b.status == 200
    assert data["draft"]["title"] in practices_on_b.text  # a draft: only staff see it
    assert stranger_on_b.status == 302  # B lets the visitor in for the session, not for anyone

    signed_out = editor.post(b, urls["admin_logout"], {})
    index_on_a = editor.get(a, urls["admin_index"])

    assert signed_out.status in (200, 302)
    assert index_on_a.status == 302
    assert index_on_a.location.startswith(f"{urls['admin_login']}?next=")


def throttle_counts_across_servers(a, b, data) -> None:
    from django.conf import settings

    budget, pace = settings.BALLOT_GUESSES_PER_ADDRESS, settings.BALLOT_PACE_SECONDS
    urls = data["urls"]
    guesser = Visitor(address="203.0.113.7")  # one client address, seen by both servers
    assert guesser.get(a, urls["vote_code"]).status == 200
    servers = itertools.cycle([a, b])
    # The budget is counted in fixed windows of the clock (core.ratelimit): guesses that
    # straddle a window's end start a new budget, by design. Start well inside one.
    left = seconds_left(settings.BALLOT_GUESS_WINDOW_SECONDS)
    if left < 60:
        time.sleep(left + 1)

    answers = [
        guesser.post(next(servers), urls["vote_code"], {"code": code_generate()})
        for _ in range(budget + 3)
    ]
    right_code = data["vote"]["ballots"][0]["code"]
    right_code_from_guesser = guesser.post(next(servers), urls["vote_code"], {"code": right_code})

    # Guesses within the budget are answered 400; past it, one attempt per pace is
    # still checked (400) and the others wait (429), whichever server they land on.
    statuses = [(answer.server, answer.status) for answer in answers]
    expected = [("AB"[i % 2], 400 if i <= budget else 429) for i in range(len(answers))]
    assert statuses == expected
    assert "Nie znamy takiego kodu" in answers[0].text
    assert all(answer.headers["Retry-After"] == str(pace) for answer in answers[budget + 1 :])
    # Within the pace a right code from that address waits its turn too: seconds, not minutes.
    assert right_code_from_guesser.status == 429


def _typo(code: str) -> str:
    raw = code.replace("-", "")
    position = next(i for i in range(len(raw) - 1) if raw[i] != raw[i + 1])
    return raw[:position] + raw[position + 1] + raw[position] + raw[position + 2 :]


def a_hall_behind_one_address_votes_in_full(a, b, data, database) -> dict:
    """300 voters on the congress Wi-Fi (one address for the servers), 20 of whom first
    mistype their code twice (a typo, then a wrong code altogether): every vote counts."""
    hall = data["hall"]
    mistaken = set(range(0, 300, 15))  # 20 voters
    statuses: Counter = Counter()
    lock = threading.Lock()

    def vote(number: int) -> None:
        code = hall["codes"][number]
        device = Visitor(address="198.51.100.20")
        servers = itertools.cycle([a, b] if number % 2 else [b, a])
        assert device.get(next(servers), hall["vote_code"]).status == 200
        tries = [_typo(code), code_generate()] if number in mistaken else []
        for wrong in tries:
            answer = device.post(next(servers), hall["vote_code"], {"code": wrong})
            with lock:
                statuses[("mistake", answer.status)] += 1
        answer = device.post(next(servers), hall["vote_code"], {"code": code})
        with lock:
            statuses[("code", answer.status)] += 1
        assert answer.status == 302, (answer.status, answer.text[:300])
        for category in hall["categories"]:
            sent = device.post(
                next(servers),
                hall["vote_ballot"],
                {"category": category["id"], "entry": category["laureates"][number % 3]},
            )
            with lock:
                statuses[("vote", sent.status)] += 1

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(vote, range(len(hall["codes"]))))

    with connect(database) as connection:
        counted = connection.execute(
            "SELECT count(*), count(DISTINCT ballot_id) FROM competitions_vote v "
            "JOIN competitions_category c ON c.id = v.category_id WHERE c.edition_id = %s",
            [hall["edition"]],
        ).fetchone()
    assert statuses[("mistake", 400)] == 40 and statuses[("code", 302)] == 300
    assert not [key for key in statuses if key[1] == 429]
    assert counted == (300 * len(hall["categories"]), 300)
    return {"hall_votes": counted[0]}


def concurrent_votes_keep_one_per_ballot_and_category(a, b, data, database) -> dict:
    urls, vote = data["urls"], data["vote"]
    rng = random.Random(7)
    voters = []  # (ballot id, code, [(category id, entry id)]) — one device each
    for number, ballot in enumerate(vote["ballots"]):
        choices = [(c["id"], rng.choice(c["laureates"])) for c in vote["categories"]]
        voters.append((ballot["id"], ballot["code"], choices))
        if number % DUPLICATE_EVERY == 0:
            # The same code on a second device at the same time, for other laureates.
            others = [(c["id"], rng.choice(c["laureates"])) for c in vote["categories"]]
            voters.append((ballot["id"], ballot["code"], others[::-1]))
    rng.shuffle(voters)

    local = threading.local()
    counter = itertools.count()

    def next_server():
        if not hasattr(local, "turn"):
            local.turn = next(counter)
        local.turn += 1
        return (a, b)[local.turn % 2]

    lock = threading.Lock()
    casts: list[tuple[int, int, int, int, str]] = []  # ballot, category, entry, status, server
    codes: Counter = Counter()
    errors: list[str] = []
    requests = Counter()
    signed_in: list[tuple[Visitor, list]] = []  # devices let in, with their choices

    def cast(voter) -> None:
        ballot_id, code, choices = voter
        device = Visitor()
        try:
            form = device.get(next_server(), urls["vote_code"])
            answer = device.post(next_server(), urls["vote_code"], {"code": code})
            with lock:
                requests["all"] += 2
                codes[answer.status] += 1
            if form.status != 200 or answer.status not in (302, 400):
                raise AssertionError(f"code form: {form.status}, {answer.status} {answer.server}")
            if answer.status == 400:
                assert "Ten kod został już wykorzystany" in answer.text
                return
            assert answer.location == urls["vote_ballot"]
            with lock:
                signed_in.append((device, choices))
            for category_id, entry_id in choices:
                sent = device.post(
                    next_server(),
                    urls["vote_ballot"],
                    {"category": category_id, "entry": entry_id},
                )
                if sent.status == 302:
                    assert sent.location == f"{urls['vote_ballot']}#category-{category_id}"
                elif sent.status == 400:
                    assert "Tym kodem oddano już głos" in sent.text
                else:
                    raise AssertionError(f"cast: {sent.status} from {sent.server}")
                with lock:
                    requests["all"] += 1
                    casts.append((ballot_id, category_id, entry_id, sent.status, sent.server))
        except Exception as error:  # reported and asserted on below, with the others
            with lock:
                errors.append(f"ballot {ballot_id}: {error!r}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(cast, voters))
    seconds = time.perf_counter() - started

    # Deliberate duplicates afterwards: a used-up code, and a second vote in a category.
    late_code = []
    for server, ballot in zip(itertools.cycle([a, b]), vote["ballots"][:6], strict=False):
        device = Visitor()
        assert device.get(server, urls["vote_code"]).status == 200
        late_code.append(device.post(server, urls["vote_code"], {"code": ballot["code"]}))
    late_votes = [
        device.post(server, urls["vote_ballot"], {"category": c, "entry": e})
        for server, (device, choices) in zip(itertools.cycle([b, a]), signed_in[:6], strict=False)
        for c, e in choices[:1]
    ]

    with connect(database) as conn:
        stored = conn.execute(
            "SELECT v.ballot_id, v.category_id, v.entry_id FROM competitions_vote v "
            "JOIN competitions_ballot b ON b.id = v.ballot_id WHERE b.edition_id = %s",
            [vote["edition"]],
        ).fetchall()

    succeeded = [(bal, cat, ent) for bal, cat, ent, status, _s in casts if status == 302]
    per_pair = Counter((bal, cat) for bal, cat, _ent in succeeded)
    expected_pairs = {
        (bal["id"], cat["id"]) for bal in vote["ballots"] for cat in vote["categories"]
    }
    by_server = Counter(server for *_rest, status, server in casts if status == 302)
    assert errors == []
    assert len(casts) >= len(expected_pairs)
    assert set(per_pair.values()) == {1}  # no ballot counted twice in a category
    assert set(per_pair) == expected_pairs  # and none lost
    assert sorted(stored) == sorted(succeeded)  # what is stored is what was accepted
    assert len(stored) == len(set((bal, cat) for bal, cat, _e in stored)) == 1000
    assert by_server["A"] > 0 and by_server["B"] > 0
    assert [r.status for r in late_code] == [400] * len(late_code)
    assert all("Ten kod został już wykorzystany" in r.text for r in late_code)
    assert [r.status for r in late_votes] == [400] * len(late_votes)
    assert all("Tym kodem oddano już głos" in r.text for r in late_votes)

    refused = len(casts) - len(succeeded)
    return {
        "voters": len(voters),
        "attempted": len(casts) + len(late_votes),
        "succeeded": len(succeeded),
        "refused": refused + len(late_votes),
        "stored": len(stored),
        "errors": len(errors),
        "by_server": f"A {by_server['A']}, B {by_server['B']} accepted",
        "codes": f"{codes[302]} accepted, {codes[400] + len(late_code)} refused as used",
        "seconds": seconds,
        "requests": requests["all"],
    }


def publish_on_one_refreshes_cache_on_other(a, b, data, database) -> None:
    urls, draft = data["urls"], data["draft"]
    marker = "Tytuł zmieniony z pominięciem aplikacji"
    editor = Visitor()
    assert sign_in(editor, a, data).status == 302

    first_on_b = Visitor().get(b, urls["practice_list"])
    with connect(database) as conn:
        # A write the app does not see (so no cache version bump) stays invisible
        # while the page is served from the cache: this is how we know it is cached.
        conn.execute(
            "UPDATE practices_practice SET title = %s WHERE id = ("
            " SELECT id FROM practices_practice WHERE status = 'published'"
            " ORDER BY published_at DESC, id DESC LIMIT 1)",
            [marker],
        )
    cached_on_a = Visitor().get(a, urls["practice_list"])

    published = editor.post(
        a,
        urls["admin_practices"],
        {"action": "publish", "_selected_action": [draft["id"]], "index": 0, "select_across": 0},
    )
    time.sleep(VERSION_RECHECK_SECONDS + 0.2)  # B's processes trust their version this long
    fresh_on_b = Visitor().get(b, urls["practice_list"])

    assert first_on_b.status == cached_on_a.status == 200
    assert draft["title"] not in first_on_b.text
    assert marker not in cached_on_a.text  # A served the page B put in the shared cache
    assert cached_on_a.headers["ETag"] == first_on_b.headers["ETag"]
    assert published.status == 302
    with connect(database) as conn:
        status = conn.execute(
            "SELECT status FROM practices_practice WHERE id = %s", [draft["id"]]
        ).fetchone()[0]
    assert status == "published"
    assert fresh_on_b.status == 200
    assert draft["title"] in fresh_on_b.text  # B sees A's publication
    assert marker in fresh_on_b.text  # and the page was built afresh
