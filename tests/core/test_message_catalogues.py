"""Every message catalogue is complete, and what Django reads (.mo) is what was written (.po).

The interface's msgids are Polish; `locale/en` and `locale/uk` translate every one of
them. `locale/pl` holds only the plural forms Polish needs beyond msgid/msgid_plural
(gettext's fallback knows two forms; Polish and Ukrainian have three).

polib (a test dependency) reads the .po files: Django has no PO parser. The .mo files
are read with the standard library's gettext, as Django reads them.
"""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
# Language → (number of plural forms, does every msgid need a translation).
CATALOGUES = {"en": (2, True), "uk": (3, True), "pl": (3, False)}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%[sdif]")
TAG = re.compile(r"</?[a-z][^>]*>")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in catalogue(language) if not entry.obsolete]


def label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid[:80]!r}"


def forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: a plural form is checked against msgid_plural."""
    if entry.msgid_plural:
        return [(entry.msgid_plural, text) for _i, text in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_header_names_its_language_and_plural_forms(language):
    po = catalogue(language)
    nplurals, _required = CATALOGUES[language]

    assert po.metadata["Language"] == language
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert re.match(rf"nplurals={nplurals}; plural=", po.metadata["Plural-Forms"])
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", ["en", "uk"])
def test_catalogue_translates_every_msgid(language):
    untranslated = [label(e) for e in entries(language) if not all(t for _s, t in forms(e))]

    assert untranslated == [], f"{len(untranslated)} msgids without a translation"


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_has_no_fuzzy_entry(language):
    assert [label(e) for e in entries(language) if "fuzzy" in e.flags] == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_plural_entries_have_every_form(language):
    nplurals, _required = CATALOGUES[language]
    incomplete = [
        label(entry)
        for entry in entries(language)
        if entry.msgid_plural
        and (
            sorted(entry.msgstr_plural) != list(range(nplurals))
            or not all(entry.msgstr_plural.values())
        )
    ]

    assert incomplete == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_translations_keep_placeholders_and_markup(language):
    broken = []
    for entry in entries(language):
        for source, text in forms(entry):
            if not text:
                continue  # Polish singular entries fall back to the msgid itself
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                broken.append((label(entry), "placeholders", text))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
                broken.append((label(entry), "markup", text))
            if source.endswith("\n") != text.endswith("\n"):
                broken.append((label(entry), "final line break", text))

    assert broken == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_compiled_catalogue_is_the_po_file(language):
    """A .mo compiled from an older .po would show yesterday's strings: compare them."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected = {}
    for entry in entries(language):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            if any(entry.msgstr_plural.values()):
                expected.update({(key, i): text for i, text in entry.msgstr_plural.items()})
        elif entry.msgstr:
            expected[key] = entry.msgstr
    compiled = {key: text for key, text in compiled.items() if key != ""}  # the header

    stale = sorted(str(key) for key in expected.keys() ^ compiled.keys())
    changed = sorted(
        str(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key]
    )
    assert (stale, changed) == ([], []), "compile it: msgfmt -o django.mo django.po"


def django_own_msgids() -> set[str]:
    """Django's own strings (written in English) that the code reuses, such as the admin's
    "Add %s": English needs no translation of them, Polish and Ukrainian do."""
    own: set[str] = set()
    for domain_dir in ("conf", "contrib/admin"):
        mo = Path(django.__file__).parent / domain_dir / "locale/pl/LC_MESSAGES/django.mo"
        with mo.open("rb") as file:
            keys = gettext.GNUTranslations(file)._catalog
        own |= {key if isinstance(key, str) else key[0] for key in keys}
    return own


def source_copy(target: Path) -> None:
    """The project's Python and template files (what makemessages reads), nothing else."""

    def ignore(directory: str, names: list[str]) -> list[str]:
        here = Path(directory)
        return [
            name
            for name in names
            if name.startswith(".")
            or name in {"locale", "tests", "__pycache__", "node_modules"}
            or ((here / name).is_file() and Path(name).suffix not in {".py", ".html", ".txt"})
        ]

    shutil.copytree(ROOT, target, ignore=ignore)


needs_xgettext = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext (xgettext) is not installed; .ci/run installs it",
)


@pytest.fixture(scope="module")
def extracted_entries(tmp_path_factory) -> list[polib.POEntry]:
    """The msgids `makemessages` extracts from a copy of the source (run once)."""
    copy = tmp_path_factory.mktemp("messages") / "source"
    source_copy(copy)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "uk", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return list(polib.pofile(str(copy / "locale" / "uk" / "LC_MESSAGES" / "django.po")))


@pytest.mark.slow
@needs_xgettext
def test_catalogues_hold_every_msgid_of_the_source(extracted_entries):
    """Re-extract the msgids from the code as `makemessages` would and find each one in
    every catalogue: a new `{% translate %}` without a translation fails here."""
    extracted = {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in extracted_entries}
    assert len(extracted) > 1000  # the extraction did run over the whole project

    missing = {}
    for language, (_nplurals, required) in CATALOGUES.items():
        held = {
            (e.msgctxt, e.msgid, e.msgid_plural)
            for e in entries(language)
            if required or e.msgid_plural
        }
        wanted = extracted if required else {key for key in extracted if key[2]}
        if language == "en":
            wanted = {key for key in wanted if key[1] not in django_own_msgids()}
        if gaps := sorted(f"{msgid!r}" for _ctx, msgid, _plural in wanted - held):
            missing[language] = gaps

    assert missing == {}, "msgids in the code that a catalogue does not translate"


JINJA_MESSAGE = re.compile(r"""\b_\(\s*(["'])(.*?)\1\s*\)""")
JINJA_CALL = re.compile(r"""\b(_|gettext|ngettext|pgettext)\(""")


def test_jinja2_fragments_ask_for_messages_as_makemessages_reads_them():
    """`makemessages` reads the Jinja2 fragments (templates/jinja2, catalogue/jinja2.py) as
    Django templates: it extracts `{{ _("literal") }}` and nothing else. A call with
    arguments or a variable would leave its message out of every catalogue."""
    fragments = sorted((ROOT / "templates" / "jinja2").rglob("*.html"))
    assert fragments
    messages = 0
    for path in fragments:
        text = path.read_text(encoding="utf-8")
        calls = len(JINJA_CALL.findall(text))
        literals = JINJA_MESSAGE.findall(text)
        assert calls == len(literals), f"{path.name}: a message call makemessages cannot read"
        messages += len(literals)
    assert messages >= 10


@pytest.mark.slow
@needs_xgettext
def test_makemessages_extracts_the_jinja2_fragments_messages(extracted_entries):
    """A message a fragment passes anywhere but a whole `{{ _("…") }}` (a macro's
    argument, a multi-line call) is missing here."""
    extracted = {entry.msgid for entry in extracted_entries}
    wanted = {
        message
        for path in (ROOT / "templates" / "jinja2").rglob("*.html")
        for _quote, message in JINJA_MESSAGE.findall(path.read_text(encoding="utf-8"))
    }

    assert "Brak opcji dla bieżących wyników." in wanted
    assert wanted <= extracted
