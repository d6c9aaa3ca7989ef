"""The small Markdown subset the site's editable pages are written in (core.SitePage).

What an editor may write:

    ## Heading            a section; `## Heading {#some-id}` gives it an id
    ### Heading           a subsection
    - item                a list item (a line indented under it continues it)
    plain lines           a paragraph (a blank line ends it)
    [text](https://…)     a link (http, https, mailto, or an address on the site: /…)
    **text**              strong emphasis
    {name}                a placeholder the page fills in (its names: core.sitepages)

Everything is escaped first and only these few constructs become HTML, so nothing an
editor types can add a script, a style or an attribute: no sanitiser is needed. Plain
Markdown readers show the same text, so the shipped pages read well as files too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HEADING = re.compile(r"^(#{2,3})\s+(.+?)(?:\s+\{#([a-z][a-z0-9-]*)\})?\s*$")
LIST_ITEM = re.compile(r"^[-*]\s+(.*)$")
PLACEHOLDER = re.compile(r"\{([a-z][a-z_]*)\}")
LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:|/)[^\s()<>]*)\)")
STRONG = re.compile(r"\*\*(.+?)\*\*")

# name → its HTML, or None to leave `{name}` as written.
Placeholders = Callable[[str], str | None]


def placeholder_names(text: str) -> set[str]:
    """The `{name}` placeholders a text uses."""
    return set(PLACEHOLDER.findall(text))


def _inline(text: str, placeholders: Placeholders) -> str:
    parts = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(_format(text[position : match.start()]))
        value = placeholders(match.group(1))
        parts.append(value if value is not None else escape(match.group(0)))
        position = match.end()
    parts.append(_format(text[position:]))
    return "".join(parts)


def _format(text: str) -> str:
    html = escape(text)
    html = LINK.sub(r'<a href="\2">\1</a>', html)
    return STRONG.sub(r"<strong>\1</strong>", html)


def render_markup(
    text: str,
    placeholders: Placeholders = lambda name: None,
    blocks: Placeholders = lambda name: None,
) -> SafeString:
    """The HTML of `text`. `placeholders(name)` gives a placeholder's inline HTML;
    `blocks(name)` the HTML that replaces a paragraph made of that placeholder alone
    (a list of contacts, say); either returns None for a name it does not know."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = " ".join(paragraph)
            alone = PLACEHOLDER.fullmatch(joined)
            block = blocks(alone.group(1)) if alone else None
            out.append(block if block is not None else f"<p>{_inline(joined, placeholders)}</p>")
            paragraph.clear()
        if items:
            rendered = "".join(f"<li>{_inline(item, placeholders)}</li>" for item in items)
            out.append(f"<ul>{rendered}</ul>")
            items.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = HEADING.match(line)
        item = LIST_ITEM.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            ident = f' id="{heading.group(3)}"' if heading.group(3) else ""
            content = _inline(heading.group(2), placeholders)
            out.append(f"<h{level}{ident}>{content}</h{level}>")
        elif item:
            if paragraph:
                flush()
            items.append(item.group(1))
        elif items and raw[:1] in (" ", "\t"):
            items[-1] += " " + line
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(out))
