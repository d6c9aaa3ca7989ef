"""Polish folding, sorting and search terms: the one place the catalogue handles Polish text."""

import pytest
from django.template.defaultfilters import truncatewords

from core.text import (
    after_lead,
    document_terms,
    first_words,
    fold,
    highlight,
    polish_sort_key,
    query_groups,
    slugify_pl,
    tsquery_source,
)


def test_fold_strips_polish_diacritics_and_case():
    assert fold("Łódź") == "lodz"
    assert fold("ZAŻÓŁĆ GĘŚLĄ JAŹŃ") == "zazolc gesla jazn"


def test_slugify_pl_keeps_l_with_stroke():
    assert slugify_pl("Łódź – Fabryka Aktywności Miejskiej") == "lodz-fabryka-aktywnosci-miejskiej"


def test_polish_sort_key_orders_letters_the_polish_way():
    names = ["Zabrze", "Łotwa", "Lublin", "Świdwin", "Sosnowiec", "Ćmielów", "Cieszyn", "Żory"]

    assert sorted(names, key=polish_sort_key) == [
        "Cieszyn",
        "Ćmielów",
        "Lublin",
        "Łotwa",
        "Sosnowiec",
        "Świdwin",
        "Zabrze",
        "Żory",
    ]


def test_polish_sort_key_ignores_case_and_puts_short_names_first():
    assert sorted(["łobez", "Łobez Dolny", "LUBLIN"], key=polish_sort_key) == [
        "LUBLIN",
        "łobez",
        "Łobez Dolny",
    ]


def matches(query: str, text: str) -> bool:
    """True when every word of the query shares a term with the text (the search rule)."""
    terms = set(document_terms(text))
    return all(group & terms for group in query_groups(query))


def test_search_terms_ignore_diacritics_and_case():
    for query in ("lodz", "Łódź", "LODZ", "łodz"):
        assert matches(query, "Fabryka Aktywności Miejskiej w Łodzi"), query


def test_search_terms_ignore_inflection():
    for query in ("szkoły", "szkole", "szkołach", "szkola", "szkolach"):
        assert matches(query, "Nowa szkoła podstawowa"), query
    assert matches("gmin", "Każda gmina otrzymała zadania")
    assert matches("gminach", "Gmina Jastków")


def test_search_terms_do_not_match_unrelated_words():
    assert not matches("transport", "Nowa szkoła podstawowa")
    assert not matches("szkoła autobus", "Nowa szkoła podstawowa")


def test_query_groups_keep_only_the_first_words_of_a_huge_query():
    groups = query_groups("słowo " * 2000 + " ".join(f"w{n}" for n in range(50)))

    assert len(groups) == 12


def test_tsquery_source_quotes_only_letters_and_digits():
    source = tsquery_source(query_groups("szkoła'); DROP TABLE x; -- & | ! :*"))

    assert "DROP" not in source
    assert set(source) <= set("abcdefghijklmnopqrstuvwxyz0123456789 '()&|")
    assert "'szkola'" in source


def test_similar_stems_of_known_words_do_not_meet():
    # "szkoła" (school) and "szkolenie" (training) share a stem but not a lemma.
    assert not matches("szkoły", "Szkolenia dla urzędników")
    assert not matches("szkolenia", "Nowa szkoła podstawowa")


def test_inflected_unknown_names_still_meet():
    assert matches("Muratpasy", "Gmina Muratpasa")
    assert matches("Kamenets", "„Kamenets Digital”")


def test_query_without_diacritics_finds_the_word_with_them():
    assert matches("Lodzi", "Fabryka Aktywności Miejskiej w Łodzi")
    assert matches("zrodla finansowania", "źródła finansowania")


@pytest.mark.parametrize(
    ("text", "lead", "rest"),
    [
        ("Temat edycji.  Więcej wkrótce.", "Temat edycji.", "Więcej wkrótce."),
        ("Temat\nedycji.\n\nAkapit.\nDrugi wiersz.", "Temat edycji.", "Akapit.\nDrugi wiersz."),
        ("Temat edycji.", "Temat  edycji.", ""),
        ("Inny początek. Temat edycji.", "Temat edycji.", "Inny początek. Temat edycji."),
        ("Tematyka edycji.", "Temat", "Tematyka edycji."),
        ("Temat edycji.", "", "Temat edycji."),
    ],
)
def test_after_lead_drops_the_lead_only_where_the_text_opens_with_it(text, lead, rest):
    assert after_lead(text, lead) == rest


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Jedno słowo",
        " ".join(f"słowo{n}" for n in range(40)),
        " ".join(f"słowo{n}" for n in range(41)),
        "Wiersz\npierwszy\n\n  i\tdrugi " * 20,
        " ".join(["a"] * 39 + ["…", "dalej"]),  # the 40th word is already an ellipsis
        " ".join(["a"] * 39 + ["b…", "dalej"]),
    ],
)
def test_first_words_cut_a_text_as_django_truncatewords_does(text):
    for count in (1, 5, 39, 40, 41):
        assert first_words(text, count) == truncatewords(text, count)


def test_highlight_marks_every_form_of_the_query_word_around_its_first_match():
    filler = " ".join(["Gmina prowadzi zajęcia."] * 30)
    text = f"{filler} Nowe szkoły i szkole, potem szkołach. {filler}"

    fragment = highlight(text, query_groups("szkoła"))

    assert fragment.startswith("… ") and fragment.endswith(" …")  # cut around the match
    assert "<mark>szkoły</mark> i <mark>szkole</mark>, potem <mark>szkołach</mark>" in fragment
    assert fragment.count("<mark>") == 3
    assert len(fragment) < 300


def test_highlight_of_a_text_without_the_query_word_is_its_beginning_unmarked():
    text = "Gmina <b>prowadzi</b> zajęcia. " * 30

    fragment = highlight(text, query_groups("szkoła"))

    assert fragment.startswith("Gmina &lt;b&gt;prowadzi&lt;/b&gt; zajęcia.")
    assert "<mark>" not in fragment and fragment.endswith(" …")
