# ruff: noqa: E501 - the old template is quoted as it was
"""The browse axes and order links of the knowledge lists written in Python
(knowledge.facets, portal.querystrings): the same HTML as the template and `{% querystring %}`
they replace, in both languages, with every value escaped."""

from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils.translation import gettext, override, pgettext

from knowledge.facets import facets_html, sorts_html
from knowledge.listing import Facet
from portal.querystrings import QueryStrings

# knowledge/_facets.html as it was, rendered with the same values to compare.
OLD_FACETS = """{% load i18n %}
<nav class="kb-facets" aria-label="{% translate 'Browse by classification' %}">
  <h2 class="kb-facet-title">{% translate "Knowledge types" context "knowledge" %}</h2>
  <ul class="filters">
    <li><a href="{% querystring type=None page=None %}"{% if not selected_type %} aria-current="true"{% endif %}>{% translate "All types" %}</a></li>
    {% for facet in types %}
    <li><a href="{% querystring type=facet.value page=None %}"{% if selected_type.slug == facet.value %} aria-current="true"{% endif %}>{{ facet.label }} <span class="count">({{ facet.count }})</span></a></li>
    {% endfor %}
  </ul>
  {% if departments or selected_department %}
  <h2 class="kb-facet-title">{% translate "Departments" context "knowledge" %}</h2>
  <ul class="filters">
    <li><a href="{% querystring department=None page=None %}"{% if not selected_department %} aria-current="true"{% endif %}>{% translate "All departments" %}</a></li>
    {% for facet in departments %}
    <li><a href="{% querystring department=facet.value page=None %}"{% if selected_department.code == facet.value %} aria-current="true"{% endif %}>{{ facet.label }} <span class="count">({{ facet.count }})</span></a></li>
    {% endfor %}
  </ul>
  {% endif %}
</nav>
"""

OLD_SORTS = (
    '{% for key, label in sorts %}<li><a href="{% querystring sort=key page=None %}"'
    '{% if browse.sort == key %} aria-current="true"{% endif %}>{{ label }}</a></li>{% endfor %}'
)

QUERIES = [
    "",
    "type=storage&sort=views",
    "page=3",
    "department=a%26b&q=%3Cb%3E+%22x%22&q=%E7%83%9F%E5%8F%B6&page=2&type=safety",
]


def _render(template, query, **context):
    request = RequestFactory().get("/knowledge/?" + query)
    return Template("{% load i18n %}" + template).render(_context(request, context))


def _context(request, values):
    return RequestContext(request, values)


def _axes():
    types = [
        Facet(value="storage", label='仓储<b>&"', count=30),
        Facet(value="safety", label="Safety", count=0),
    ]
    departments = [Facet(value="a&b", label="<b>Sales</b>", count=1200)]
    return types, departments


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("selected", [False, True])
def test_facets_are_the_templates(language, query, selected):
    types, departments = _axes()
    selected_type = SimpleNamespace(slug="storage") if selected else None
    selected_department = SimpleNamespace(code="a&b") if selected else None
    values = {
        "types": types,
        "departments": departments,
        "selected_type": selected_type,
        "selected_department": selected_department,
    }
    with override(language):
        expected = _render(OLD_FACETS, query, **values)
        written = facets_html(**values, query=QueryDict(query))
    assert written == expected
    assert "<b>" not in written


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_departments_and_none_selected_leaves_the_axis_out(language):
    types, _departments = _axes()
    values = {"types": types, "departments": [], "selected_type": None, "selected_department": None}
    with override(language):
        expected = _render(OLD_FACETS, "sort=views", **values)
        written = facets_html(**values, query=QueryDict("sort=views"))
    assert written == expected
    assert pgettext("knowledge", "Departments") not in written


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("query", QUERIES)
def test_sort_links_are_the_templates(language, query):
    with override(language):
        sorts = [("newest", gettext("Newest")), ("views", '<b>&"')]
        expected = _render(OLD_SORTS, query, sorts=sorts, browse={"sort": "views"})
        written = sorts_html(sorts, current="views", query=QueryStrings(QueryDict(query)))
    assert written == expected


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(
    "changes", [{}, {"page": None}, {"page": 4}, {"type": "新", "page": None}, {"q": ["a", "b"]}]
)
def test_querystrings_are_the_tags(query, changes):
    request = RequestFactory().get("/?" + query)
    tag = "{% querystring " + " ".join(f"{key}=v_{key}" for key in changes) + " %}"
    expected = Template(tag).render(
        _context(request, {f"v_{key}": value for key, value in changes.items()})
    )
    assert QueryStrings(request.GET)(**changes) == expected
