"""Template filters for the catalogue's recurring bits: periods, money, two-language fields."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import NamedTuple

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from core.dates import DatePrecision
from core.i18n import ORIGINAL_LANGUAGE, Translated, page_language, translated
from core.i18n import country_name as country_name_in_language
from core.i18n import localized as localized_field
from core.links import absolute_url, slug_url
from core.links import page_url as cached_page_url

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """{{ topic|localized:"name" }}: the text in the page's language, else the original.

    Plain text only, for places that cannot carry a `lang` (<title>, meta, attributes,
    option labels); wherever markup is possible use `{% in_language %}` instead.
    """
    return localized_field(obj, field)


@register.simple_tag(name="translated")
def translated_tag(obj, field: str) -> Translated:
    """{% translated practice "title" as title %}: text, language, is_translation."""
    return translated(obj, field)


@register.filter
def lang_attr(text: Translated) -> str:
    """` lang="pl"` on the element of a text shown in another language than the page's."""
    if isinstance(text, Translated) and text.is_fallback:
        return format_html(' lang="{}"', text.language)
    return ""


@register.simple_tag
def in_language(obj, field: str, language: str | None = None) -> str:
    """{% in_language practice "title" %}: the text, inside `<span lang="pl">` when it is
    the original shown on a page in another language (never mislabelled)."""
    text = translated(obj, field, language)
    if text.is_fallback:
        return format_html('<span lang="{}">{}</span>', text.language, text.text)
    return text.text


@register.filter
def original(text, language: str | None = None) -> str:
    """{{ organisation.name|original }}: a text kept as the sources wrote it (names have
    no translation), inside `<span lang="pl">` on a page in another language."""
    if not text:
        return ""
    if (language or page_language()) == ORIGINAL_LANGUAGE:
        return text
    return format_html('<span lang="{}">{}</span>', ORIGINAL_LANGUAGE, text)


@register.simple_tag
def language_note(*texts, language: str | None = None) -> str:
    """A short visible note after translated content: "Tekst w języku polskim" when any
    of `texts` is an untranslated original, "Tłumaczenie redakcji" when they are the
    editors' translations; nothing on a page in the original's language. Worded in the
    page's language, or `language`."""
    texts = [text for text in texts if isinstance(text, Translated) and text.text]
    if any(text.is_fallback for text in texts):
        note = _worded(language or get_language()).in_original
        return format_html('<span class="lang-note">{}</span>', note)
    if any(text.is_translation for text in texts):
        note = _worded(language or get_language()).translated
        return format_html('<span class="lang-note lang-note--translation">{}</span>', note)
    return ""


def _partial_date(value, precision: str) -> str:
    # Digits only, the same in every language of the site: no locale to look up.
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{value.month:02d}.{value.year}"
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


@register.filter
def period(practice, language: str | None = None) -> str:
    """The implementation period as precisely as the source gave it: "2014–2015", "od 04.2020"
    (worded in the page's language, or `language`)."""
    start, end = practice.started_on, practice.ended_on
    if not start and not end:
        return ""
    if start and not end:
        since = _worded(language or get_language()).since
        return since % {"start": _partial_date(start, practice.started_precision)}
    if end and not start:
        until = _worded(language or get_language()).until
        return until % {"end": _partial_date(end, practice.ended_precision)}
    first = _partial_date(start, practice.started_precision)
    last = _partial_date(end, practice.ended_precision)
    return first if first == last else f"{first}–{last}"


class _Wording(NamedTuple):
    since: str
    until: str
    about: str
    in_original: str
    translated: str


@functools.cache
def _worded(language: str | None) -> _Wording:
    """The tags' messages in `language`, kept per process: a catalogue page words an
    open period, an approximate amount or a language note for many of its twenty cards,
    and the message catalogues never change while it runs."""
    with override(language):
        return _Wording(
            _("od %(start)s"),
            _("do %(end)s"),
            _("ok. %(amount)s"),
            _("Tekst w języku polskim"),
            _("Tłumaczenie redakcji"),
        )


@register.filter
def partial_date(value, precision: str) -> str:
    """A date as precisely as the source gave it: "2017", "04.2020", "15.06.2017"."""
    return _partial_date(value, precision) if value else ""


@register.filter
def approximately(text: str, language: str | None = None) -> str:
    """An amount the source gives as approximate: "ok. 180 000 UAH" (in the page's
    language, or `language`)."""
    return _worded(language or get_language()).about % {"amount": text}


# Each language's decimal and thousand separators and grouping (Django's formats, read
# once per process): number_format looks the three up again for every amount, about
# 15 µs of a card's time.
_number_formats: dict[str | None, tuple[str, str, int]] = {}


def _formats(language: str | None = None) -> tuple[str, str, int]:
    language = language or get_language()
    found = _number_formats.get(language)
    if found is None:
        found = _number_formats[language] = (
            get_format("DECIMAL_SEPARATOR", language),
            get_format("THOUSAND_SEPARATOR", language),
            get_format("NUMBER_GROUPING", language),
        )
    return found


@register.filter
def money(amount: Decimal | None, currency: str = "", language: str | None = None) -> str:
    """4061351.04, "PLN" → "4 061 351,04 PLN" (grouped the way the page's language, or
    `language`, groups)."""
    if amount is None:
        return ""
    places = 0 if amount == amount.to_integral() else 2
    decimal, thousand, grouping = _formats(language)
    if grouping != 3:  # no language of the site groups otherwise; Django's own way then
        text = number_format(amount, places, force_grouping=True)
    else:
        # An amount has two decimal places at most (the fields' own): no rounding here.
        text = format(amount, f",.{places}f").translate({44: thousand, 46: decimal})
    return f"{text} {currency}".strip()


def grouped(number: int, language: str | None = None) -> str:
    """12000 → "12 000": a whole number grouped the way the page's language (or
    `language`) groups: number_format(number, 0, force_grouping=True), for the many
    counts of a page."""
    _decimal, thousand, grouping = _formats(language)
    if grouping != 3:
        return number_format(number, 0, force_grouping=True)
    return format(number, ",d").replace(",", thousand)


@register.filter
def web_address(value: str) -> str:
    """The address if it is an http(s) one, else "" (for href attributes).

    Forms and the fixture loader accept only web addresses; this keeps a value that
    came in another way (a raw SQL edit, a restore) from becoming a javascript: link.
    """
    scheme = value.partition(":")[0].strip().lower() if value else ""
    return value if scheme in ("http", "https") else ""


@register.filter
def country_name(code: str) -> str:
    return country_name_in_language(code)


@register.simple_tag
def json_ld(data: dict) -> str:
    """A <script type="application/ld+json"> block, safe against "</script>" in the data."""
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag
def jinja(template_name: str, **context) -> str:
    """{% jinja "includes/cards/practice_cards.html" practices=related %}: a fragment that
    a page repeats many times, rendered by the Jinja2 engine (see catalogue/jinja2.py) with
    just the given names."""
    from django.template import engines

    return mark_safe(engines["jinja2"].env.get_template(template_name).render(context))


@register.simple_tag
def page_url(viewname: str) -> str:
    """{% page_url "catalogue:home" %}: {% url %} for a page without arguments, reversed
    once per language (core.links.page_url); the header and footer name twenty."""
    return cached_page_url(viewname)


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """This page's address (path and query) in another interface language."""
    return address_in_language(context["request"], language)


def address_in_language(request, language: str) -> str:
    """The address (path and query) of `request`'s page in another interface language."""
    from django.urls import NoReverseMatch, reverse, translate_url
    from django.utils.translation import override

    # A page names each address twice (the switcher, the hreflang links): reverse once,
    # from the match the request already has (translate_url would resolve it again).
    addresses = request.__dict__.setdefault("_addresses_in_languages", {})
    if language not in addresses:
        full_path = request.get_full_path()
        match = getattr(request, "resolver_match", None)
        try:
            if match is None or not match.url_name:
                raise NoReverseMatch
            if not match.args and not match.kwargs:
                path = cached_page_url(match.view_name, language)
            elif not match.args and match.kwargs.keys() == {"slug"}:
                path = slug_url(match.view_name, match.kwargs["slug"], language)
            else:
                with override(language):
                    path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            addresses[language] = translate_url(full_path, language)
        else:
            query = full_path.partition("?")[2]
            addresses[language] = f"{path}?{query}" if query else path
    return addresses[language]


@register.filter
def absolute(path: str) -> str:
    """{{ path|absolute }}: SITE_URL's scheme and host before a site path (core.links),
    for addresses that must be absolute (`hreflang` alternates, canonical links)."""
    return absolute_url(path)


@register.filter
def plain_text_html(text: str) -> str:
    """Plain text as HTML: blank-line or line breaks make paragraphs, "- " lines make lists.

    Everything is escaped first; the seeds' texts are plain text, never HTML.
    """
    from django.utils.html import escape

    blocks: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            blocks.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            close_list()
            continue
        if line[:2] in ("- ", "• ", "– "):
            items.append(escape(line[2:].strip()))
        else:
            close_list()
            blocks.append(f"<p>{escape(line)}</p>")
    close_list()
    return mark_safe("".join(blocks))
