"""The sales pages' page links written in one pass (extranet.desk.pagination): byte for byte
what extranet/includes/pagination.html writes, in both languages, on every kind of page."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from extranet.desk.pagination import page_links


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "query",
    ["", "page=2", "status=submitted&page=3", "q=西湖 & <b>&page=x&route=R1&route=R2", "page="],
)
@pytest.mark.parametrize("count", [0, 1, 20, 21, 55, 1234])
def test_page_links_are_the_templates_links(language, query, count):
    request = RequestFactory().get(f"/sales/orders/?{query}")
    paginator = Paginator(list(range(count)), 20)
    with translation.override(language):
        for number in paginator.page_range:
            page = paginator.page(number)
            expected = render_to_string(
                "extranet/includes/pagination.html", {"page": page}, request=request
            )
            assert page_links(request.GET, page) == expected, (number, query)


def test_page_links_show_the_neighbours_in_chinese():
    request = RequestFactory().get("/sales/orders/?status=submitted&page=2")
    page = Paginator(list(range(60)), 20).page(2)
    with translation.override("zh-hans"):
        html = page_links(request.GET, page)
    assert 'href="?status=submitted&amp;page=1" rel="prev"' in html
    assert 'href="?status=submitted&amp;page=3" rel="next"' in html
    assert "第 2 页，共 3 页" in html
