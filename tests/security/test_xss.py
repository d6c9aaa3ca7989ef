"""Script put into any text a visitor, an editor or the jury can enter is shown as text.

Every text field is filled with each payload; every public page that shows
those fields is then read in Polish and in English. A page passes when its
markup, parsed as a browser would, carries no element, attribute or script the
payload brought in, and the payload is there as escaped text (so the field was
really shown). JSON-LD must stay one valid JSON block; the exports are data
files a browser must not render; the Atom feed must be well-formed XML.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django.utils.html import escape
from markupsafe import escape as jinja_escape

from catalogue.index.refresh import index_flush
from competitions.models import Competition, Edition, TieResolution
from competitions.services.decisions import entry_decide
from competitions.services.jury import jury_scores_save
from competitions.services.phases import edition_advance_phase
from organisations.models import Organisation
from practices.models import FundingSource, Partnership, Practice, PracticeLink
from tests.competitions.conftest import cast_in_the_past, jury_review, laureate
from tests.factories import (
    BallotFactory,
    CategoryFactory,
    CompetitionFactory,
    EditionFactory,
    OrganisationFactory,
    PracticeFactory,
    PracticeTypeFactory,
    TopicFactory,
)
from tests.practices.admin.conftest import staff_in
from tests.security.names import ORGANISATION_FILTERS, PRACTICE_FILTERS

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "{{7*7}}",
    "{% debug %}",
]
MARKUP_PAYLOADS = [p for p in PAYLOADS if "<" in p]
TEMPLATE_PAYLOADS = {"{{7*7}}": "49", "{% debug %}": "'True': True"}
LANGUAGES = ["pl", "en"]
# Polish path → English path, for the pages below.
ENGLISH = {
    "/praktyki/": "/en/practices/",
    "/organizacje/": "/en/organisations/",
    "/konkursy/": "/en/competitions/",
    "/przeglad/": "/en/overview/",
    "eksport.csv": "export.csv",
    "eksport.json": "export.json",
    "kanal.atom": "feed.atom",
}


def in_language(path: str, language: str) -> str:
    if language == "pl":
        return path
    if path == "/":
        return "/en/"
    for polish, english in ENGLISH.items():
        path = path.replace(polish, english)
    return path


# --- what a browser would find in the page -----------------------------------------------


class Markup(HTMLParser):
    """Elements, attributes and scripts of a page, as an HTML parser sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: tuple[dict, list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = (attributes, [])

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcdoc"}
CONTROL = re.compile(r"[\x00-\x20\x7f]+")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def live_markup(html: str) -> list[str]:
    """Everything in the page that would run script: it should all be absent."""
    found = []
    markup = Markup(html)
    for tag, attributes in markup.elements:
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                scheme = CONTROL.sub("", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text")):
                    found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and attributes.get("src") == "x":
            found.append("<img src=x>")
        if tag in {"iframe", "object", "embed", "base"}:
            found.append(f"<{tag}>")
    for attributes, text in markup.scripts:
        if attributes.get("type") == "application/ld+json":
            continue
        if not (attributes.get("src") or "").startswith("/static/") or text.strip():
            found.append(f"<script {attributes}>{text[:40]}</script>")
    return found


def shown_escaped(text: str, html: str, around: str = "{}") -> bool:
    """Whether `text` is in `html` as escaped text (inside `around`), as either engine
    escapes it: Django templates write `&quot;` and `&#x27;`, Jinja2 pages (the
    catalogue's, catalogue/jinja2.py) `&#34;` and `&#39;`, the same characters."""
    return any(
        around.format(escaped) in html for escaped in (escape(text), str(jinja_escape(text)))
    )


def problems_of_page(html: str, payload: str) -> list[str]:
    problems = live_markup(html)
    if "<" in payload and payload in html:
        problems.append("the payload is in the page unescaped")
    for block in JSON_LD.findall(html):
        if "<" in block:
            problems.append("JSON-LD holds a raw '<'")
        try:
            json.loads(block)
        except ValueError:
            problems.append("JSON-LD is not one valid JSON value")
    if payload == "{% debug %}" and TEMPLATE_PAYLOADS[payload] in html:
        problems.append("{% debug %} dumped the template context")
    return problems


# --- the catalogue, with the payload in every text field ---------------------------------


def hostile_catalogue(payload: str) -> dict:
    """One of everything the public pages show, each text field carrying `payload`."""
    now = timezone.now()
    topic = TopicFactory(name=f"Temat {payload}", name_en=f"Topic {payload}")
    lead = OrganisationFactory(
        name=f"Gmina {payload}",
        short_name=payload,
        locality=f"Miasto {payload}",
        # Abroad: a Polish organisation's region is one of the 16 voivodeships.
        country="UA",
        region=f"Region {payload}",
        description=f"O gminie {payload}",
        website="https://example.org/",
    )
    partner = OrganisationFactory(name=f"Partner {payload}", country="DE", region=f"Land {payload}")
    practice = PracticeFactory(
        title=f"Wroga praktyka {payload}",
        lead_organisation=lead,
        topics=[topic],
        summary=f"Streszczenie {payload}",
        description=f"Opis {payload}\n\n- punkt {payload}\n- drugi punkt",
        problem=f"Problem {payload}",
        actions=f"Działania {payload}",
        results=f"Rezultaty {payload}",
        author=f"Autor {payload}",
        place=f"Miejsce {payload}",
        money_note=f"Uwaga {payload}",
        source_name=f"Źródło {payload}",
        total_value=Decimal("1000"),
        currency="PLN",
        started_on=datetime.date(2020, 1, 1),
        started_precision="year",
    )
    Partnership.objects.create(practice=practice, organisation=partner, note=f"Zakres {payload}")
    PracticeLink.objects.create(
        practice=practice, url="https://example.org/raport", label=f"Raport {payload}"
    )
    source = FundingSource.objects.create(name=f"Fundusz {payload}", slug="fundusz")
    practice.funding_sources.add(source)

    competition = CompetitionFactory(
        name=f"Konkurs {payload}", description=f"O konkursie {payload}", organiser=lead
    )
    edition = EditionFactory(
        competition=competition,
        phase="jury_review",
        name=f"Edycja {payload}",
        theme=f"Temat edycji {payload}",
        description=f"Opis edycji {payload}",
        event_name=f"Kongres {payload}",
        event_place=f"Lublin {payload}",
        vote_opens_at=now - 3 * HOUR,
        vote_closes_at=now - HOUR,
    )
    edition.funding_sources.add(source)
    category = CategoryFactory(edition=edition, name=f"Kategoria {payload}", laureate_places=2)
    first = laureate(category, 1, practice=practice, distinction=f"Wyróżnienie {payload}")
    second = laureate(category, 2)
    Edition.objects.filter(pk=edition.pk).update(
        phase="public_vote", vote_rules_locked_at=now - 3 * HOUR
    )
    for entry in (first, second):  # a tie, 1 : 1, that the chair resolves with a reason
        cast_in_the_past(BallotFactory(edition=edition), entry)
    TieResolution.objects.create(category=category, entry=first, reason=f"Bo tak {payload}")
    edition_advance_phase(edition=edition, actor=None)
    index_flush()  # what the commit would do
    return {
        "practice": practice,
        "lead": lead,
        "partner": partner,
        "competition": competition,
        "edition": Edition.objects.get(pk=edition.pk),
    }


def pages_showing_the_payload(made: dict) -> list[str]:
    """Polish addresses of the pages that show the fields (English ones by in_language)."""
    return [
        "/",
        "/praktyki/",
        "/praktyki/?q=Praktyka",  # a search that finds it: the snippet is highlighted
        made["practice"].get_absolute_url(),
        made["lead"].get_absolute_url(),
        made["partner"].get_absolute_url(),
        "/organizacje/",
        "/konkursy/",
        made["competition"].get_absolute_url(),
        made["edition"].get_absolute_url(),
    ]


def pages_reflecting_the_input(payload: str) -> list[str]:
    """Pages that put what the visitor typed (search, filters) back into the page."""
    return [
        "/praktyki/?" + urlencode({"q": payload}),
        "/praktyki/?" + urlencode([(name, payload) for name in PRACTICE_FILTERS]),
        "/organizacje/?" + urlencode({"q": payload}),
        "/organizacje/?" + urlencode([(name, payload) for name in ORGANISATION_FILTERS]),
        "/przeglad/",
    ]


# --- the public pages ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_is_shown_as_text_on_every_page(client, payload, language):
    made = hostile_catalogue(payload)
    problems = {}

    for page in pages_showing_the_payload(made):
        url = in_language(page, language)
        response = client.get(url)
        html = response.content.decode()
        found = problems_of_page(html, payload)
        if response.status_code != 200:
            found.append(f"status {response.status_code}")
        if not shown_escaped(payload, html):  # also: template syntax stayed literal
            found.append("the field is not on the page as text")
        if payload in TEMPLATE_PAYLOADS and f"Wroga praktyka {TEMPLATE_PAYLOADS[payload]}" in html:
            found.append(f"the template syntax {payload} was evaluated")
        if found:
            problems[url] = found

    assert problems == {}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_as_search_and_filters_is_shown_as_text(client, payload, language):
    hostile_catalogue(payload)
    problems = {}

    for page in pages_reflecting_the_input(payload):
        url = in_language(page, language)
        response = client.get(url)
        found = problems_of_page(response.content.decode(), payload)
        if response.status_code != 200:
            found.append(f"status {response.status_code}")
        if found:
            problems[url] = found

    assert problems == {}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_search_for_the_payload_echoes_it_escaped_in_the_search_box(client, payload):
    hostile_catalogue(payload)

    html = client.get("/praktyki/?" + urlencode({"q": payload})).content.decode()

    assert shown_escaped(payload, html, 'name="q" form="filters" value="{}"')


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_ignored_filter_values_are_listed_escaped(client, payload):
    html = client.get("/praktyki/?" + urlencode({"year_from": payload})).content.decode()

    assert shown_escaped(payload, html, "Rok od: „{}”")
    assert live_markup(html) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_structured_data_of_a_practice_stays_one_json_block_with_the_payload_as_text(
    client, payload
):
    made = hostile_catalogue(payload)

    html = client.get(made["practice"].get_absolute_url()).content.decode()
    blocks = JSON_LD.findall(html)
    data = json.loads(blocks[0])

    assert len(blocks) == 1
    assert "</script" not in blocks[0].lower()
    assert "<" not in blocks[0]
    assert data["name"] == f"Wroga praktyka {payload}"
    assert data["creator"]["name"] == f"Gmina {payload}"
    assert data["keywords"] == f"Temat {payload}"
    assert data["award"][0].startswith(f"Edycja {payload} – Kategoria {payload}")


# --- the data files ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_exports_are_downloads_a_browser_does_not_render_and_keep_the_text(
    client, payload, language
):
    hostile_catalogue(payload)
    query = "?" + urlencode({"region": f"Region {payload}"})

    csv_response = client.get(in_language("/praktyki/eksport.csv", language) + query)
    json_response = client.get(in_language("/praktyki/eksport.json", language) + query)
    csv_text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    records = json.loads(b"".join(json_response.streaming_content))

    for response, content_type in ((csv_response, "text/csv"), (json_response, "application/json")):
        assert response["Content-Type"].split(";")[0] == content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert [row["title"] for row in rows] == [f"Wroga praktyka {payload}"]
    assert rows[0]["summary"] == f"Streszczenie {payload}"
    assert [record["title"] for record in records] == [f"Wroga praktyka {payload}"]
    assert records[0]["awards"][0]["distinction"] == f"Wyróżnienie {payload}"


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_feed_is_well_formed_and_carries_the_title_as_text(client, payload, language):
    hostile_catalogue(payload)
    query = "?" + urlencode({"q": payload, "region": payload})

    response = client.get(in_language("/praktyki/kanal.atom", language))
    filtered = client.get(in_language("/praktyki/kanal.atom", language) + query)
    feed = ElementTree.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]

    ElementTree.fromstring(filtered.content)  # the query is echoed in the feed's own links
    assert f"Wroga praktyka {payload}" in [title.text for title in titles]
    assert all(title.get("type") in (None, "text") for title in titles)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_feed_summary_declared_as_html_holds_no_live_markup(client, payload):
    hostile_catalogue(payload)

    feed = ElementTree.fromstring(client.get("/praktyki/kanal.atom").content)
    summaries = [
        (summary.get("type"), summary.text or "")
        for summary in feed.iter(f"{ATOM}summary")
        if payload in (summary.text or "") or escape(payload) in (summary.text or "")
    ]

    assert summaries, "the practice's summary is in the feed"
    for declared, text in summaries:
        # A feed reader renders a summary declared as HTML as HTML.
        elements = Markup(text).elements if declared == "html" else []
        assert elements == [], text


@pytest.mark.parametrize("payload", MARKUP_PAYLOADS)
def test_sitemap_is_well_formed_and_holds_addresses_only(client, payload, settings):
    settings.SITE_URL = "https://katalog.example.org"
    hostile_catalogue(payload)

    response = client.get("/sitemap.xml")
    sitemap = ElementTree.fromstring(response.content)

    assert response.status_code == 200
    assert "<script" not in response.content.decode()
    assert all(
        loc.text.startswith("https://katalog.example.org/")
        for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    )


# --- what the visitor types into forms, shown back ------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_submission_form_shows_typed_text_back_escaped(client, payload):
    PracticeTypeFactory()
    fields = ["title", "summary", "description", "organisation_name", "organisation_locality"]
    data = {name: f"{name} {payload}" for name in fields}
    data |= {"contact_name": payload, "contact_email": payload, "contact_phone": payload[:40]}

    response = client.post("/praktyki/zglos/", data)  # no consent: shown back with errors
    html = response.content.decode()

    assert response.status_code == 200
    assert problems_of_page(html, payload) == []
    assert escape(f"title {payload}") in html
    assert not Practice.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_vote_code_form_shows_the_typed_code_back_escaped(client, payload):
    from tests.competitions.conftest import open_vote

    vote = open_vote()

    response = client.post(vote.edition.get_absolute_url() + "glosowanie/", {"code": payload})
    html = response.content.decode()

    assert response.status_code == 400
    assert problems_of_page(html, payload) == []
    assert f'value="{escape(payload)}"' in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sign_in_page_shows_the_user_name_and_next_address_back_escaped(client, payload):
    page = client.get("/konto/logowanie/?" + urlencode({"next": payload})).content.decode()
    failed = client.post("/konto/logowanie/", {"username": payload, "password": "x"})
    html = failed.content.decode()

    assert problems_of_page(page, payload) == []
    # A next address with a scheme of its own is dropped, any other is echoed escaped.
    echoed = "" if payload.startswith("javascript:") else escape(payload)
    assert f'name="next" value="{echoed}"' in page
    assert problems_of_page(html, payload) == []
    assert f'value="{escape(payload)}"' in html


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "//evil.example/", "https://evil.example/"]
)
def test_sign_in_never_sends_on_to_a_script_or_another_site(client, target):
    user = staff_in("Redaktorzy", username="anna")
    user.set_password("Bardzo-tajne-haslo-2024")
    user.save()

    response = client.post(
        "/konto/logowanie/",
        {"username": "anna", "password": "Bardzo-tajne-haslo-2024", "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


# --- what the jury types, shown to the other jurors and in the log --------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_jury_comments_decisions_and_conflicts_are_shown_as_text(client, payload):
    jury = jury_review()
    chair, member = jury.members
    scored, decided, conflicted = jury.entries
    criterion = jury.criteria[0]
    Practice.objects.filter(pk=scored.practice_id).update(title=f"Wroga praktyka {payload}")
    jury_scores_save(
        member=chair,
        entry=scored,
        values={c.pk: 5 for c in jury.criteria},
        comments={criterion.pk: f"Komentarz {payload}"},
        submit=True,
    )
    jury_scores_save(
        member=member, entry=scored, values={c.pk: 6 for c in jury.criteria}, submit=True
    )
    entry_decide(
        entry=decided,
        actor=chair.user,
        status="finalist",
        distinction=f"Wyróżnienie {payload}",
        reason=f"Powód {payload}",
    )
    client.force_login(member.user)
    client.post(
        f"/konkursy/jury/{jury.edition.slug}/zgloszenia/{conflicted.pk}/konflikt/",
        {"reason": payload},
    )
    base = f"/konkursy/jury/{jury.edition.slug}/"

    pages = {
        "entry, others' comments": client.get(f"{base}zgloszenia/{scored.pk}/"),
        "entry, my conflict": client.get(f"{base}zgloszenia/{conflicted.pk}/"),
        "edition": client.get(base),
    }
    client.force_login(chair.user)
    pages["log"] = client.get(f"{base}dziennik/")
    pages["ranking"] = client.get(f"{base}ranking/")

    assert {name: problems_of_page(r.content.decode(), payload) for name, r in pages.items()} == {
        name: [] for name in pages
    }
    assert escape(f"Komentarz {payload}") in pages["entry, others' comments"].content.decode()
    assert escape(payload) in pages["entry, my conflict"].content.decode()
    assert escape(f"Powód {payload}") in pages["log"].content.decode()


# --- addresses: a javascript: link is refused, and never made clickable ------------------------

SCRIPT_ADDRESSES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
@pytest.mark.parametrize(
    ("model", "field"),
    [(PracticeLink, "url"), (Organisation, "website"), (Competition, "website")],
)
def test_model_refuses_a_script_address(model, field, address):
    with pytest.raises(ValidationError) as refusal:
        model._meta.get_field(field).clean(address, None)

    assert [error.code for error in refusal.value.error_list] == ["invalid"]


def admin_form_errors(model, data: dict, *, inline_model=None) -> dict:
    """The errors the admin's own form (or inline form) gives for `data`."""
    request = RequestFactory().get("/admin/")
    request.user = staff_in("Redaktorzy", username="redaktorka")
    model_admin = admin.site._registry[model]
    if inline_model is None:
        form_class = model_admin.get_form(request)
    else:
        inline = next(
            i for i in model_admin.get_inline_instances(request) if i.model is inline_model
        )
        form_class = inline.get_formset(request).form
    form = form_class(data=data)
    form.is_valid()
    return form.errors


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
def test_admin_link_form_refuses_a_script_address(address):
    errors = admin_form_errors(
        Practice, {"url": address, "label": "Raport", "order": 0}, inline_model=PracticeLink
    )

    assert "url" in errors


@pytest.mark.parametrize("address", SCRIPT_ADDRESSES)
def test_admin_organisation_form_refuses_a_script_website(address):
    errors = admin_form_errors(Organisation, {"name": "Gmina", "website": address})

    assert "website" in errors


@pytest.mark.parametrize("where", ["practice link", "organisation website"])
def test_script_address_that_slipped_past_validation_is_not_a_clickable_link(client, where):
    practice = PracticeFactory()
    if where == "practice link":
        PracticeLink.objects.create(practice=practice, url="javascript:alert(1)", label="Raport")
        url = practice.get_absolute_url()
    else:
        Organisation.objects.filter(pk=practice.lead_organisation_id).update(
            website="javascript:alert(1)"
        )
        url = practice.lead_organisation.get_absolute_url()

    html = client.get(url).content.decode()

    assert live_markup(html) == []


def test_content_security_policy_forbids_inline_script_on_every_page(client):
    made = hostile_catalogue(PAYLOADS[0])
    urls = pages_showing_the_payload(made)

    policies = {client.get(url)["Content-Security-Policy"] for url in urls}

    assert len(policies) == 1
    directives = dict(part.strip().split(" ", 1) for part in policies.pop().split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
