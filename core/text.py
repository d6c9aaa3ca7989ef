"""Polish text handling in one place: folding, slugs, sort keys and search terms.

Search matches a document and a query when they share a *term*. Both sides get
their terms from the same function, `word_terms()`, so whatever folding is done
to one is done to the other:

* lower case and no diacritics ("Łódź" → "lodz"), so diacritics never matter;
* for a word the Morfeusz 2 dictionary (SGJP) knows, every lemma it gives
  ("szkołach" → "szkola"; "gmin" → "gmin", "gmina"), so inflection never matters;
* for a word it does not know (names, foreign words), the folded form and its
  Snowball Polish stem, so inflected names still meet.

A query word the dictionary does not know may be a Polish word typed without
diacritics ("szkolach"); the query also tries it with them put back
(`query_word_terms`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.utils.text import slugify

POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
# Letters go above every ASCII punctuation mark and digit, in Polish order, so
# that a plain code-point comparison (collation "C") sorts like a Polish reader.
_SORT_CODE = {letter: chr(0x100 + index) for index, letter in enumerate(POLISH_ALPHABET)}
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# A term is letters and digits only: safe to quote inside a tsquery.
_TERM = re.compile(r"[^\W_]+")
# Lexemes longer than this are useless for search and PostgreSQL rejects > 2 kB.
MAX_TERM_LENGTH = 60


def fold(text: str) -> str:
    """Lower-case `text` and strip its diacritics ("Łódź" → "lodz")."""
    text = text.lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify_pl(text: str) -> str:
    """A URL slug that keeps Polish letters readable ("Łódź" → "lodz", not "odz")."""
    return slugify(fold(text))


@lru_cache(maxsize=4096)
def polish_sort_key(text: str) -> str:
    """A key that sorts names in Polish alphabetical order (Ł after L, Ś after S).

    Remembered: the catalogue sorts the same few hundred labels on every page."""
    key = []
    for char in text.lower():
        if char in _SORT_CODE:
            key.append(_SORT_CODE[char])
            continue
        base = fold(char)
        key.append("".join(_SORT_CODE.get(c, c) for c in base))
    return "".join(key)


@lru_cache(maxsize=1)
def _morfeusz():
    import morfeusz2

    return morfeusz2.Morfeusz(generate=False, expand_tags=False)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("polish")


@lru_cache(maxsize=1)
def _english_stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


# English terms share the search vector with the Polish ones, told apart by this prefix
# (a Polish word never starts with "0en": `_TERM` parts of a text are whole words).
ENGLISH_PREFIX = "0en"
# Words an English query may carry that say nothing about a practice; searching for them
# would also rule out every practice not yet translated (all query words must match).
_ENGLISH_STOP_WORDS = (
    "a an and are as at be by for from how in into is it its of on or that the their "
    "this to was were what which who with"
)
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split())


def _analyse(word: str) -> tuple[set[str], bool]:
    """Morfeusz's folded lemmas of `word`, and whether the dictionary knows it."""
    lemmas, known = set(), False
    for _start, _end, (_form, lemma, tag, _names, _labels) in _morfeusz().analyse(word):
        if tag == "interp":
            continue
        if tag != "ign":
            known = True
        # Morfeusz marks homonyms as "gmina:s1"; the part before ":" is the lemma.
        lemmas.update(_TERM.findall(fold(lemma.split(":", 1)[0])))
    return lemmas, known


def _usable(terms) -> frozenset[str]:
    # One-letter terms ("w", "z", the "e" of "e-usługi") would match almost anything.
    return frozenset(term for term in terms if 2 <= len(term) <= MAX_TERM_LENGTH)


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> frozenset[str]:
    """The search terms of one word, the same for documents and queries.

    A word the dictionary knows gives its folded lemmas only ("szkołach" →
    "szkola"; "szkolenia" → "szkolenie", so the two never meet). A word it does
    not know (a name, a foreign word, an inflected foreign name) gives its
    folded form and its Snowball stem, so "Muratpasy" finds "Muratpasa".
    """
    lemmas, known = _analyse(word)
    if known:
        return _usable(lemmas)
    terms = set(lemmas)
    for part in _TERM.findall(fold(word)):
        terms.add(part)
        terms.add(_stemmer().stemWord(part))
    return _usable(terms)


@lru_cache(maxsize=200_000)
def english_word_terms(word: str) -> frozenset[str]:
    """The English search terms of one word: its Snowball English stem, prefixed so it
    meets only English terms ("schools" and "school" → "0enschool"). Stop words give none."""
    terms = set()
    for part in _TERM.findall(fold(word)):
        if part in ENGLISH_STOP_WORDS:
            continue
        stem = _english_stemmer().stemWord(part)
        if len(stem) >= 2:
            terms.add(ENGLISH_PREFIX + stem[:MAX_TERM_LENGTH])
    return frozenset(terms)


def english_document_text(parts: Iterable[str]) -> str:
    """The English terms of several English texts (editorial translations), for the
    same `to_tsvector('simple', …)` document as the Polish ones."""
    return " ".join(
        term for part in parts for word in words(part) for term in sorted(english_word_terms(word))
    )


# Letters a query typed without Polish diacritics may have lost.
_DIACRITICS = {
    "a": "aą",
    "c": "cć",
    "e": "eę",
    "l": "lł",
    "n": "nń",
    "o": "oó",
    "s": "sś",
    "z": "zźż",
}
_MAX_RESTORED = 256


@lru_cache(maxsize=20_000)
def _restored_terms(word: str) -> frozenset[str]:
    """Lemmas of the Polish words `word` could be with its diacritics put back.

    "szkolach" is no word, but "szkołach" is: the query then also searches for
    "szkola"; "Lodzi" is a rare word, but "Łodzi" the usual one. At most 256
    spellings are tried.
    """
    lowered = word.lower()
    options = [_DIACRITICS.get(char, char) for char in lowered]
    total = 1
    for choices in options:
        total *= len(choices)
    if total == 1 or total > _MAX_RESTORED:
        return frozenset()
    terms: set[str] = set()
    for spelling in itertools.product(*options):
        candidate = "".join(spelling)
        if candidate == lowered:
            continue
        lemmas, known = _analyse(candidate)
        if known:
            terms |= lemmas
    return _usable(terms)


def query_word_terms(word: str) -> frozenset[str]:
    """A query word's terms: as for documents, plus, for a word typed without any
    Polish diacritics, the readings with diacritics put back."""
    terms = word_terms(word)
    if fold(word) == word.lower():
        terms |= _restored_terms(word)
    return terms


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def document_terms(text: str) -> list[str]:
    """The search terms of a whole text, as a space-separated-ready list."""
    terms: list[str] = []
    for word in words(text):
        terms.extend(sorted(word_terms(word)))
    return terms


def document_text(parts: Iterable[str]) -> str:
    """Fold several texts into one string of terms for `to_tsvector('simple', …)`."""
    return " ".join(term for part in parts for term in document_terms(part))


def query_groups(query: str, limit: int = 12, *, language: str = "pl") -> list[frozenset[str]]:
    """The query's words, each as the set of terms any of which may match.

    Only the first `limit` distinct words count: a 5,000-character query is
    searched by its beginning rather than refused. An English query (`language="en"`)
    also matches each word's English stem in the English texts, and drops English
    stop words; a Polish one is searched exactly as before.
    """
    english = language == "en"
    groups: list[frozenset[str]] = []
    seen: set[str] = set()
    # A hyphenated query word ("Kamieniec-Podolski", "e-usługi") needs each of its parts.
    parts = [part for word in words(query) for part in re.split(r"[-'’]", word) if part]
    for word in parts:
        key = fold(word)
        if key in seen or (english and key in ENGLISH_STOP_WORDS):
            continue
        seen.add(key)
        terms = query_word_terms(word[:MAX_TERM_LENGTH])
        if english:
            terms |= english_word_terms(word[:MAX_TERM_LENGTH])
        if terms:
            groups.append(terms)
        if len(groups) >= limit:
            break
    return groups


def tsquery_source(groups: list[frozenset[str]]) -> str:
    """A `to_tsquery('simple', …)` source: AND of words, OR of each word's terms.

    Terms are made only of letters and digits (see `_TERM`), so quoting them as
    tsquery literals is enough to keep any user input inert.
    """
    return " & ".join(
        "(" + " | ".join(f"'{term}'" for term in sorted(group)) + ")" for group in groups
    )


@lru_cache(maxsize=100_000)
def _matches(word: str, wanted: frozenset[str]) -> bool:
    """Whether `word` shares a term with `wanted` (a page's snippets repeat their words,
    and a query its terms). English terms are prefixed: they meet only an English
    query's terms."""
    return not (word_terms(word).isdisjoint(wanted) and english_word_terms(word).isdisjoint(wanted))


def highlight(text: str, groups: list[frozenset[str]], *, length: int = 260) -> str:
    """An HTML-safe fragment of `text` around the first matching word, matches in <mark>.

    A word matches when it shares a term with any word of the query (the same
    rule as the search itself), so "szkoły" marks "szkole" and "Łódź" marks "lodz".
    """
    from django.utils.html import escape

    text = " ".join((text or "").split())
    wanted = frozenset().union(*groups) if groups else frozenset()
    # Each distinct word is looked up once (a text repeats its words).
    verdicts: dict[str, bool] = {}

    def matches(word: str) -> bool:
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = _matches(word[:MAX_TERM_LENGTH], wanted)
        return verdict

    # The words are read up to the end of the fragment, not through a long description.
    found = (
        match.span() for match in (_WORD.finditer(text) if wanted else ()) if matches(match.group())
    )
    first = next(found, None)
    start = 0
    if first and first[0] > length // 3:
        start = text.rfind(" ", 0, first[0] - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + length // 2)
    spans = [first] if first else []
    for span in found:
        if span[0] >= end:
            break
        spans.append(span)
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces).strip() + suffix


def first_words(text: str, count: int) -> str:
    """Django's `truncatewords` filter: the first `count` words of `text` (its spacing and
    line breaks made single spaces), " …" after them when words were left out. Without
    its lazy Truncator: a page of twenty cards cuts twenty summaries."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    shown = " ".join(words[:count])
    return shown if shown.endswith(" …") else f"{shown} …"


def after_lead(text: str, lead: str) -> str:
    """`text` without `lead` where it opens with it (compared word for word, whatever the
    spacing and line breaks): a page that shows an edition's theme as its lead does not
    repeat it as the first sentence of the description. The rest keeps its own line
    breaks; a text that does not open with the lead is returned whole."""
    lead_words = lead.split()
    if not lead_words:
        return text
    position = 0
    for word in lead_words:
        found = re.compile(r"\s*" + re.escape(word)).match(text, position)
        if not found:
            return text
        position = found.end()
    if position < len(text) and not text[position].isspace():
        return text  # the lead ends inside a word of the text
    return text[position:].strip()
