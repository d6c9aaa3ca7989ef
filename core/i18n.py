"""Content in several languages: the original text and its editorial translations.

A translatable field keeps the original (Polish) text in its own column (`title`) and
one column per translation language beside it (`title_en`, `title_uk`), on the same row:
lists, the catalogue index, the import and the fixtures read them without a join. A
blank translation falls back to the original, and the page must say so: `translated()`
returns the text together with its language and whether it is a translation, so a
template can give the fallback its own `lang` and a visible note.
"""

from functools import cache
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import get_language
from django_countries import countries

ORIGINAL_LANGUAGE = "pl"
# Languages that content may be translated into; each has a column `<field>_<code>`.
TRANSLATION_LANGUAGES = ("en", "uk")


class Translated(NamedTuple):
    text: str
    language: str
    is_translation: bool
    # The language that was asked for (the page's, when the text was looked up).
    wanted: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def is_fallback(self) -> bool:
        """The page wanted another language and shows the original instead."""
        return not self.is_translation and self.language != (self.wanted or page_language())


def page_language() -> str:
    """The active interface language as a bare code (`en`, `uk`, `pl`)."""
    return (get_language() or ORIGINAL_LANGUAGE).split("-")[0]


def translation_fields(*fields: str) -> list[str]:
    """The translation columns of `fields`: ("title",) → ["title_en", "title_uk"]."""
    return [f"{field}_{language}" for field in fields for language in TRANSLATION_LANGUAGES]


def with_translations(*fields: str) -> list[str]:
    """`fields` and their translation columns, for `.only()` lists."""
    return [*fields, *translation_fields(*fields)]


def translated(obj, field: str, language: str | None = None) -> Translated:
    """The text of `obj.<field>` for `language` (default: the page's).

    The translation column when it is filled, else the original with its language, so
    a caller can mark it. An empty original gives an empty text in the page's language.
    """
    language = language or page_language()
    if language in TRANSLATION_LANGUAGES:
        text = getattr(obj, f"{field}_{language}", "") or ""
        if text.strip():
            return Translated(text, language, True, language)
    original = getattr(obj, field) or ""
    if not str(original).strip():
        return Translated("", language, False, language)
    return Translated(original, ORIGINAL_LANGUAGE, False, language)


def localized(obj, field: str) -> str:
    """Just the text of `translated()`: for places with no markup (sorting, <title>)."""
    return translated(obj, field).text


@cache
def _country_names(language: str) -> dict[str, str]:
    with translation.override(language):
        return {code: str(name) for code, name in countries}


def country_name(code: str) -> str:
    """A country's name in the page's language (django-countries' names, with the
    project's COUNTRIES_OVERRIDE), read once per language and process: a catalogue
    page names about a hundred countries."""
    return country_names((code,)) if code else ""


def country_names(codes, language: str | None = None) -> str:
    """ "Polska, Ukraina": the countries `codes` in `language` (default: the page's)."""
    names = _country_names(language or page_language())
    return ", ".join(names.get(code) or str(countries.name(code)) for code in codes)
