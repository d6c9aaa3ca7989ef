"""The Jinja2 environment of the catalogue's hot fragments.

The pages are Django templates. A fragment a page repeats dozens of times (a practice
card, the facet checkboxes: about a hundred options) is a Jinja2 template instead,
included with `{% jinja "name" key=value %}` (core.templatetags.catalogue): Jinja2
compiles it to Python, and on the catalogue page it renders these parts five times
faster than the template language (bench/README.md, the run of 2026-12-06). The filters and
functions are the Django templates' own (core.templatetags.catalogue), so a card reads
the same in both.

Messages: `{{ _("…") }}` only, with a literal, so that `makemessages` (which reads
these files as Django templates) extracts them; a plural comes ready from Python.
"""

from __future__ import annotations

from django.template import defaultfilters
from django.utils import translation
from jinja2 import Environment

# The fragments' messages in each language, as Django's gettext gives them (the message
# catalogues are read once per process, so the answers never change while it runs): a
# catalogue page asks for a card's labels twenty times, each a walk through a dozen
# catalogues.
_messages: dict[tuple[str | None, str], str] = {}


def remembered_gettext(message: str) -> str:
    key = (translation.get_language(), message)
    found = _messages.get(key)
    if found is None:
        found = _messages[key] = translation.gettext(message)
    return found


def environment(**options) -> Environment:
    from core.i18n import country_names, page_language, translated
    from core.templatetags import catalogue as tags

    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(remembered_gettext, translation.ngettext, newstyle=True)
    env.filters.update(
        approximately=tags.approximately,
        capfirst=defaultfilters.capfirst,
        lang_attr=tags.lang_attr,
        money=tags.money,
        original=tags.original,
        period=tags.period,
        truncatewords=defaultfilters.truncatewords,
    )
    env.globals.update(
        country_names=country_names,
        in_language=tags.in_language,
        page_language=page_language,
        language_note=tags.language_note,
        translated=translated,
    )
    return env
