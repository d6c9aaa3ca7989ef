"""Keyboard only: the skip link, a visible focus indicator on everything focusable,
and the catalogue's filters used without a mouse."""

import re

import pytest
from playwright.sync_api import expect

# What the focused element looks like, and what it looked like before anything had
# focus (recorded by BASELINE for every focusable element on the page).
BASELINE = """() => {
  window.unfocusedLook = new Map();
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  for (const el of document.querySelectorAll(focusable)) {
    const style = getComputedStyle(el);
    window.unfocusedLook.set(el, {boxShadow: style.boxShadow});
  }
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const before = window.unfocusedLook.get(el) || {boxShadow: "none"};
  const kind = el.tagName.toLowerCase() + (el.type ? "[type=" + el.type + "]" : "");
  return {
    kind: kind,
    id: el.id,
    text: (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().slice(0, 60),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    boxShadow: style.boxShadow,
    boxShadowBefore: before.boxShadow,
    inSvg: el instanceof SVGElement,
  };
}"""


def _has_focus_indicator(look: dict) -> bool:
    outline = look["outlineStyle"] != "none" and look["outlineWidth"] >= 2
    if look["inSvg"]:
        # Browsers do not paint a box-shadow (or a background) on SVG elements.
        return outline
    shadow = look["boxShadow"] != "none" and look["boxShadow"] != look["boxShadowBefore"]
    return outline or shadow


def _practices(count: int) -> str:
    """The results heading for `count` practices, with the Polish plural."""
    if count == 1:
        return "1 praktyka"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} praktyki"
    return f"{count} praktyk"


def _tab_until(page, locator, *, limit: int = 200) -> int:
    """Press Tab until `locator` has focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {locator}")


@pytest.mark.parametrize(
    ("address", "skip_text"),
    [
        ("/", "Przejdź do treści"),
        ("/praktyki/", "Przejdź do treści"),
        ("/praktyki/kijow-symulator-dom-dobrodzieja/", "Przejdź do treści"),
        ("/en/practices/", "Skip to main content"),
    ],
)
def test_skip_link_is_first_and_moves_focus_to_main(site, page, address, skip_text):
    page.goto(site + address)

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name=skip_text)
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes on from the main content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize(
    "address",
    [
        "/praktyki/?q=szkoły&type=it",
        "/praktyki/kijow-symulator-dom-dobrodzieja/",
        "/przeglad/",
        "/en/practices/",
    ],
)
def test_every_focused_element_shows_a_focus_indicator(site, page, address):
    page.goto(site + address)
    page.evaluate(BASELINE)

    seen, missing = [], []
    first = None
    for _ in range(600):
        page.keyboard.press("Tab")
        look = page.evaluate(FOCUSED)
        if look is None or look == first:  # through the page and out of it
            break
        first = first or look
        seen.append(look["kind"])
        if not _has_focus_indicator(look):
            missing.append(look)
    else:
        pytest.fail("Tab never left the page")

    assert not missing, (
        f"{len(missing)} focused element(s) without a visible focus indicator:\n"
        + (
            "\n".join(
                f"  {look['kind']} “{look['text']}”: outline-style {look['outlineStyle']}, "
                f"box-shadow {look['boxShadow']}"
                + (" (inside an <svg>: a box-shadow is not painted)" if look["inSvg"] else "")
                for look in missing
            )
        )
    )
    if address.startswith("/praktyki/?"):
        # The kinds the issue names were among them: link, checkbox, search box, button.
        assert {"a", "input[type=checkbox]", "input[type=search]", "button[type=submit]"} <= set(
            seen
        ), set(seen)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_filters_work_with_the_keyboard_alone(site, new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{site}/praktyki/")
    heading = page.locator("#results-count")
    expect(heading).to_have_text(re.compile(r"^\d+ praktyk[ai]?$"))
    everything = heading.inner_text()
    types = page.get_by_role("group", name="Typ praktyki")
    it = types.get_by_label(re.compile(r"^IT \(\d+\)$"))
    # The number of IT practices, as the box's label shows it: "IT (10)".
    label = types.locator("label", has_text=re.compile(r"^IT \(\d+\)$"))
    count = int(re.search(r"\((\d+)\)", label.inner_text()).group(1))

    _tab_until(page, it)
    page.keyboard.press("Space")

    expect(it).to_be_checked()
    if javascript:
        # The results change in place, and the focus stays on the box just ticked.
        expect(heading).to_have_text(_practices(count))
        expect(it).to_be_focused()
    else:
        expect(heading).to_have_text(everything)

    apply = page.get_by_role("button", name="Zastosuj filtry")
    _tab_until(page, apply)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/praktyki/\?(.*&)?type=it(&|$)"))
    expect(heading).to_have_text(_practices(count))
    expect(page.locator("#results .tag--type")).to_have_text(["IT"] * count)
    expect(page.locator("a.chip")).to_have_text([re.compile(r"^Typ praktyki: IT\b")])
    expect(it).to_be_checked()
