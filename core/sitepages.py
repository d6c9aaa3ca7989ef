"""The pages a public body must publish: the accessibility statement, the privacy notice
and the contact page (core.SitePage), with what they show from settings.

Each page's text is written by its editors in the admin (core.markup), in Polish,
English and Ukrainian; the operator's name, contacts, the site's dates and the retention period
are placeholders filled from settings, so a page cannot say something else than the
site does. A page with no row, or with an empty body in a language, shows the text
shipped in `core/site_pages/<slug>.<language>.md` (the first migration loads the
same files): the site never shows an empty statement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.enums import SitePageSlug
from core.links import site_origin
from core.markup import render_markup
from core.models import SitePage

SHIPPED_DIR = Path(__file__).resolve().parent / "site_pages"
# When the shipped texts were written and last reviewed (the statement's own dates).
SHIPPED_PREPARED_ON = datetime.date(2026, 12, 6)
SHIPPED_REVIEWED_ON = datetime.date(2026, 12, 6)

# Inline placeholders: name → (setting or page field, the model statement's element id).
# The ids are those of the model accessibility statement (gov.pl), which tools that
# monitor statements read; each is given to the placeholder's first use on a page.
INLINE = {
    "site_owner": "a11y-podmiot",
    "site_url": "a11y-url",
    "site_published_on": "a11y-data-publikacja",
    "site_updated_on": "a11y-data-aktualizacja",
    "prepared_on": "a11y-data-sporzadzenie",
    "reviewed_on": "a11y-data-przeglad",
    "owner_address": None,
    "contact_email": None,
    "contact_phone": None,
    "dpo_email": None,
    "retention_days": None,
}
# Block placeholders: a paragraph made of one of these alone becomes a list of contacts.
BLOCKS = {"contact_details", "accessibility_contact"}
PLACEHOLDERS = frozenset(INLINE) | BLOCKS


@dataclass(frozen=True)
class PageText:
    title: str
    body: str
    prepared_on: datetime.date
    reviewed_on: datetime.date | None
    # The language the title and body are written in: Polish on a page in a language the
    # site pages are not written in (none of WRITTEN_IN), which the template then marks.
    language: str = "pl"


def shipped_text(slug: str, language: str) -> tuple[str, str]:
    """(title, body) of the page as shipped: the file's first line is `# Title`."""
    text = (SHIPPED_DIR / f"{slug}.{language}.md").read_text(encoding="utf-8")
    first, _newline, body = text.partition("\n")
    return first.removeprefix("# ").strip(), body.strip()


WRITTEN_IN = ("pl", "en", "uk")


def page_text(page: SitePage | None, slug: str, language: str) -> PageText:
    """The page's title and body in `language` (Polish, English or Ukrainian; Polish for
    any other), falling back to the shipped text where the row, or its text in that
    language, is missing."""
    language = language.split("-")[0]
    if language not in WRITTEN_IN:
        language = "pl"
    title, body = shipped_text(slug, language)
    if page is None:
        return PageText(title, body, SHIPPED_PREPARED_ON, SHIPPED_REVIEWED_ON, language)
    own_title = getattr(page, f"title_{language}")
    own_body = getattr(page, f"body_{language}")
    if own_body.strip():
        title, body = own_title.strip() or title, own_body
    return PageText(title, body, page.prepared_on, page.reviewed_on, language)


def _date(value: str | datetime.date | None) -> str:
    if not value:
        return _("nie podano")
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value.isoformat()  # the model statement asks for YYYY-MM-DD


def contact() -> dict[str, str]:
    """Who runs the site and how to reach them, as configured (empty values left out)."""
    return {
        "owner_name": settings.SITE_OWNER_NAME,
        "owner_address": settings.SITE_OWNER_ADDRESS,
        "email": settings.SITE_CONTACT_EMAIL,
        "phone": settings.SITE_CONTACT_PHONE,
        "dpo_email": settings.DATA_PROTECTION_OFFICER_EMAIL,
        "accessibility_name": settings.ACCESSIBILITY_CONTACT_NAME,
        "accessibility_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "accessibility_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
    }


def _mail(address: str) -> str:
    return format_html('<a href="mailto:{}">{}</a>', address, address) if address else ""


def _inline_values(text: PageText) -> dict[str, str]:
    origin = site_origin()
    return {
        "site_owner": format_html("{}", settings.SITE_OWNER_NAME),
        "site_url": format_html('<a href="{}/">{}</a>', origin, origin.split("://", 1)[-1]),
        "site_published_on": format_html("{}", _date(settings.SITE_PUBLISHED_ON)),
        "site_updated_on": format_html("{}", _date(settings.SITE_UPDATED_ON)),
        "prepared_on": format_html("{}", _date(text.prepared_on)),
        "reviewed_on": format_html("{}", _date(text.reviewed_on)),
        "owner_address": format_html("{}", settings.SITE_OWNER_ADDRESS or _("nie podano")),
        "contact_email": _mail(settings.SITE_CONTACT_EMAIL) or _("nie podano"),
        "contact_phone": format_html("{}", settings.SITE_CONTACT_PHONE or _("nie podano")),
        "dpo_email": _mail(settings.DATA_PROTECTION_OFFICER_EMAIL) or _("nie podano"),
        "retention_days": str(settings.PERSONAL_DATA_RETENTION_DAYS),
    }


def render_page(text: PageText) -> SafeString:
    """The page's body as HTML, its placeholders filled in."""
    values = _inline_values(text)
    used: set[str] = set()

    def inline(name: str) -> str | None:
        if name not in INLINE:
            return None
        ident = INLINE[name]
        if ident is None or ident in used:
            return values[name]
        used.add(ident)
        return format_html('<span id="{}">{}</span>', ident, values[name])

    def block(name: str) -> str | None:
        if name not in BLOCKS:
            return None
        return render_to_string(f"core/includes/{name}.html", {"contact": contact()})

    return render_markup(text.body, inline, block)


def site_page(slug: str) -> tuple[PageText, SafeString]:
    """The page in the active language, ready to show (one query)."""
    if slug not in SitePageSlug.values:
        raise ValueError(f"no such site page: {slug}")
    text = page_text(SitePage.objects.filter(slug=slug).first(), slug, get_language() or "pl")
    return text, render_page(text)
