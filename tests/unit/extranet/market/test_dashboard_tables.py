"""A dashboard table's rows, built in one pass in Python, read as the template loop over
`portal.figures.figure_text` did: the same figures in both languages, escaped text, "—" for
no value and class="figure" on figure cells."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from extranet.market.dashboards.base import Table
from portal.figures import figure_text

KINDS = ["", "money", "count", "number", "score", "percent"]
VALUES = [
    0,
    1,
    -1,
    999,
    1000,
    -1234567,
    Decimal("0"),
    Decimal("-0.001"),
    Decimal("0.004"),
    Decimal("0.005"),
    Decimal("0.015"),
    Decimal("-12.345"),
    Decimal("147260.01"),
    Decimal("147260.010000000"),
    Decimal("200.00"),
    Decimal("12.50"),
    Decimal("-0.4"),
    Decimal("9999999.995"),
    Decimal("1E+3"),
    12.5,
    -0.05,
    1 / 3,
    1e20,
    None,
    "<b>Tom & Jerry</b>",
    date(2026, 3, 4),
]

# The template loop the table's rows replaced, kept here as the reference.
REFERENCE = Template(
    "{% for row in rows %}<tr>{% for text, kind in row %}<td{% if kind %} "
    'class="figure"{% endif %}>{{ text|default_if_none:"—" }}</td>{% endfor %}</tr>{% endfor %}'
)


def _guessed_kind(value):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return ""
    return "count" if isinstance(value, int) else "number"


def _reference_html(table):
    rows = [
        [
            (figure_text(value, table.kind_of(index)), table.kind_of(index) or _guessed_kind(value))
            for index, value in enumerate(row)
        ]
        for row in table.rows
    ]
    return REFERENCE.render(Context({"rows": rows}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_table_rows_read_as_the_template_loop_over_figure_text(language):
    table = Table("t", ["a"] * 7, [[value] * 7 for value in VALUES], kinds=KINDS)
    with translation.override(language):
        assert table.body_html() == _reference_html(table)


def test_table_rows_guess_the_kind_of_unnamed_columns():
    table = Table("t", ["a", "b"], [[1234, Decimal("1234.5")], ["x", None]])
    with translation.override("en"):
        html = table.body_html()
    assert html == _reference_html(table)
    assert html.startswith('<tr><td class="figure">1,234</td><td class="figure">1,234.5</td>')


def test_dashboard_links_are_the_dashboards_urls(intranet):
    from django.urls import reverse

    from extranet.market.dashboards import dashboard_links, dashboard_slugs

    links = dashboard_links()
    assert [slug for slug, _title, _path in links] == dashboard_slugs()
    for slug, _title, path in links:
        assert path == reverse("sales:analysis", args=[slug])
