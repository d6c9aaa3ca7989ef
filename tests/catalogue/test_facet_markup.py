"""A facet group's checkboxes are written by catalogue.facets.option_html, not the
template: what a reader and a screen reader get must be what the template gave."""

from django.template import engines
from django.utils import translation

from catalogue.facets import FacetGroup, FacetOption


def rendered(groups) -> str:
    template = engines["jinja2"].env.get_template("includes/facet_groups.html")
    with translation.override("pl"):
        return template.render({"facet_groups": groups, "facet_groups_approximate": False})


def test_an_option_is_a_labelled_checkbox_with_its_count():
    group = FacetGroup(
        "topic",
        "Temat",
        [
            FacetOption("edukacja", "edukacja", 12, True),
            FacetOption("zdrowie", "zdrowie", 0, False),
            FacetOption("seniorzy", "seniorzy", 3, False, language="pl"),
        ],
    )

    html = rendered([group])

    assert (
        '<li>\n<input type="checkbox" name="topic" value="edukacja" id="f-topic-1" checked>\n'
        '<label for="f-topic-1">Edukacja <span class="facet__count" '
        'data-facet-count="topic:edukacja">(12)</span></label>\n</li>'
    ) in html
    assert '<li class="is-empty">\n<input type="checkbox" name="topic" value="zdrowie"' in html
    assert 'id="f-topic-2">' in html  # not checked
    assert '<label for="f-topic-3"><span lang="pl">Seniorzy</span> <span' in html


def test_an_option_escapes_what_it_shows():
    hostile = '"><script>alert(1)</script>'
    group = FacetGroup("country", "Kraj", [FacetOption(hostile, hostile, 1, True)])

    html = rendered([group])

    assert "<script>" not in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'data-facet-count="country:&#34;&gt;&lt;script&gt;' in html


def test_regions_stay_under_their_country_headings():
    options = [
        FacetOption("mazowieckie", "mazowieckie", 4, False, subgroup="Polska"),
        FacetOption("Lwowski", "Lwowski", 2, False, subgroup="Ukraina"),
    ]

    html = rendered([FacetGroup("region", "Region", options)])

    polska, ukraina = html.index(">Polska</legend>"), html.index(">Ukraina</legend>")
    assert polska < html.index('value="mazowieckie"') < ukraina < html.index('value="Lwowski"')
