"""Pages under /uk/ speak Ukrainian: no Polish or English interface string is left.

Each page type is fetched from the real catalogue, and the text a reader meets (text
nodes and the attributes that are shown or read aloud) is searched for every Polish
msgid and every English translation of the message catalogues. Content that is
legitimately Polish (a practice's title, an untranslated site page) sits inside an
element with its own `lang`, which is left out; so is a string that Ukrainian writes
the same way (a number format, a file name, a URL path).
"""

import re
from html.parser import HTMLParser

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

LOCALE = settings.BASE_DIR / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%[sdif]|<[^>]*>")
# Shorter fragments ("Region", "Kraj", "Status") are words Ukrainian may share or
# names may contain; ten characters and more are phrases of the interface.
MIN_FRAGMENT = 10
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")

PAGES = [
    ("home", "/uk/", 200),
    ("practice-list", "/uk/practices/", 200),
    ("practice-list-filtered", "/uk/practices/?type=social&country=PL&year_from=2015", 200),
    ("practice-list-search", "/uk/practices/?q=szkoły", 200),
    ("practice-list-nothing-found", "/uk/practices/?type=it&country=UA&topic=seniorzy", 200),
    ("practice-list-invalid-address", "/uk/practices/?year_from=abc&page=99", 200),
    ("practice", "/uk/practices/gdynia-gdynskie-centrum-kontaktu/", 200),
    ("practice-awarded", "/uk/practices/kijow-symulator-dom-dobrodzieja/", 200),
    ("practice-submit", "/uk/practices/submit/", 200),
    ("organisation-list", "/uk/organisations/", 200),
    ("organisation", "/uk/organisations/zwiazek-miast-polskich/", 200),
    ("competition-list", "/uk/competitions/", 200),
    ("competition", "/uk/competitions/konkurs-dobrych-praktyk-kongresu/", 200),
    ("edition", "/uk/competitions/konkurs-dobrych-praktyk-kongresu/2020/", 200),
    ("overview", "/uk/overview/", 200),
    ("open-data", "/uk/open-data/", 200),
    ("accessibility-statement", "/uk/accessibility/", 200),
    ("privacy-notice", "/uk/privacy/", 200),
    ("contact", "/uk/contact/", 200),
    ("about", "/uk/about/", 200),
    ("sign-in", "/uk/account/sign-in/", 200),
    ("password-reset", "/uk/account/password/reset/", 200),
    ("not-found", "/uk/no-such-page/", 404),
]


class ReadableText(HTMLParser):
    """The page's text in its own language: text nodes, <title>, the meta description and
    the attributes that are shown or read aloud, outside <script>/<style> and outside
    any element whose `lang` is another language."""

    def __init__(self, language: str, content: str = ""):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.content = content
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        skip = (
            self.skipping
            or tag in {"script", "style", "template"}
            or (lang is not None and lang.split("-")[0] != self.language)
        )
        if not skip:
            self.chunks += [
                attributes[name] or "" for name in SHOWN_ATTRIBUTES if name in attributes
            ]
            if tag == "meta" and attributes.get("name") == "description":
                self.chunks.append(attributes.get("content") or "")
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.chunks.append(attributes.get("value") or "")
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)

    def is_content(self, chunk: str) -> bool:
        """A stored text of the catalogue (or a shortened part of one)."""
        return bool(self.content) and chunk.removesuffix("…").strip() in self.content

    def text(self) -> str:
        """One line per text node or attribute."""
        chunks = (" ".join(chunk.split()) for chunk in self.chunks)
        return "\n".join(chunk for chunk in chunks if chunk and not self.is_content(chunk))


def readable_text(html: str, language: str, content: str = "") -> str:
    parser = ReadableText(language, content)
    parser.feed(html)
    parser.close()
    return parser.text()


def fragments(text: str) -> list[str]:
    """The literal parts of a message, between its placeholders and tags."""
    parts = (" ".join(part.split()) for part in PLACEHOLDER.split(text))
    return [part.strip(' .,:;–—()„”“"') for part in parts]


def strings(entry: polib.POEntry, translated: bool) -> list[str]:
    if not translated:
        return [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def foreign_phrases() -> dict[str, str]:
    """phrase → where it comes from: every Polish msgid and English translation, in
    fragments of at least MIN_FRAGMENT characters that Ukrainian does not write alike."""
    english = {
        (e.msgctxt, e.msgid): e for e in polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    }
    ukrainian_catalogue = polib.pofile(str(LOCALE / "uk/LC_MESSAGES/django.po"))
    # What Ukrainian writes as is somewhere (a file name, a code value like "investment")
    # is no slip where it appears.
    ukrainian = " ".join(text for e in ukrainian_catalogue for text in strings(e, translated=True))
    phrases = {}
    for entry in ukrainian_catalogue:
        sources = [("pl", text) for text in strings(entry, translated=False)]
        if (entry.msgctxt, entry.msgid) in english:
            en_entry = english[(entry.msgctxt, entry.msgid)]
            sources += [("en", text) for text in strings(en_entry, translated=True)]
        for language, text in sources:
            for fragment in fragments(text):
                if (
                    len(fragment) >= MIN_FRAGMENT
                    and re.search(r"[^\W\d_]{3}", fragment)
                    and fragment not in ukrainian
                ):
                    phrases.setdefault(fragment, f"{language}: {entry.msgid[:60]!r}")
    return phrases


def stored_content() -> str:
    """Every text the catalogue stores (names, titles, summaries, descriptions), one per
    line, whitespace folded.

    Polish content on a /uk/ page is to be marked `lang="pl"` (issue 25's content
    translations do it), and marked content is left out by the parser. Until every
    block is marked, a text node that is stored content is left out here explicitly:
    this test is about the interface, `tests/browser` checks the marks.
    """
    texts = []
    for model in apps.get_models():
        if model._meta.app_label not in {"organisations", "practices", "competitions"}:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        for row in model._default_manager.values_list(*fields):
            texts += [" ".join(str(value).split()) for value in row if value]
    return "\n".join(texts)


@pytest.fixture(scope="module")
def phrases():
    found = foreign_phrases()
    assert len(found) > 1000  # the catalogues were read
    return found


@pytest.mark.parametrize(("address", "status"), [pytest.param(a, s, id=n) for n, a, s in PAGES])
def test_ukrainian_page_has_no_polish_or_english_interface_string(
    client, catalogue, phrases, address, status
):
    response = client.get(address)
    html = response.content.decode()

    assert response.status_code == status
    assert re.search(r'<html lang="uk">', html)
    text = readable_text(html, "uk", content=stored_content())
    left = sorted(
        f"{phrase!r} ({origin})"
        for phrase, origin in phrases.items()
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    )
    assert left == []


def test_readable_text_leaves_out_what_is_marked_as_another_language():
    html = (
        '<html lang="uk"><head><title>Практики</title>'
        '<meta name="description" content="Опис"></head><body>'
        '<h1 lang="pl">Gdyńskie Centrum Kontaktu <b>i</b> coś</h1><br>'
        '<p>Переможець <span lang="en">Winner</span> конкурсу</p>'
        '<nav aria-label="Навігація"><script>var a = "Szukaj";</script></nav>'
        '<input type="submit" value="Шукати"></body></html>'
    )

    assert readable_text(html, "uk").split("\n") == [
        "Практики",
        "Опис",
        "Переможець",
        "конкурсу",
        "Навігація",
        "Шукати",
    ]


def test_readable_text_leaves_out_stored_content_even_shortened():
    html = "<p>Gdyńskie Centrum Kontaktu</p><p>Miasto uruchomiło…</p><p>Нова заявка</p>"
    content = "Gdyńskie Centrum Kontaktu\nMiasto uruchomiło centrum kontaktu."

    assert readable_text(html, "uk", content=content) == "Нова заявка"


def test_a_polish_msgid_left_on_a_ukrainian_page_is_found(phrases):
    text = readable_text(
        "<p>Переможець</p><p>Nie znaleźliśmy praktyk spełniających te warunki.</p>", "uk"
    )

    assert any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in phrases)


def test_language_switch_offers_each_language_in_itself(client, catalogue):
    body = client.get("/uk/practices/?type=it").content.decode()
    switch = body[body.index('<ul class="language-switch">') :]
    switch = switch[: switch.index("</ul>")]

    assert '<span aria-current="true" lang="uk">Українська</span>' in switch
    assert '<a href="/praktyki/?type=it" hreflang="pl" lang="pl">Polski' in switch
    assert '<a href="/en/practices/?type=it" hreflang="en" lang="en">English' in switch
