"""Jinja2 templates are compiled per interface language, their literal messages in it.

catalogue.jinja2.FoldedMessages compiles `_("literal")` as its translation; the
backend (catalogue.jinja2.Jinja2) keeps an environment per language. A page must read
exactly as when each message was looked up while it rendered.
"""

import pytest
from django.template import engines
from django.utils import translation

from catalogue.jinja2 import Jinja2

# Messages of the site's own catalogues (locale/*/LC_MESSAGES/django.po).
SOURCE = (
    '{{ _("Szukaj") }}|{{ _("zgłaszający: %(name)s")|format(name=count) }}|'
    '{{ _(word) }}|{% set label = _("Szukaj") %}{{ label }}|{{ [_("Szukaj")]|length }}'
)


def render(source: str, language: str | None, **context) -> str:
    """`source` compiled by the backend's environment for `language` (None: none active)."""
    with translation.override(language):
        return engines["jinja2"].env.from_string(source).render(context)


def looked_up(source: str, language: str | None, **context) -> str:
    """The same template in the configured environment: messages looked up as it renders."""
    environment = engines["jinja2"]._environment
    with translation.override(language):
        return environment.from_string(source).render(context)


def test_backend_keeps_one_environment_per_language():
    backend = engines["jinja2"]
    assert isinstance(backend, Jinja2)
    with translation.override("en"):
        english = backend.env
    with translation.override("uk"):
        ukrainian = backend.env
    with translation.override("en"):
        assert backend.env is english
    assert english is not ukrainian
    assert english.messages_language == "en" and ukrainian.messages_language == "uk"
    with translation.override(None):
        assert backend.env is backend._environment


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_folded_template_reads_as_one_looked_up_while_rendering(language):
    context = {"count": "<b>3</b>", "word": "Szukaj"}

    folded = render(SOURCE, language, **context)

    assert folded == looked_up(SOURCE, language, **context)
    with translation.override(language):
        search = translation.gettext("Szukaj")
    assert folded.startswith(f"{search}|")
    # The values filled in are escaped, the message itself is not.
    assert "&lt;b&gt;3&lt;/b&gt;" in folded and "<b>" not in folded


def test_messages_are_compiled_into_the_template():
    with translation.override("en"):
        template = engines["jinja2"].env.from_string('<p>{{ _("Szukaj") }}</p>')
        source = engines["jinja2"].env.compile('<p>{{ _("Szukaj") }}</p>', raw=True)
        english = translation.gettext("Szukaj")
    assert english != "Szukaj"
    assert f"<p>{english}</p>" in source  # a constant, not a call
    with translation.override("pl"):
        assert template.render() == f"<p>{english}</p>"  # compiled once, for English


def test_markup_in_a_message_is_kept_as_the_site_wrote_it():
    # As remembered_gettext gives it: the site's own text is not escaped.
    assert render('{{ _("a <b>b</b> & c") }}', "pl") == "a <b>b</b> & c"
    assert looked_up('{{ _("a <b>b</b> & c") }}', "pl") == "a <b>b</b> & c"


def test_other_uses_of_underscore_are_left_as_they_are():
    # An attribute named `_` is not the message function (a variable's message is in
    # SOURCE above, looked up as the page renders).
    class Holder:
        def _(self, text):
            return text.upper()

    assert render('{{ holder._("Szukaj") }}', "en", holder=Holder()) == "SZUKAJ"


def test_without_an_active_language_messages_are_looked_up():
    assert render('{{ _("Szukaj") }}', None) == "Szukaj"
