"""Ten thousand generated hostile requests at every public page and form: never a 5xx,
never a stored row.

Hypothesis builds the requests: addresses from the real catalogue and made-up
ones, query strings with the real filter names and random keys, values of any
Unicode (right-to-left and zero-width marks, emoji, control characters, NUL,
which PostgreSQL refuses in text), numbers of any size,
strings up to 5,000 characters, keys repeated; hostile headers; form bodies of
random fields, encodings and sizes. Every answer must be below 500, and when a
test ends the catalogue, the competitions and the users have exactly the rows
they had when it began.

The 10,000 requests are split into SHARES, one test each, so pytest-xdist runs
them side by side. A worker counts only its own requests, so each test asserts
that it sent its whole share; test_shares_add_up_to_ten_thousand_requests
checks the sum. `derandomize=True` makes every run send the same requests.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competitions.models import Edition, Entry
from organisations.models import Organisation
from practices.models import Practice, Topic
from tests.competitions.conftest import open_vote
from tests.security.names import EVERY_FILTER

pytestmark = pytest.mark.django_db

SHARES = {"pages": 2_500, "filters": 2_500, "forms": 2_500, "headers": 2_500}
SENT: Counter[str] = Counter()
STORED_APPS = {"auth", "organisations", "practices", "competitions"}


def hypothesis_settings(share: str):
    """One request per example; the same examples on every run (no example database)."""
    return settings(
        max_examples=SHARES[share],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
        derandomize=True,
    )


def stored_rows() -> dict[str, int]:
    """Rows of every catalogue, competition and user table (practices, entries, votes…)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in STORED_APPS
    }


def send(share: str, client: Client, method: str, path: str, data=None, **extra) -> int:
    """One request; the whole answer is read (exports stream), then counted.

    Method "raw" POSTs `data` (bytes) exactly as given, whatever its content type says.
    """
    if method == "raw":
        response = client.generic("POST", path, data, **extra)
    else:
        response = getattr(client, method)(path, data, **extra)
    if response.streaming:
        b"".join(response.streaming_content)
    SENT[share] += 1
    assert response.status_code < 500, (method, path, response.status_code)
    return response.status_code


@pytest.fixture
def quiet_logs(caplog):
    """Thousands of 404s, 400s and failed sign-ins each log a line (some a traceback).

    A 5xx still fails the test: the test client raises the view's exception.
    """
    for name in ("django", "axes"):
        caplog.set_level(logging.CRITICAL, logger=name)


@pytest.fixture
def fast_passwords(settings):
    # Each failed sign-in hashes the password (even for an unknown user); the hasher's
    # cost is not what these tests look at.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- what a hostile visitor sends ------------------------------------------------------------

# Any Unicode scalar value a UTF-8 request can carry.
ANY_CHARACTER = st.characters(codec="utf-8")
TRICKY_CHARACTERS = (
    "\u202e\u202d\u202a\u200f\u200e\u061c"  # bidirectional overrides and marks
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"  # zero-width and invisible
    "😀👍🏽🇵🇱👨‍👩‍👧"  # emoji, skin tones, flags, joiners
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
    "\x00\t\n\r\x0b\x0c\x1b\x7f\x85\u2028\u2029"  # NUL, control characters, line separators
    "\ufffd\uffff\U0010ffff\u0301\u0338"  # replacement, non-characters, combining
    "<>\"'&%;=?#/\\{}[]|`$*:,.+-_~ "
)
short_text = st.text(ANY_CHARACTER, max_size=40)
tricky_text = st.text(st.sampled_from(TRICKY_CHARACTERS), min_size=1, max_size=30)
# Up to 5,000 characters: a short random piece repeated (cheap to generate).
long_text = st.builds(
    lambda piece, size: (piece * size)[:size],
    st.text(ANY_CHARACTER, min_size=1, max_size=8),
    st.integers(300, 5_000),
)
numbers = st.one_of(
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.floats(),
    st.decimals(allow_nan=True, allow_infinity=True),
).map(str)
hostile_text = st.one_of(short_text, tricky_text, long_text, numbers, st.just(""))

# Printable Latin-1: what a WSGI server hands over as a header value.
header_text = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80),
    st.builds(
        lambda piece, size: (piece * size)[:size],
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), min_size=1, max_size=8),
        st.integers(300, 5_000),
    ),
)
# A raw query string as it arrives, percent signs and all ("%00" is NUL).
raw_query = st.text(
    st.one_of(
        st.sampled_from("%&=+;#?[]"),
        st.characters(min_codepoint=0x21, max_codepoint=0xFF),
    ),
    max_size=200,
).filter(lambda query: "%00" not in query)


def query_pairs(keys, values):
    """(key, value) lists: a few random pairs, or one key repeated up to 60 times."""
    pair = st.tuples(keys, values)
    repeated = st.builds(lambda k, v, n: [(k, v)] * n, keys, values, st.integers(2, 60))
    return st.one_of(
        st.lists(pair, max_size=8),
        repeated,
        st.builds(lambda a, b: a + b, st.lists(pair, max_size=4), repeated),
    )


def path_segment(real: list[str]):
    """A name from the catalogue, a made-up slug, or any text (percent-encoded)."""
    return st.one_of(
        st.sampled_from(real),
        st.from_regex(r"[a-z0-9-]{1,80}", fullmatch=True),
        st.text(ANY_CHARACTER, min_size=1, max_size=40).map(lambda s: quote(s, safe="")),
    )


# Every public page, in both languages; {names} are filled from path_segment().
PAGES = [
    "/",
    "/en/",
    "/praktyki/",
    "/en/practices/",
    "/praktyki/eksport.csv",
    "/en/practices/export.csv",
    "/praktyki/eksport.json",
    "/en/practices/export.json",
    "/praktyki/eksport.xlsx",
    "/en/practices/export.xlsx",
    "/praktyki/eksport-excel.csv",
    "/en/practices/export-excel.csv",
    "/praktyki/kanal.atom",
    "/en/practices/feed.atom",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/praktyki/{practice}/",
    "/en/practices/{practice}/",
    "/organizacje/",
    "/en/organisations/",
    "/organizacje/{organisation}/",
    "/en/organisations/{organisation}/",
    "/konkursy/",
    "/en/competitions/",
    "/konkursy/{competition}/",
    "/en/competitions/{competition}/",
    "/konkursy/{competition}/{year}/",
    "/en/competitions/{competition}/{year}/",
    "/konkursy/{competition}/{year}/wyniki.csv",
    "/en/competitions/{competition}/{year}/results.csv",
    "/konkursy/{competition}/{year}/glosowanie/",
    "/en/competitions/{competition}/{year}/vote/",
    "/konkursy/{competition}/{year}/glosowanie/karta/",
    "/en/competitions/{competition}/{year}/vote/ballot/",
    "/przeglad/",
    "/en/overview/",
    "/otwarte-dane/",
    "/en/open-data/",
    "/deklaracja-dostepnosci/",
    "/en/accessibility/",
    "/o-katalogu/",
    "/en/about/",
    "/praktyki/zglos/",
    "/en/practices/submit/",
    "/praktyki/zglos/dziekujemy/",
    "/en/practices/submit/thank-you/",
    "/konto/logowanie/",
    "/en/account/sign-in/",
    "/konkursy/jury/",
    "/en/competitions/jury/",
    "/konkursy/jury/{edition}/",
    "/admin/login/",
    "/{junk}/",
    "/en/{junk}",
]
# The lists more often than the exports and the feed, which stream the whole result.
LISTS = [
    *("/praktyki/", "/praktyki/", "/praktyki/", "/en/practices/", "/en/practices/"),
    *("/organizacje/", "/organizacje/", "/en/organisations/"),
    *("/praktyki/eksport.csv", "/en/practices/export.json", "/praktyki/kanal.atom"),
    *("/praktyki/eksport.xlsx", "/praktyki/eksport-excel.csv"),
    "/en/practices/feed.atom",
]
SUBMISSION_FIELDS = [
    "title",
    "practice_type",
    "topics",
    "summary",
    "description",
    "started_year",
    "ended_year",
    "total_value",
    "currency",
    "organisation_name",
    "organisation_kind",
    "organisation_country",
    "organisation_locality",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",  # the honeypot
]


class Catalogue:
    """Names from the loaded catalogue, for addresses and filter values that exist."""

    def __init__(self):
        self.practices = list(Practice.objects.values_list("slug", flat=True))
        self.organisations = list(Organisation.objects.values_list("slug", flat=True))
        editions = Edition.objects.select_related("competition")
        self.competitions = sorted({e.competition.slug for e in editions})
        self.years = sorted({str(e.year) for e in editions})
        self.editions = [e.slug for e in editions]
        self.topics = list(Topic.objects.values_list("slug", flat=True))
        regions = Organisation.objects.exclude(region="").values_list("region", flat=True)
        self.values = [
            *self.practices[:5],
            *self.organisations[:5],
            *self.competitions,
            *self.editions,
            *self.topics,
            *sorted(set(regions))[:10],
            *self.years,
            *("it", "social", "project", "PL", "UA", "DE", "municipality", "city"),
            *("winner", "laureate", "finalist", "PLN", "EUR", "relevance", "newest"),
            *("title", "value", "1", "2", "3", "0", "-1", "2021", "1899", "2101"),
        ]

    def filter_value(self):
        return st.one_of(st.sampled_from(self.values), hostile_text)

    def filter_key(self):
        return st.one_of(st.sampled_from(EVERY_FILTER), short_text)

    def page(self):
        """An address from PAGES with its names filled in."""
        names = {
            "practice": path_segment(self.practices),
            "organisation": path_segment(self.organisations),
            "competition": path_segment(self.competitions),
            "year": st.one_of(st.sampled_from(self.years), st.integers(0, 10**25).map(str)),
            "edition": path_segment(self.editions),
            "junk": path_segment(["admin", "static", "media", "en", "pl", "..", "%2e%2e"]),
        }
        return st.sampled_from(PAGES).flatmap(
            lambda page: st.fixed_dictionaries(
                {name: strategy for name, strategy in names.items() if "{" + name + "}" in page}
            ).map(lambda filled, page=page: page.format(**filled))
        )


@pytest.fixture
def names(catalogue) -> Catalogue:
    return Catalogue()


# --- 1. every page, with random query strings -------------------------------------------------


def test_every_page_answers_random_query_strings(names, quiet_logs):
    before = stored_rows()

    @hypothesis_settings("pages")
    @given(
        page=names.page(),
        pairs=query_pairs(names.filter_key(), names.filter_value()),
        method=st.sampled_from(["get", "get", "get", "head"]),
    )
    def check(page, pairs, method):
        query = urlencode(pairs)
        send("pages", Client(), method, page + (f"?{query}" if query else ""))

    check()

    assert SENT["pages"] >= SHARES["pages"]
    assert stored_rows() == before


# --- 2. the catalogue's filters, searches and exports ---------------------------------------


def test_lists_and_exports_answer_hostile_filters(names, quiet_logs):
    before = stored_rows()

    @hypothesis_settings("filters")
    @given(
        page=st.sampled_from(LISTS),
        pairs=query_pairs(names.filter_key(), names.filter_value()),
        raw=st.one_of(st.none(), raw_query),
    )
    def check(page, pairs, raw):
        if raw is None:
            send("filters", Client(), "get", f"{page}?{urlencode(pairs)}")
        else:  # the query string exactly as typed, malformed escapes included
            send("filters", Client(), "get", page, QUERY_STRING=raw)

    check()

    assert SENT["filters"] >= SHARES["filters"]
    assert stored_rows() == before


# --- 3. every form, with random bodies ---------------------------------------------------------

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=bogus",
    "application/x-www-form-urlencoded; charset=utf-16",
    "multipart/form-data",  # no boundary
    "multipart/form-data; boundary=xyz",
    "application/json",
    "text/plain",
    "",
]


@pytest.fixture
def voting(names):
    """An open vote; a ballot that has already voted in every category, signed in."""
    vote = open_vote(categories=2, ballots=2)
    code_url = vote.edition.get_absolute_url() + "glosowanie/"
    ballot_client = Client()
    assert ballot_client.post(code_url, {"code": vote.ballots[0][1]}).status_code == 302
    for category in vote.categories:
        chosen = {"category": category.pk, "entry": vote.laureates[category.pk][0].pk}
        assert ballot_client.post(code_url + "karta/", chosen).status_code == 302
    return vote, code_url, ballot_client


def test_forms_answer_random_posts_and_store_nothing(names, voting, quiet_logs, fast_passwords):
    vote, code_url, ballot_client = voting
    targets = {
        "submission": ("/praktyki/zglos/", "/en/practices/submit/"),
        "code": (
            code_url,
            code_url.replace("/konkursy/", "/en/competitions/").replace("glosowanie", "vote"),
            "/konkursy/konkurs-dobrych-praktyk-kongresu/2021/glosowanie/",
        ),
        "ballot": (code_url + "karta/",),
        "forget": (code_url + "zakoncz/",),
        "sign-in": ("/konto/logowanie/", "/en/account/sign-in/", "/admin/login/"),
        "language": ("/i18n/setlang/",),
        "page": ("/", "/praktyki/", "/praktyki/eksport.csv", "/praktyki/kanal.atom", "/healthz"),
    }
    fields = {
        "submission": SUBMISSION_FIELDS,
        "code": ["code"],
        "ballot": ["category", "entry"],
        "forget": ["csrfmiddlewaretoken"],
        "sign-in": ["username", "password", "next"],
        "language": ["language", "next"],
        "page": EVERY_FILTER,
    }
    real = [*names.values, *(str(c.pk) for c in vote.categories)]
    real += [str(e.pk) for e in Entry.objects.filter(category__edition=vote.edition)]
    value = st.one_of(st.sampled_from(real), hostile_text)
    # Through the trusted proxy from any address: each its own rate-limit bucket, so the
    # forms are validated rather than only throttled; now and then a hop that is no address.
    forwarded = st.one_of(st.none(), st.ip_addresses().map(str), header_text)
    before = stored_rows()

    @hypothesis_settings("forms")
    @given(
        kind=st.sampled_from(list(targets)),
        data=st.data(),
        encoding=st.sampled_from(["multipart", "urlencoded", "raw"]),
        forwarded_for=forwarded,
    )
    def check(kind, data, encoding, forwarded_for):
        path = data.draw(st.sampled_from(targets[kind]))
        # Never "consent": without it no submission is valid, so none is stored.
        keys = st.one_of(st.sampled_from(fields[kind]), short_text.filter(lambda k: k != "consent"))
        pairs = data.draw(query_pairs(keys, value))
        extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
        client = ballot_client if kind == "ballot" else Client()  # fresh: no cookies carried
        if encoding == "multipart":
            body: dict[str, list] = {}
            for key, item in pairs:
                body.setdefault(key, []).append(item)
            if kind == "submission" and data.draw(st.booleans()):
                content = data.draw(st.binary(max_size=2_000))
                magic = data.draw(st.sampled_from([b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n"]))
                # A name Django's own upload object accepts ("/" or ".." it refuses
                # before any request is made; a browser's such name never reaches us).
                name = data.draw(
                    st.text(ANY_CHARACTER, min_size=1, max_size=60).filter(
                        lambda n: os.path.basename(n) not in {"", ".", ".."}
                    )
                )
                body["attachment"] = [SimpleUploadedFile(name, magic + content)]
            send("forms", client, "post", path, body, **extra)
        elif encoding == "urlencoded":
            body = urlencode(pairs)
            content_type = "application/x-www-form-urlencoded"
            send("forms", client, "post", path, body, content_type=content_type, **extra)
        else:
            raw = data.draw(st.one_of(hostile_text, st.just(urlencode(pairs))))
            content_type = data.draw(st.sampled_from(CONTENT_TYPES))
            send("forms", client, "raw", path, raw.encode(), content_type=content_type, **extra)

    check()

    assert SENT["forms"] >= SHARES["forms"]
    assert stored_rows() == before


# --- 4. every page, with hostile headers -----------------------------------------------------

etags = st.one_of(
    header_text,
    st.just("*"),
    st.lists(
        st.from_regex(
            r'(W/)?"[^"]{0,40}"',
            fullmatch=True,
            alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF),
        ),
        max_size=5,
    ).map(", ".join),
)
dates = st.one_of(
    header_text,
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")),
    st.integers(-(10**12), 10**12).map(str),
)
languages = st.one_of(
    header_text,
    st.lists(
        st.tuples(
            st.sampled_from(["pl", "en", "en-GB", "uk", "de-DE", "*", "zh-Hant-TW", "x-klingon"]),
            st.one_of(st.none(), st.floats(), st.text(max_size=5)),
        ),
        max_size=8,
    ).map(lambda tags: ",".join(t if q is None else f"{t};q={q}" for t, q in tags)),
)
cookies = st.lists(
    st.tuples(
        st.sampled_from(["sessionid", "csrftoken", "messages", "django_language", "x", ""]),
        header_text,
    ),
    max_size=4,
).map(lambda pairs: "; ".join(f"{k}={v}" for k, v in pairs))
HEADERS = {
    "HTTP_ACCEPT_LANGUAGE": languages,
    "HTTP_REFERER": st.one_of(header_text, st.just("javascript:alert(1)")),
    "HTTP_USER_AGENT": header_text,
    "HTTP_X_FORWARDED_FOR": header_text,
    "HTTP_X_FORWARDED_PROTO": st.one_of(
        st.sampled_from(["https", "http", "https, http"]), header_text
    ),
    "HTTP_X_FORWARDED_HOST": header_text,
    "HTTP_IF_NONE_MATCH": etags,
    "HTTP_IF_MODIFIED_SINCE": dates,
    "HTTP_IF_MATCH": etags,
    "HTTP_IF_UNMODIFIED_SINCE": dates,
    "HTTP_COOKIE": cookies,
    "HTTP_ACCEPT": header_text,
    "HTTP_ACCEPT_ENCODING": header_text,
    "HTTP_RANGE": header_text,
    "HTTP_X_REQUESTED_WITH": st.one_of(st.just("fetch"), header_text),
    "HTTP_HOST": st.one_of(st.sampled_from(["testserver", "localhost", "127.0.0.1"]), header_text),
}


def test_every_page_answers_hostile_headers(names, quiet_logs):
    before = stored_rows()

    @hypothesis_settings("headers")
    @given(
        page=names.page(),
        headers=st.dictionaries(st.sampled_from(list(HEADERS)), st.just(None), max_size=8).flatmap(
            lambda chosen: st.fixed_dictionaries({name: HEADERS[name] for name in chosen})
        ),
    )
    def check(page, headers):
        # A fresh client: cookies from one request must not shape the next.
        send("headers", Client(), "get", page, **headers)

    check()

    assert SENT["headers"] >= SHARES["headers"]
    assert stored_rows() == before


# --- the sum, and the edges a generator rarely reaches ------------------------------------------


def test_shares_add_up_to_ten_thousand_requests():
    assert sum(SHARES.values()) >= 10_000


def test_body_above_the_upload_limit_is_refused_with_413(db):
    body = b"title=" + b"x" * (11 * 1024 * 1024)  # above MAX_UPLOAD_BYTES (8 MiB)
    before = stored_rows()

    response = Client().post(
        "/praktyki/zglos/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413
    assert stored_rows() == before


def test_form_fields_above_their_limit_are_refused_with_400(db, settings):
    settings.MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE decides
    body = b"title=" + b"x" * (11 * 1024 * 1024)
    before = stored_rows()

    response = Client().post(
        "/praktyki/zglos/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert stored_rows() == before


def test_more_than_a_thousand_fields_is_refused_with_400(db):
    body = "&".join(f"f{n}=1" for n in range(1_500))
    before = stored_rows()

    response = Client().post(
        "/praktyki/zglos/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert stored_rows() == before


@pytest.mark.parametrize("path", ["/konto/logowanie/", "/en/account/sign-in/", "/admin/login/"])
def test_sign_in_with_an_overlong_user_name_is_refused_by_the_form(db, path):
    client = Client(raise_request_exception=False)

    response = client.post(path, {"username": "a" * 256, "password": "x"})

    assert response.status_code == 200


def test_sign_in_with_a_user_name_of_255_characters_fails_like_any_wrong_one(db):
    response = Client().post("/konto/logowanie/", {"username": "a" * 255, "password": "x"})

    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize(
    ("path", "hop"),
    [
        *(
            (path, hop)
            for path in ("/konto/logowanie/", "/admin/login/")
            for hop in ("1.2.3.4:8080", "unknown", "1.2.3.4 5.6.7.8", "[2001:db8::1]")
        ),
        ("/praktyki/zglos/", "1.2.3.4 5.6.7.8"),
    ],
)
def test_forwarded_address_that_is_not_an_ip_is_ignored(db, path, hop):
    client = Client(raise_request_exception=False)

    response = client.post(
        path, {"username": "anna", "password": "x", "title": "x"}, HTTP_X_FORWARDED_FOR=hop
    )

    assert response.status_code == 200
