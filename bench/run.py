#!/usr/bin/env python3
"""The catalogue's benchmark: real server, real data sizes, a fixed URL mix.

    python3 dev.py bench                       # 10k, 100k and 1M practices
    python3 dev.py bench --sizes 10000 --duration 5

For each size it makes (once, then reuses) a database of synthetic data
(`manage.py generate_catalogue`), starts gunicorn with the production settings
on loopback, replays each kind of URL with wrk, measures queries per page and
the pages' own SQL time (bench/measure.py), and writes bench/RESULTS.md with
the machine, the date, the figures and the targets of issue 6.

Databases: on the server DATABASE_URL names (one database per size,
katalog_bench_<size>), or on the embedded PostgreSQL when DATABASE_URL is unset.
Cache: Redis at REDIS_URL when set, else each worker's local memory.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
OUT = ROOT / "bench" / "out"
PORT = 8800
BASE = f"http://127.0.0.1:{PORT}"

# Each kind: the paths wrk picks from; {nonce} makes a request uncached (the page cache
# drops parameters a page does not read, so the request carries a `messages` cookie,
# which keeps a page out of the cache, as for a visitor with a message), {practice} and {org} pick
# one of 500 published practices and 500 organisations.
KEY_PAGE = "/praktyki/?q=szkoły&type=it&country=PL&topic=edukacja&n={nonce}"
KINDS: dict[str, list[str]] = {
    "hello (fixed string)": ["/bench/hello/"],
    "catalogue, cached": ["/praktyki/", "/praktyki/?type=it", "/"],
    "catalogue, 0 filters": ["/praktyki/?n={nonce}"],
    "catalogue, 1 filter": ["/praktyki/?type=it&n={nonce}", "/praktyki/?country=UA&n={nonce}"],
    "catalogue, 2 filters": ["/praktyki/?type=it&country=PL&n={nonce}"],
    "catalogue, 3 filters + search": [KEY_PAGE],
    "catalogue, 4 filters": [
        "/praktyki/?type=social&country=PL&topic=seniorzy&org_kind=municipality&n={nonce}"
    ],
    "search only": ["/praktyki/?q=budżet+obywatelski&n={nonce}", "/praktyki/?q=seniorów&n={nonce}"],
    "sorted by title / value": [
        "/praktyki/?sort=title&country=UA&n={nonce}",
        "/praktyki/?sort=value&type=investment&n={nonce}",
    ],
    "deep pages": ["/praktyki/?page={page}&n={nonce}"],
    "practice page": ["/praktyki/{practice}/"],
    "organisation page": ["/organizacje/{org}/"],
    "CSV export": ["/praktyki/eksport.csv?type=it&country=GE&topic=zdrowie&n={nonce}"],
    "CSV for Excel export": [
        "/praktyki/eksport-excel.csv?type=it&country=GE&topic=zdrowie&n={nonce}"
    ],
    "XLSX export": ["/praktyki/eksport.xlsx?type=it&country=GE&topic=zdrowie&n={nonce}"],
    "textbook, 0 filters": ["/bench/textbook/?n={nonce}"],
    "textbook, 1 filter": ["/bench/textbook/?type=it&n={nonce}"],
    "textbook, 2 filters": ["/bench/textbook/?type=it&country=PL&n={nonce}"],
    "textbook, 3 filters + search": [
        "/bench/textbook/?q=szkoł&type=it&country=PL&topic=edukacja&n={nonce}"
    ],
}
REAL_MIX = ["catalogue, 0 filters", "catalogue, 1 filter", "catalogue, 2 filters",
            "catalogue, 3 filters + search"]  # fmt: skip
TEXTBOOK_MIX = ["textbook, 0 filters", "textbook, 1 filter", "textbook, 2 filters",
                "textbook, 3 filters + search"]  # fmt: skip

# The peers of issue 27, on the same data, server and URL mix: the Django admin's
# changelist as a team configures it (bench/admin_peer.py; fetched signed in as a
# superuser) and a search-engine page over a tantivy index (bench/search_engine.py).
# Each step of the mix, our kind and the peers' kinds for it.
PEER_STEPS = {
    "0 filters": "catalogue, 0 filters",
    "1 filter": "catalogue, 1 filter",
    "2 filters": "catalogue, 2 filters",
    "3 filters + search": "catalogue, 3 filters + search",
    "4 filters": "catalogue, 4 filters",
    "search only": "search only",
}
# The admin's own parameters for the same filters ({topic:slug}: the topic's id, looked
# up per database). The admin lists drafts too and refuses parameters it does not read
# (no nonce: it caches nothing).
ADMIN = "/bench-admin/practices/practice/"
ADMIN_KINDS: dict[str, list[str]] = {
    "admin, 0 filters": [ADMIN],
    "admin, 1 filter": [f"{ADMIN}?practice_type__code__exact=it", f"{ADMIN}?country=UA"],
    "admin, 2 filters": [f"{ADMIN}?practice_type__code__exact=it&country=PL"],
    "admin, 3 filters + search": [
        f"{ADMIN}?q=szkoły&practice_type__code__exact=it&country=PL"
        "&topics__id__exact={topic:edukacja}"
    ],
    "admin, 4 filters": [
        f"{ADMIN}?practice_type__code__exact=social&country=PL&topics__id__exact={{topic:seniorzy}}"
        "&lead_organisation__kind__exact=municipality"
    ],
    "admin, search only": [f"{ADMIN}?q=budżet+obywatelski", f"{ADMIN}?q=seniorów"],
}
# The search engine reads the catalogue's own query strings.
TANTIVY_KINDS = {
    f"tantivy, {step}": [path.replace("/praktyki/", "/bench/tantivy/") for path in KINDS[ours]]
    for step, ours in PEER_STEPS.items()
}
KINDS |= ADMIN_KINDS | TANTIVY_KINDS
ADMIN_MIX = [f"admin, {step}" for step in PEER_STEPS if f"catalogue, {step}" in REAL_MIX]

LUA = r"""
local paths = %(paths)s
local orgs = %(orgs)s
local practices = %(practices)s
local max_page = %(max_page)d
local cookie = %(cookie)s
local counter = 0
function setup(thread) thread:set("seed", math.random(1, 1e9)) end
function init(args) math.randomseed(seed + os.time()) end
function request()
  counter = counter + 1
  local path = paths[math.random(#paths)]
  -- As the TLS-terminating proxy would: production settings redirect plain HTTP. Every
  -- request names its headers (wrk.format's table replaces wrk.headers, it does not add).
  local headers = {["X-Forwarded-Proto"] = "https"}
  local cookies = {}
  if cookie ~= "" then table.insert(cookies, cookie) end
  if path:find("{nonce}", 1, true) then table.insert(cookies, "messages=uncached") end
  if #cookies > 0 then headers["Cookie"] = table.concat(cookies, "; ") end
  path = path:gsub("{nonce}", string.format("%%d%%d", math.random(1, 1e9), counter))
  path = path:gsub("{practice}", practices[math.random(#practices)])
  path = path:gsub("{page}", tostring(math.random(1, max_page)))
  path = path:gsub("{org}", orgs[math.random(#orgs)])
  return wrk.format("GET", path, headers)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%%d,"duration_us":%%d,"errors":%%d,"timeouts":%%d,"non2xx":%%d,' ..
    '"p50":%%.0f,"p95":%%.0f,"p99":%%.0f,"mean":%%.0f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.timeout, e.status, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean))
end
"""


def label(size: int) -> str:
    return f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1000}k"


def run(cmd: list, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=True, **kwargs)


def server_url() -> tuple[str, object]:
    """The PostgreSQL server to use: DATABASE_URL's, or the embedded one (kept alive)."""
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        return url.rsplit("/", 1)[0], None
    sys.path.insert(0, str(ROOT))
    from config.embedded_postgres import database_url

    url = database_url(ROOT / ".pgdata")
    base, query = url.split("?", 1)
    return base.rsplit("/", 1)[0] + "/{db}?" + query, True


def database_for(server: str, name: str) -> str:
    return server.replace("{db}", name) if "{db}" in server else f"{server}/{name}"


def sql(url: str, statement: str) -> list[tuple]:
    """The rows of `statement` on the database at `url` (none for a statement without)."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def ensure_data(size: int, base_env: dict) -> None:
    env = dict(base_env)
    env.pop("DJANGO_PRODUCTION", None)
    run([VENV / "python", "manage.py", "ensure_database"], env)
    run([VENV / "python", "manage.py", "migrate", "--noinput", "-v0"], env)
    have = sql(env["DATABASE_URL"], "SELECT count(*) FROM practices_practice")[0][0]
    if have == size:
        print(f"  reusing {have} practices in {env['DATABASE_URL'].split('/')[-1]}")
        return
    run([VENV / "python", "manage.py", "load_catalogue", "--taxonomy-only"], env)
    run(
        [VENV / "python", "manage.py", "generate_catalogue", "--practices", size, "--reset"],
        {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )


def fetch(path: str, timeout: float = 120, cookie: str = "") -> bytes:
    """GET through loopback as the proxy would forward it (X-Forwarded-Proto: https).

    A redirect is an error (urllib.error.HTTPError): a signed-in page that sends to
    the login form, or an admin changelist refusing its parameters, would otherwise
    pass the run as a 3xx wrk does not count."""
    headers = {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(BASE + quote(path, safe="/?=&+-_.,%"), headers=headers)
    with NO_REDIRECTS.open(request, timeout=timeout) as response:
        return response.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(_NoRedirect)


def admin_session(password: str) -> str:
    """Sign in to the bench admin as a superuser once, as a browser would (the login
    form, its CSRF token and cookie); the `sessionid` cookie every admin request sends."""
    headers = {"X-Forwarded-Proto": "https"}
    login = urllib.request.Request(BASE + "/bench-admin/login/", headers=headers)
    with NO_REDIRECTS.open(login) as page:
        form = page.read().decode()
        cookies = page.headers.get_all("Set-Cookie")
    csrf_cookie = next(c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = urlencode(
        {"username": "bench-admin", "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        BASE + "/bench-admin/login/",
        data=data,
        headers={**headers, "Cookie": csrf_cookie, "Origin": f"https://127.0.0.1:{PORT}"},
    )
    try:
        NO_REDIRECTS.open(request)
    except urllib.error.HTTPError as answer:  # 302 to the admin: signed in
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            if cookie.startswith("sessionid="):
                return cookie.split(";", 1)[0]
    raise SystemExit("could not sign in to the bench admin")


def start_server(env: dict, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(workers), "--timeout", "600", "--no-control-socket",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    for _ in range(120):
        try:
            fetch("/bench/hello/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the benchmark server did not start")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def wrk(paths, *, orgs, practices, max_page, duration, connections, threads, cookie="") -> dict:
    def lua_string(text: str) -> str:
        # Percent-encoded, so the request line is plain ASCII and the Lua literal simple.
        return json.dumps(quote(text, safe="/?=&{}+-_.,"))

    lua = LUA % {
        "paths": "{" + ", ".join(lua_string(p) for p in paths) + "}",
        "orgs": "{" + ", ".join(lua_string(o) for o in orgs) + "}",
        "practices": "{" + ", ".join(lua_string(p) for p in practices) + "}",
        "max_page": max_page,
        "cookie": json.dumps(cookie),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        completed = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
             "--timeout", f"{max(60, duration + 10)}s",
             "-s", script.name, BASE],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"wrk gave no result:\n{completed.stdout}\n{completed.stderr}")
    result = json.loads(lines[-1])
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds else 0.0
    for key in ("p50", "p95", "p99", "mean"):
        result[key] = result[key] / 1000  # µs → ms
    return result


def measure(urls: list[str], env: dict) -> list[dict]:
    env = {key: value for key, value in env.items() if key != "REDIS_URL"}  # local cache only
    completed = run(
        [VENV / "python", "bench/measure.py", *urls], env, capture_output=True, text=True
    )
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


def accuracy(queries: list[str], env: dict) -> list[dict]:
    completed = run(
        [VENV / "python", "bench/accuracy.py", *queries], env, capture_output=True, text=True
    )
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


# The catalogue pages whose estimated facet counts the report compares with exact ones.
ACCURACY_QUERIES = {
    "catalogue, 2 filters": "type=it&country=PL",
    "catalogue, 3 filters + search": "q=szkoły&type=it&country=PL&topic=edukacja",
    "search only": "q=seniorów",
}


def slugs(url: str, rows: str) -> list[str]:
    """500 slugs of `rows` ("table [WHERE …]"), the same ones on every run."""
    return [
        slug for (slug,) in sql(url, f"SELECT slug FROM {rows} ORDER BY md5(id::text) LIMIT 500")
    ]


def table_sizes(url: str) -> list[tuple[str, str, str]]:
    return sql(
        url,
        """
        SELECT c.relname,
               pg_size_pretty(pg_relation_size(c.oid)),
               pg_size_pretty(pg_indexes_size(c.oid))
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'
           AND c.relname IN ('practices_practice', 'organisations_organisation',
                             'practices_partnership', 'practices_practice_topics',
                             'competitions_entry')
         ORDER BY pg_total_relation_size(c.oid) DESC
        """,
    )


def prepare_peers(size: int, env: dict) -> dict:
    """The peers' own preparation: the superuser the admin peer signs in as, and the
    search engine's index of this database (built afresh, timed: what a team would
    run after loading the catalogue). Returns the index figures."""
    run([VENV / "python", "manage.py", "bench_staff_user"], env)
    path = OUT / f"search-index-{label(size)}"
    started = time.perf_counter()
    completed = run(
        [VENV / "python", "manage.py", "build_search_index", "--path", path],
        env, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    print(f"  search index: {completed.stdout.strip()} ({seconds:.1f} s with start-up)")
    return {
        "seconds": seconds,
        "documents": int(completed.stdout.split()[1]),
        "bytes": sum(f.stat().st_size for f in path.rglob("*") if f.is_file()),
    }


def size_env(size: int, args, server: str) -> dict:
    """The environment of the benchmark's server for the database of `size`."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_for(server, f"{args.database_prefix}{label(size)}"),
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_CONN_MAX_AGE="600",
        CACHE_KEY_PREFIX=f"bench-{label(size)}-{int(time.time())}",
        DJANGO_LOG_LEVEL="WARNING",
        # Uncached pages are uncached all through: facet counts are counted on every
        # request (the page cache still serves the "cached" kind).
        CATALOGUE_FACET_CACHE_SECONDS="0",
        # wrk is one client address asking for thousands of downloads: the limit per
        # address (core.ratelimit) would answer them 429, and the export kinds would
        # measure the refusal page instead of the export.
        CATALOGUE_EXPORTS_PER_CLIENT=str(10**9),
        BENCH_ADMIN_PASSWORD=secrets.token_urlsafe(24),
        BENCH_SEARCH_INDEX=str(OUT / f"search-index-{label(size)}"),
    )
    return env


def bench_size(size: int, args, server: str) -> dict:
    name = f"{args.database_prefix}{label(size)}"
    env = size_env(size, args, server)
    print(f"== {size} practices ({name})")
    ensure_data(size, env)
    OUT.mkdir(exist_ok=True)
    search_index = prepare_peers(size, env)
    run([VENV / "python", "manage.py", "collectstatic", "--noinput", "-v0"], env)
    print(f"  {prewarm(env['DATABASE_URL'])}", flush=True)
    published = sql(
        env["DATABASE_URL"], "SELECT count(*) FROM practices_practice WHERE status = 'published'"
    )[0][0]
    practices = slugs(env["DATABASE_URL"], "practices_practice WHERE status = 'published'")
    orgs = slugs(env["DATABASE_URL"], "organisations_organisation")
    max_page = max(1, published // 20)
    result = {
        "size": size,
        "published": published,
        "kinds": {},
        "search_index": search_index,
        "admin_listed": sql(env["DATABASE_URL"], "SELECT count(*) FROM practices_practice")[0][0],
    }
    topics = dict(sql(env["DATABASE_URL"], "SELECT slug, id FROM practices_topic"))
    session = ""

    def peer_paths(paths: list[str]) -> list[str]:
        return [re.sub(r"\{topic:([\w-]+)\}", lambda m: str(topics[m[1]]), p) for p in paths]

    def fresh_server_run(
        paths: list[str], *, connections: int, threads: int, duration: int, peer: bool = False
    ) -> dict:
        nonlocal session
        # Each kind gets an idle server: requests a slow kind leaves running when wrk
        # stops would otherwise hold the workers (and PostgreSQL) during the next kind.
        server_process = start_server(env, args.workers)
        cookie = ""
        try:
            if paths[0].startswith(ADMIN):
                # Signed in once per size: the session lives in the database.
                session = session or admin_session(env["BENCH_ADMIN_PASSWORD"])
                cookie = session
            # Steady state, not start-up: both workers load templates and vocabulary
            # on a cheap uncached page first (a fresh process pays it once); a peer's
            # workers also load their own page (the admin's templates, the open index),
            # and a page that does not answer 200 stops the run here.
            with ThreadPoolExecutor(2 * args.workers) as pool:
                warm = [f"/praktyki/?warm={n}" for n in range(4 * args.workers)]
                list(pool.map(lambda path: fetch(path, timeout=600), warm))
                if peer:
                    # One each: an admin search takes minutes at a million practices.
                    own = [paths[0].replace("{nonce}", f"warm{n}") for n in range(args.workers)]
                    list(pool.map(lambda path: fetch(path, timeout=600, cookie=cookie), own))
            if paths == KINDS["catalogue, cached"]:
                for path in paths:  # fill the page cache (in Redis, it outlives the server)
                    fetch(path, timeout=600)
            return wrk(
                paths, orgs=orgs, practices=practices, max_page=max_page, duration=duration,
                connections=connections, threads=threads, cookie=cookie,
            )  # fmt: skip
        finally:
            stop_server(server_process)
            sql(
                env["DATABASE_URL"],
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )

    for kind, paths in KINDS.items():
        # A textbook (or admin) request takes seconds from 100k practices: their kinds run
        # longer there, so that requests finish and the ratio is measured, not bounded.
        slow = (kind in TEXTBOOK_MIX or kind in ADMIN_KINDS) and size >= 100_000
        duration = max(args.duration, args.textbook_duration) if slow else args.duration
        stats = fresh_server_run(
            peer_paths(paths), connections=args.connections, threads=args.threads,
            duration=duration, peer=kind in ADMIN_KINDS or kind in TANTIVY_KINDS,
        )  # fmt: skip
        stats["duration_s"] = duration
        result["kinds"][kind] = stats
        print(
            f"  {kind:32} {stats['rps']:8.1f} req/s  p50 {stats['p50']:8.1f} ms  "
            f"p95 {stats['p95']:8.1f}  p99 {stats['p99']:8.1f}  errors {stats['errors']}"
            f"/{stats['non2xx']}  ({stats['requests']} requests)",
            flush=True,
        )
    # The key page alone, one request at a time: its server time without queueing.
    result["key_page_serial"] = fresh_server_run(
        [KEY_PAGE], connections=1, threads=1, duration=args.duration
    )

    measured_urls = {
        "catalogue, 0 filters": "/praktyki/",
        "catalogue, 1 filter": "/praktyki/?type=it",
        "catalogue, 3 filters + search": KEY_PAGE.replace("&n={nonce}", ""),
        "catalogue, 4 filters": KINDS["catalogue, 4 filters"][0].replace("&n={nonce}", ""),
        # The last page is read backwards (a page past the middle of an exact count is):
        # the middle page is the one that skips the most.
        "deep pages (last)": f"/praktyki/?page={max_page}",
        "deep pages (middle)": f"/praktyki/?page={max(1, max_page // 2)}",
        "practice page": f"/praktyki/{practices[0]}/",
        "organisation page": f"/organizacje/{orgs[0]}/",
        "textbook, 3 filters + search": KINDS["textbook, 3 filters + search"][0].replace(
            "&n={nonce}", ""
        ),
    }
    textbook_url = measured_urls.pop("textbook, 3 filters + search")
    measured = measure(list(measured_urls.values()), env)
    result["measured"] = dict(zip(measured_urls, measured, strict=True))
    # The textbook page in a process of its own: a request of a second or more, taken in
    # turns with ours, left the caches of the CPU cold for the request after it (ours
    # measured 1 to 2 ms slower with it in the rotation). Not from textbook_max, where
    # one of its requests takes minutes (wrk still ran it).
    if size <= args.textbook_max:
        (result["measured"]["textbook, 3 filters + search"],) = measure([textbook_url], env)
    compared = accuracy(list(ACCURACY_QUERIES.values()), env)
    result["accuracy"] = dict(zip(ACCURACY_QUERIES, compared, strict=True))
    result["sizes"] = table_sizes(env["DATABASE_URL"])
    result["memory"] = memory_figures(env["DATABASE_URL"])
    return result


def interleaved_key_page(sizes: list[int], args, server: str) -> dict[str, list[float]]:
    """The key page's serial p50 at each size, measured in turns: `args.growth_rounds`
    rounds of every size, each on a freshly started server, one connection for
    `args.duration` seconds. The growth target compares sizes; measured each in its own
    phase of the run, minutes apart, the sizes also met a machine of different speeds
    (the fixed-string view ran 10% slower in the 100k phase of the ninth run than in the
    10k one). In turns, a slower minute slows one round of every size alike."""
    found: dict[str, list[float]] = {str(size): [] for size in sizes}
    for number in range(args.growth_rounds):
        for size in sizes:
            env = size_env(size, args, server)
            prewarm(env["DATABASE_URL"])  # the sizes share the buffers; each round reads its own
            server_process = start_server(env, args.workers)
            try:
                with ThreadPoolExecutor(2 * args.workers) as pool:
                    warm = [f"/praktyki/?warm={n}" for n in range(4 * args.workers)]
                    list(pool.map(lambda path: fetch(path, timeout=600), warm))
                stats = wrk(
                    [KEY_PAGE], orgs=[""], practices=[""], max_page=1,
                    duration=args.duration, connections=1, threads=1,
                )  # fmt: skip
            finally:
                stop_server(server_process)
            found[str(size)].append(stats["p50"])
            print(f"  growth round {number + 1}, {size:,}: p50 {stats['p50']:.1f} ms", flush=True)
    return found


def prewarm(url: str) -> str:
    """The tables and indexes of the database at `url` (a URL or a libpq conninfo) read
    into PostgreSQL's shared buffers (pg_prewarm, a contrib extension of PostgreSQL's
    own), so that every kind of a size, and every round of the growth, meets its data
    there, not the first kinds in the operating system's cache. Returns how much was
    read, or why nothing was."""
    import psycopg

    try:
        sql(url, "CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        ((blocks,),) = sql(
            url,
            "SELECT coalesce(sum(pg_prewarm(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'm')",
        )
    except psycopg.Error as error:  # a server without the extension still runs the benchmark
        return f"not prewarmed ({type(error).__name__}: {str(error).strip()[:80]})"
    return f"{blocks} blocks ({blocks * 8 / 1024**2:.1f} GiB) prewarmed"


def memory_figures(url: str) -> dict:
    (row,) = sql(
        url,
        """
        SELECT pg_size_pretty(pg_indexes_size('practices_practice')),
               pg_indexes_size('practices_practice'),
               pg_size_pretty(pg_database_size(current_database())),
               current_setting('shared_buffers'), current_setting('effective_cache_size')
        """,
    )
    return {
        "practice_indexes": row[0],
        "practice_index_bytes": row[1],
        "database": row[2],
        "shared_buffers": row[3],
        "effective_cache_size": row[4],
        "ram_bytes": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"),
    }


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "huge_pages": huge_pages(),
        "python": platform.python_version(),
        "date": datetime.date.today().isoformat(),
    }


def huge_pages(meminfo: str | None = None) -> str:
    """How much memory the machine's huge pages hold and how much of it is taken (by
    PostgreSQL's shared buffers, the only user here: its `huge_pages = try` takes them
    when `vm.nr_hugepages` reserves enough), as the report words it."""
    try:
        meminfo = meminfo if meminfo is not None else Path("/proc/meminfo").read_text()
    except OSError:
        return "unknown"
    values = {}
    for line in meminfo.splitlines():
        name, _, rest = line.partition(":")
        if rest.split():
            values[name] = int(rest.split()[0])
    total = values.get("HugePages_Total", 0)
    if not total:
        return "none"
    page_kb = values.get("Hugepagesize", 2048)
    taken = total - values.get("HugePages_Free", 0) + values.get("HugePages_Rsvd", 0)
    return f"{taken * page_kb / 1024**2:.1f} of {total * page_kb / 1024**2:.1f} GiB taken"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def cache_kind() -> str:
    return "Redis" if os.environ.get("REDIS_URL") else "local memory"


def spaced(number: int) -> str:
    """A count as the report writes it: 100 000."""
    return f"{number:,}".replace(",", " ")


def peer_table(result: dict) -> list[str]:
    """Ours against the two peers of issue 27, step by step of the same URL mix."""
    kinds = result["kinds"]
    if not any(kind in kinds for kind in (*ADMIN_KINDS, *TANTIVY_KINDS)):
        return []  # a run from before the peers

    def failed(stats: dict) -> int:
        return stats["errors"] + stats["non2xx"]

    def cells(kind: str) -> str:
        stats = kinds.get(kind)
        if not stats or not stats["requests"]:
            return "– | – | –"
        errors = f" ({failed(stats)} errors)" if failed(stats) else ""
        return f"{stats['rps']:.1f}{errors} | {stats['p50']:.1f} | {stats['p95']:.1f}"

    def ratio(ours: str, peer: str) -> str:
        a, b = kinds.get(ours), kinds.get(peer)
        if not a or not b or not a["requests"] or failed(a) or failed(b):
            return "–"  # nothing to compare, or errors answered fast
        if not b["requests"]:
            return f"> {a['rps'] * b.get('duration_s', 1):.0f}× / –"  # the peer finished none
        return f"{a['rps'] / b['rps']:.1f}× / {b['p50'] / a['p50']:.2f}×"

    index = result.get("search_index")
    lines = [
        "",
        "Peers on the same data, server and URL mix (issue 27): the Django admin's changelist "
        "(bench/admin_peer.py, signed in; it lists all "
        f"{spaced(result['admin_listed'])} practices, drafts too) and a tantivy page "
        "(bench/search_engine.py; exact counts). Ratios: our req/s over the peer's, and the "
        "peer's p50 over ours (above 1: we are faster).",
    ]
    if index:
        lines[-1] += (
            f" The tantivy index of {spaced(index['documents'])} practices took "
            f"{index['seconds']:.1f} s "
            f"to build (from PostgreSQL, with the command's start-up) and takes "
            f"{index['bytes'] / 2**20:.0f} MB."
        )
    lines += [
        "",
        "| step | ours req/s | p50 | p95 | admin req/s | p50 | p95 | tantivy req/s | p50 | p95 "
        "| ours vs admin | ours vs tantivy |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for step, ours in PEER_STEPS.items():
        lines.append(
            f"| {step} | {cells(ours)} | {cells(f'admin, {step}')} | "
            f"{cells(f'tantivy, {step}')} | {ratio(ours, f'admin, {step}')} | "
            f"{ratio(ours, f'tantivy, {step}')} |"
        )
    return lines


def peer_targets(results: list[dict]) -> list[str]:
    """The targets of issue 27, at every size that ran the peers."""
    lines = []
    for result in results:
        kinds, size = result["kinds"], result["size"]
        at = "" if size >= 1_000_000 else " (not the target size)"

        def unusable(names: list[str], kinds=kinds) -> list[str]:
            # Answered with errors: an error page is quick, its time compares nothing. A
            # request wrk gave up on (a timeout) is not one: it was slower than the rest.
            return [
                k
                for k in names
                if kinds[k]["errors"] - kinds[k].get("timeouts", 0) + kinds[k]["non2xx"]
            ]

        def p50(kind: str, kinds=kinds) -> float:
            return kinds[kind]["p50"] if kinds[kind]["requests"] else float("inf")

        if all(kind in kinds for kind in ADMIN_MIX):
            idle = [k for k in REAL_MIX if not kinds[k]["requests"]]
            bad = unusable([*REAL_MIX, *ADMIN_MIX]) + idle
            if bad:
                lines.append(
                    f"- Real page vs the admin changelist at {size:,}: not measured (errors or "
                    f"no request on {', '.join(bad)}): {verdict(False)}."
                )
            else:
                ours = statistics.mean(kinds[k]["mean"] for k in REAL_MIX)
                unfinished = [
                    k for k in ADMIN_MIX if not kinds[k]["requests"] or kinds[k].get("timeouts")
                ]
                admin = statistics.mean(
                    kinds[k]["mean"] if kinds[k]["requests"] else kinds[k]["duration_s"] * 1000
                    for k in ADMIN_MIX
                )
                bound = "at least " if unfinished else ""
                throughput = statistics.mean(kinds[k]["rps"] for k in REAL_MIX) / max(
                    statistics.mean(kinds[k]["rps"] for k in ADMIN_MIX), 1e-9
                )
                lines.append(
                    f"- Real page vs the admin changelist at {size:,} (mean latency over the same "
                    f"4 URL kinds of the catalogue mix): {ours:.1f} ms vs {bound}{admin:.1f} ms → "
                    f"{bound}{admin / ours:.1f}× faster; mean throughput {throughput:.1f}× "
                    f"(target ≥ 10×): {verdict(admin >= 10 * ours)}."
                )
        if not all(f"tantivy, {step}" in kinds for step in PEER_STEPS):
            continue
        targets = [
            (
                "Search + facets",
                ["3 filters + search", "search only"],
                "≤ 2× at 1M",
                lambda ours, peer: ours <= 2 * peer,
            ),
            (
                "Filter-only pages",
                ["0 filters", "1 filter", "2 filters", "4 filters"],
                "faster",
                lambda ours, peer: ours < peer,
            ),
        ]
        for name, steps, target, holds in targets:
            pairs = [(PEER_STEPS[step], f"tantivy, {step}") for step in steps]
            if bad := unusable([kind for pair in pairs for kind in pair]):
                lines.append(
                    f"- {name} vs tantivy at {size:,}: not measured (errors on "
                    f"{', '.join(bad)}): {verdict(False)}{at}."
                )
                continue
            text = "; ".join(
                f"{step}: {p50(ours):.1f} vs {p50(peer):.1f} ms ({p50(ours) / p50(peer):.2f}×)"
                for step, (ours, peer) in zip(steps, pairs, strict=True)
            )
            ok = all(holds(p50(ours), p50(peer)) for ours, peer in pairs)
            lines.append(
                f"- {name} vs tantivy at {size:,} (p50 under load, ours vs tantivy): {text} "
                f"(target: {target}): {verdict(ok)}{at}."
            )
    return lines


def report(
    results: list[dict], args, info: dict, pg_version: str, growth: dict | None = None
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run on {info['date']}: {info['cpu']}, {info['cores']} cores, {info['memory']}; "
        f"Python {info['python']}, {pg_version}; huge pages: "
        f"{info.get('huge_pages', 'unknown')}. Server: gunicorn, {args.workers} workers, "
        f"production settings, cache: {info.get('cache') or cache_kind()}."
        f" Load: wrk, {args.threads} threads, {args.connections} connections, "
        f"{args.duration} s per URL kind (the textbook kinds {args.textbook_duration} s from "
        "100 000 practices), on the same machine.",
        "",
        "Produced by `python3 dev.py bench` (bench/run.py); raw figures in bench/out/.",
        "",
        "Facet counts of sets over CATALOGUE_EXACT_COUNT_LIMIT "
        f"({os.environ.get('CATALOGUE_EXACT_COUNT_LIMIT') or 2000} practices) are estimated "
        'over a uniform sample (README, "Large sets are counted over a sample"). The '
        '"estimated counts" table compares a page\'s counts with exact ones (bench/accuracy.py): '
        "the total shown and the true one, the sample level of the total (one practice in "
        "2^level); over the options of the estimated dimensions, the relative errors of those "
        'shown as estimates ("ok. 4 300"), how many are shown as a 99.9% bound ("poniżej 2 400") '
        "and how many of those the true count exceeds; and the counting query's time both ways.",
        "",
    ]
    for result in results:
        lines += [
            f"## {result['size']:,} practices ({result['published']:,} published)".replace(
                ",", " "
            ),
            "",
            "| URL kind | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for kind, stats in result["kinds"].items():
            lines.append(
                f"| {kind} | {stats['rps']:.1f} | {stats['p50']:.1f} | {stats['p95']:.1f} | "
                f"{stats['p99']:.1f} | {stats['errors'] + stats['non2xx']} |"
            )
        lines += peer_table(result)
        lines += [
            "",
            "| page (in-process, uncached) | queries | SQL ms (EXPLAIN ANALYZE) | waiting on "
            "PostgreSQL ms | Django wall ms | Python share ms | its thread's CPU ms | "
            "seq scans on practices |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for kind, m in result["measured"].items():
            cpu = f"{m['python_cpu_ms']:.1f}" if "python_cpu_ms" in m else "–"
            lines.append(
                f"| {kind} | {m['queries']} | {m['sql_ms']:.1f} | {m.get('db_wait_ms', 0):.1f} | "
                f"{m['wall_ms']:.1f} | {m.get('python_ms', 0):.1f} | {cpu} | "
                f"{', '.join(m['seq_scans_on_practices']) or 'none'} |"
            )
        if result.get("accuracy"):
            lines += [
                "",
                "| estimated counts (in-process) | total shown | exact | level | options as "
                "estimates | median / 90th pct / max error | options as bounds (exceeded) | "
                "counting ms, estimated / exact |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]

            def percent(value) -> str:
                return "–" if value is None else f"{100 * value:.0f}%"

            for kind, a in result["accuracy"].items():
                lines.append(
                    f"| {kind} | {a['total']:,} | {a['true_total']:,} | {a['total_level']} | "
                    f"{a['estimates']} | {percent(a['median_error'])} / "
                    f"{percent(a['p90_error'])} / {percent(a['max_error'])} | "
                    f"{a['bounds']} ({a['bounds_exceeded']}) | "
                    f"{a['estimated_ms']:.0f} / {a['exact_ms']:.0f} |"
                )
        lines += ["", "| table | data | indexes |", "| --- | ---: | ---: |"]
        lines += [f"| {name} | {data} | {indexes} |" for name, data, indexes in result["sizes"]]
        lines.append("")

    lines += ["## Targets", ""]
    largest = results[-1]
    key = largest["key_page_serial"]
    key_sql = largest["measured"]["catalogue, 3 filters + search"]["sql_ms"]
    lines.append(
        f"- Uncached page with 3 filters + search + facets at {largest['size']:,}: server time "
        f"(p50, one connection) {key['p50']:.1f} ms vs its own SQL {key_sql:.1f} ms → "
        f"{key['p50'] / key_sql if key_sql else float('inf'):.2f}× (target ≤ 2×): "
        f"{verdict(0 < key['p50'] <= 2 * key_sql)}; p95 {key['p95']:.1f} ms = "
        f"{key['p95'] / key['p50'] if key['p50'] else float('inf'):.2f}× p50 (target ≤ 3×): "
        f"{verdict(0 < key['p95'] <= 3 * key['p50'])} ({key['requests']} requests)."
    )
    cached = largest["kinds"]["catalogue, cached"]["rps"]
    hello = largest["kinds"]["hello (fixed string)"]["rps"]
    lines.append(
        f"- Cached anonymous pages: {cached:.0f} req/s = {100 * cached / hello:.0f}% of the "
        f"fixed-string view's {hello:.0f} req/s (target ≥ 60%): {verdict(cached >= 0.6 * hello)}."
    )
    for result in results:
        kinds = result["kinds"]
        if all(kind in kinds for kind in TEXTBOOK_MIX):
            if not all(kinds[k]["requests"] for k in REAL_MIX):
                slow = [k for k in REAL_MIX if not kinds[k]["requests"]]
                lines.append(
                    f"- Real page vs textbook at {result['size']:,}: not comparable, "
                    f"{', '.join(slow)} finished no request within the {args.duration} s run: "
                    f"{verdict(False)}."
                )
                continue
            real = statistics.mean(kinds[k]["mean"] for k in REAL_MIX)
            # A textbook kind that completed no request in the run took longer than the
            # run: count it at the run's length, so the ratio is a lower bound.
            unfinished = [k for k in TEXTBOOK_MIX if not kinds[k]["requests"]]
            ran = {k: kinds[k].get("duration_s", args.duration) for k in TEXTBOOK_MIX}
            book = statistics.mean(
                kinds[k]["mean"] if kinds[k]["requests"] else ran[k] * 1000 for k in TEXTBOOK_MIX
            )
            bound = "at least " if unfinished else ""
            note = (
                " ("
                + "; ".join(
                    f"{k}: no request finished within its {ran[k]} s run, counted as {ran[k]} s"
                    for k in unfinished
                )
                + ")"
                if unfinished
                else ""
            )
            lines.append(
                f"- Real page vs textbook at {result['size']:,} (mean latency over the same 4 URL "
                f"kinds): {real:.1f} ms vs {bound}{book:.1f} ms → {bound}{book / real:.1f}× "
                f"faster{note} (target ≥ 10×): {verdict(book >= 10 * real)}."
            )
    key_results = [
        (r["size"], r["measured"]["catalogue, 3 filters + search"].get("results")) for r in results
    ]
    phases = [(r["size"], r["key_page_serial"]["p50"]) for r in results]
    rounds = growth or {}
    interleaved = [
        (r["size"], statistics.median(rounds[str(r["size"])]))
        for r in results
        if rounds.get(str(r["size"]))
    ]
    # The figures measured in turns where the run has them (interleaved_key_page).
    serial = interleaved if len(interleaved) == len(phases) else phases
    steps = [
        f"{a:,} → {b:,}: {tb / ta:.2f}×" if ta and tb else f"{a:,} → {b:,}: no request finished"
        for (a, ta), (b, tb) in pairwise(serial)
    ]
    if steps:
        ok = all(ta and tb and tb / ta <= 1.5 for (_a, ta), (_b, tb) in pairwise(serial))
        how = (
            f"serial p50 in {len(rounds[str(results[0]['size'])])} rounds of every size in "
            "turns, the median of each size: "
            + ", ".join(f"{size:,}: {p50:.1f} ms" for size, p50 in interleaved)
            + "; each size's own phase gave "
            + ", ".join(f"{p50:.1f}" for _size, p50 in phases)
            + " ms"
            if serial is interleaved
            else "serial p50 of each size's phase: "
            + ", ".join(f"{size:,}: {p50:.1f} ms" for size, p50 in phases)
        )
        lines.append(
            f"- Growth of the key page's time per step ({'; '.join(steps)}; target ≤ 1.5× per "
            f"step): {verdict(ok)}. {how[0].upper()}{how[1:]}."
        )
        if all(found is not None for _size, found in key_results):
            lines.append(
                "  The practices the key page selects, per size: "
                + ", ".join(f"{size:,}: {found:,}" for size, found in key_results)
                + " — its facet counts visit those and the sets each of its filters leaves."
            )
    shares = [
        (r["size"], kind, m["python_ms"])
        for r in results
        for kind, m in r["measured"].items()
        if "python_ms" in m and not kind.startswith("textbook")
    ]
    if shares:
        size, kind, worst = max(shares, key=lambda share: share[2])
        lines.append(
            f"- Python share of an uncached page (wall minus its SQL, in-process; issue 27): "
            f"at most {worst:.1f} ms ({kind}, {size:,} practices) over "
            f"{len({k for _s, k, _m in shares})} page kinds and {len(results)} sizes "
            f"(target ≤ 8 ms at every size): {verdict(worst <= 8)}."
        )
    # Every size's, not the last one's. A sampled catalogue's page with sets to sample
    # reads its probe first (catalogue.counting.SampledCounting): one query more.
    counts = {
        r["size"]: sorted(
            {
                m["queries"]
                for kind, m in r["measured"].items()
                if kind.startswith(("catalogue", "deep pages"))
            }
        )
        for r in results
    }
    most = max((n for found in counts.values() for n in found), default=0)
    lines.append(
        "- Queries per catalogue page, any filters and depth, per size: "
        + "; ".join(f"{size:,}: {found}" for size, found in counts.items())
        + f" (target: bounded, whatever the filters, depth and size; at most {most}): "
        + f"{verdict(0 < most <= 4)}."
    )
    lines += peer_targets(results)
    memory = largest.get("memory")
    if memory:
        lines.append(
            f"- Indexes fit: at {largest['size']:,} the practices table's indexes take "
            f"{memory['practice_indexes']} and the whole database {memory['database']}; "
            f"PostgreSQL's shared_buffers is {memory['shared_buffers']}, "
            f"effective_cache_size {memory['effective_cache_size']}, the machine's RAM "
            f"{info['memory']}: {verdict(memory['practice_index_bytes'] < memory['ram_bytes'])} "
            "(the indexes stay in memory; table and index sizes per size above)."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument(
        "--textbook-duration",
        type=int,
        default=60,
        help="seconds per textbook and admin URL kind from 100k practices (slow requests)",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--growth-rounds",
        type=int,
        default=3,
        help="rounds of the key page at every size in turns, for the growth target",
    )
    parser.add_argument(
        "--textbook-max",
        type=int,
        default=100_000,
        help="above this size the textbook page is load-tested but not EXPLAINed",
    )
    parser.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument(
        "--database-prefix",
        default="katalog_bench_",
        help="each size's database is this prefix and the size's label (10k, 100k, 1m)",
    )
    parser.add_argument(
        "--report-from", help="write the report again from a raw file of bench/out/, no run"
    )
    args = parser.parse_args()
    if args.report_from:
        raw = json.loads(Path(args.report_from).read_text())
        if isinstance(raw, list):  # an older raw file: the figures only
            server, _keepalive = server_url()
            version = sql(database_for(server, "postgres"), "SELECT version()")[0][0]
            raw = {"results": raw, "machine": machine(), "pg": version.split(" on ")[0]}
        for key, value in raw.get("args", {}).items():
            if key in ("duration", "textbook_duration", "connections", "threads", "workers"):
                setattr(args, key, value)
        Path(args.results).write_text(
            report(raw["results"], args, raw["machine"], raw["pg"], raw.get("growth", {}))
        )
        print(f"wrote {args.results}")
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (Debian's package)")
    sizes = [int(s) for s in args.sizes.split(",")]
    server, keepalive = server_url()
    results = [bench_size(size, args, server) for size in sizes]
    growth = interleaved_key_page(sizes, args, server) if len(sizes) > 1 else {}
    first = database_for(server, f"{args.database_prefix}{label(sizes[0])}")
    pg_version = sql(first, "SELECT version()")[0][0].split(" on ")[0]
    OUT.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    info = {**machine(), "cache": cache_kind()}
    raw = {
        "results": results,
        "growth": growth,
        "machine": info,
        "pg": pg_version,
        "args": vars(args),
    }
    (OUT / f"{stamp}.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False))
    Path(args.results).write_text(report(results, args, info, pg_version, growth))
    print(f"wrote {args.results}")
    del keepalive


if __name__ == "__main__":
    main()
