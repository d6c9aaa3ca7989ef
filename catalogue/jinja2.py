"""The Jinja2 environment of the catalogue's hot pages and fragments.

The catalogue's list, a practice's page and an organisation's page are the pages a
visitor (and a crawler trying filter combinations) asks for most; they are Jinja2
templates (templates/jinja2/catalogue/), with the site's frame (jinja2/base.html,
the header, the footer, the messages) and the pagination. Jinja2 compiles a template
to Python: the template language took about 3.5 ms of an uncached catalogue page
rendering the frame alone (bench/README.md). The other pages stay Django templates;
their base.html takes the same header, footer and messages from here, with
`{% jinja "name" key=value %}` (core.templatetags.catalogue), as it takes a fragment a
page repeats many times (a practice card, the facet checkboxes). The filters and
functions are the Django templates' own (core.templatetags.catalogue), so a text reads
the same in both.

Jinja2 renders a template as a generator of pieces, and a piece passes through a
Python loop in every template around it (an include, a block, the page that extends
the base). The base template gathers the body into one string (`{% set body %}`), and
so do the fragments with a piece per option or card (the facets, the cards): a few
thousand pieces of a catalogue page no longer climb four levels each, about a tenth
of its rendering (bench/README.md).

Messages: `{{ _("…") }}` only, with a literal, so that `makemessages` (which reads
these files as Django templates) extracts them; a message with values is
`{{ _("… %(name)s …")|format(name=value) }}` (the values are escaped, as
`{% blocktranslate %}` escapes them); a plural comes ready from Python.

Each interface language has a Jinja2 environment of its own (`Jinja2`, the backend),
whose templates are compiled with their literal messages already in that language
(`FoldedMessages`): a catalogue page showed about 340 messages, each a call from the
template, a language lookup and a dictionary lookup (about 2.5 µs each), and now shows
text compiled into the template, merged with the markup around it. The message
catalogues are read once per process, so a compiled translation never goes stale.
"""

from __future__ import annotations

from functools import partial

from django.contrib.messages import get_messages
from django.template import defaultfilters
from django.template.backends.jinja2 import Jinja2 as DjangoJinja2
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.utils import translation
from jinja2 import Environment
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from core.links import page_url

# The messages in each language, as Django's gettext gives them (the message catalogues
# are read once per process, so the answers never change while it runs): a catalogue
# page asks for a card's labels twenty times, each a walk through a dozen catalogues.
_messages: dict[tuple[str | None, str], Markup] = {}


def remembered_gettext(message: str) -> Markup:
    """The message in the page's language, as markup: the site's own text (a
    `{% blocktranslate %}` leaves its msgstr unescaped too)."""
    key = (translation.get_language(), message)
    found = _messages.get(key)
    if found is None:
        found = _messages[key] = Markup(translation.gettext(message))
    return found


class FoldedMessages(Extension):
    """`_("literal")` compiled as its message in the environment's language
    (`messages_language`; none: looked up when the page renders, as `remembered_gettext`).

    The call becomes `("the message"|safe)`: markup, as `remembered_gettext` gives it,
    and a constant Jinja2 folds into the text around it; `|format(…)` after it fills the
    values at render time, escaped as before. Any other use of `_` (a variable, more
    arguments, an attribute `x._`) is left as it was.
    """

    def filter_stream(self, stream: TokenStream):
        language = getattr(self.environment, "messages_language", None)
        if language is None:
            yield from stream
            return
        tokens = list(stream)
        number = 0
        while number < len(tokens):
            token = tokens[number]
            call = tokens[number : number + 4]
            if (
                token.test("name:_")
                and [t.type for t in call] == ["name", "lparen", "string", "rparen"]
                and (number == 0 or tokens[number - 1].type != "dot")
            ):
                with translation.override(language):
                    message = translation.gettext(call[2].value)
                line = token.lineno
                yield Token(line, "lparen", "(")
                yield Token(line, "string", message)
                yield Token(line, "pipe", "|")
                yield Token(line, "name", "safe")
                yield Token(line, "rparen", ")")
                number += 4
            else:
                yield token
                number += 1


class Jinja2(DjangoJinja2):
    """Django's Jinja2 backend with an environment per interface language (module doc):
    `env` is the active language's, an overlay of the configured environment with its
    own compiled templates. Without an active language (translations deactivated), the
    configured environment itself, which looks messages up as a page renders."""

    @property
    def env(self) -> Environment:
        language = translation.get_language()
        if language is None:
            return self._environment
        found = self._by_language.get(language)
        if found is None:
            # A cache of its own (Jinja2's default size): the configured environment's
            # templates are not folded.
            found = self._environment.overlay(cache_size=400)
            found.messages_language = language
            # The pages' addresses in this language: no lookup of the language for each
            # of the twenty a page names (an overlay shares its parent's globals: copied).
            found.globals = {
                **found.globals,
                "page_url": partial(page_url, language=language),
            }
            self._by_language[language] = found
        return found

    @env.setter
    def env(self, environment: Environment) -> None:
        # Django's backend sets it once, from OPTIONS["environment"].
        self._environment = environment
        self._by_language: dict[str, Environment] = {}


def fill(message: str, /, **values) -> str:
    """`{{ _("%(label)s: „%(value)s”")|format(label=…, value=…) }}`: Jinja2's own `format`
    filter, which names its first argument `value` (a message's placeholder here); the
    values are escaped, as `%` on markup escapes them."""
    return message % values


def page_address(request, number: int) -> str:
    """`?type=it&page=3`: the request's query string with page `number` (a filter survives
    paging). The rest of the query is encoded once per request, not once per page link."""
    rest = request.__dict__.get("_query_without_page")
    if rest is None:
        query = request.GET.copy()
        query.pop("page", None)
        rest = request.__dict__["_query_without_page"] = query.urlencode()
    return f"?{rest}&page={number}" if rest else f"?page={number}"


def environment(**options) -> Environment:
    from catalogue.cards import practice_cards_html
    from competitions.templatetags.competitions_tags import has_jury_seat
    from core.i18n import country_names, page_language, translated
    from core.sitepages import contact
    from core.templatetags import catalogue as tags

    env = Environment(extensions=["jinja2.ext.i18n", FoldedMessages], **options)
    # Old style: `_()` only looks the message up; the `format` filter fills its values.
    env.install_gettext_callables(remembered_gettext, translation.ngettext, newstyle=False)
    env.filters.update(
        absolute=tags.absolute,
        approximately=tags.approximately,
        capfirst=defaultfilters.capfirst,
        country_name=tags.country_name,
        lang_attr=tags.lang_attr,
        format=fill,
        localized=tags.localized,
        money=tags.money,
        original=tags.original,
        partial_date=tags.partial_date,
        period=tags.period,
        plain_text_html=tags.plain_text_html,
        truncatechars=defaultfilters.truncatechars,
        truncatewords=defaultfilters.truncatewords,
        urlencode=defaultfilters.urlencode,
        web_address=tags.web_address,
    )
    env.globals.update(
        country_names=country_names,
        csrf_field=csrf_input,  # not `csrf_input`: the backend passes a page that name
        get_language=translation.get_language,
        get_messages=get_messages,
        has_jury_seat=lambda request: has_jury_seat({"request": request}),
        in_language=tags.in_language,
        json_ld=tags.json_ld,
        language_note=tags.language_note,
        page_language=page_language,
        page_address=page_address,
        page_url=tags.page_url,
        practice_cards_html=practice_cards_html,
        site_contact=contact,
        static=static,
        translated=translated,
        url_in_language=tags.address_in_language,
    )
    return env
