"""The search page's kind filters link where `{% querystring kind=… page=None %}` did."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from portal.search.views import with_kind

QUERIES = [
    "q=%E5%BC%A0%E4%BC%9F",
    "q=zw&kind=people",
    "kind=documents&q=a+b&page=3",
    "q=x&page=2&kind=forum&kind=people",
    "page=2",
    "",
    "q=%26%3D&extra=1&page=x",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("kind", [None, "people", "mass-notices"])
def test_kind_links_are_what_the_querystring_tag_writes(query, kind):
    request = RequestFactory().get(f"/search/?{query}")
    tag = Template("{% querystring kind=kind page=None %}")
    context = Context({"kind": kind}, autoescape=False)
    context.request = request  # what a RequestContext carries, without context processors
    expected = tag.render(context)
    assert with_kind(request.GET, kind) == expected
