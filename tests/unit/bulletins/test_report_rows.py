"""The acknowledgement report's rows written in Python (bulletins.report_rows) say what the
template loops said: `{% querystring %}`'s links, escaped names, times in the reader's zone."""

from datetime import UTC, datetime
from types import SimpleNamespace

from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils.translation import override

from bulletins.report_rows import _querystring, department_rows_html, people_rows_html


def _tag(query: str, **changes) -> str:
    request = RequestFactory().get("/r/" + query)
    arguments = " ".join(
        f"{key}={'None' if value is None else repr(value)}" for key, value in changes.items()
    )
    return Template("{% querystring " + arguments + " %}").render(RequestContext(request))


def test_links_are_what_the_querystring_tag_writes():
    for query in ["", "?show=pending", "?department=3&page=2", "?q=<a>&show=done&page=4"]:
        params = QueryDict(query.lstrip("?"))
        for changes in ({"department": "7", "page": None}, {"show": None, "page": None}):
            assert _querystring(params, **changes) == _tag(query, **changes), (query, changes)


def test_rows_escape_names_and_mark_the_selected_department():
    department = SimpleNamespace(pk=7, display_name="<生产科>")
    rows = [{"department": department, "read": 3, "acknowledged": 2, "total": 5}]
    with override("en"):
        html = department_rows_html(rows, selected=rows[0], query=QueryDict("show=done"))
    assert html.startswith('<tr aria-current="true"><th scope="row">&lt;生产科&gt;</th>')
    assert '<a href="?show=done&amp;department=7#people">Show people</a>' in html
    people = [
        {
            "name": "张<b>",
            "department": department,
            "read_at": datetime(2026, 12, 1, 1, 30, tzinfo=UTC),
            "acknowledged_at": None,
        }
    ]
    html = people_rows_html(people)
    assert '<td class="person-name">张&lt;b&gt;</td>' in html
    assert "<td>2026-12-01 09:30</td><td>—</td>" in html


def test_each_department_link_is_the_querystring_of_its_department():
    departments = [SimpleNamespace(pk=pk, display_name="科") for pk in (3, 12, 7)]
    rows = [{"department": d, "read": 0, "acknowledged": 0, "total": 1} for d in departments]
    for query in ["", "department=3&page=2", "q=DEPARTMENT&show=done", "show=pending"]:
        params = QueryDict(query)
        html = department_rows_html(rows, selected=None, query=params)
        for department in departments:
            link = _querystring(params, department=str(department.pk), page=None)
            assert f'<a href="{link}#people">' in html, (query, department.pk)
