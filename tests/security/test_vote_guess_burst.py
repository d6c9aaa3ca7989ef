"""A burst of concurrent wrong codes from one address cannot get past the guess budget:
each attempt reserves its guess before the code is checked (attack finding 12: about
one extra guess got through when every request read the last free slot at once)."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.competitions.conftest import open_vote

pytestmark = pytest.mark.django_db(transaction=True)

BURST = 12


def _attempt(url: str, code: str, barrier: threading.Barrier, statuses: list) -> None:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": code}).encode()
    barrier.wait()
    try:
        response = opener.open(url, data=body, timeout=30)
        statuses.append((response.status, ""))
    except urllib.error.HTTPError as refused:
        statuses.append((refused.code, refused.read().decode()))


def test_a_concurrent_burst_of_guesses_checks_no_more_than_the_budget(live_server, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 3
    settings.BALLOT_PACE_SECONDS = 60
    vote = open_vote(ballots=1)
    edition = vote.edition
    url = f"{live_server.url}/konkursy/{edition.competition.slug}/{edition.year}/glosowanie/"
    # Two guesses made through the server (it counts them in its own cache): one left.
    for code in ("YYYY-YYYY-YY22", "YYYY-YYYY-YY23"):
        earlier: list = []
        _attempt(url, code, threading.Barrier(1), earlier)
        assert earlier[0][0] == 400 and "Nie znamy takiego kodu" in earlier[0][1]

    # Well-formed codes far from the issued one: guesses, not typos.
    codes = [f"ZZZZ-ZZZZ-ZZ{a}{b}" for a in "2345" for b in "234"][:BURST]
    barrier = threading.Barrier(BURST)
    statuses: list[int] = []
    threads = [
        threading.Thread(target=_attempt, args=(url, code, barrier, statuses)) for code in codes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    looked_up = [s for s, page in statuses if s == 400 and "Nie znamy takiego kodu" in page]
    assert len(statuses) == BURST
    # The last free slot, and one attempt let through by the pace: never more.
    assert 1 <= len(looked_up) <= 2, [s for s, _page in statuses]
    assert [s for s, _page in statuses].count(429) == BURST - len(looked_up)
