"""Boards and notices are found in one query (`bulletins.models.route_board_or_notice`) instead
of Wagtail's walk down the page tree: the same page for every address, and the same links."""

import re

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page

from bulletins.models import route_board_or_notice
from portal.sites import site_for_face
from tests.factories.bulletins import NoticeFactory

pytestmark = pytest.mark.django_db


def _request():
    request = RequestFactory().get("/")
    request._wagtail_site = site_for_face("intranet")
    return request


def _walked(path):
    """What Wagtail's own routing finds at `path`: the page, or None (404)."""
    root = Page.objects.get(pk=site_for_face("intranet").root_page_id).specific
    try:
        return root.route(_request(), [part for part in path.split("/") if part]).page
    except Http404:
        return None


def _path(page):
    return page.relative_url(site_for_face("intranet"))[1:]


def test_every_address_finds_the_page_wagtails_routing_finds(intranet, sales_board, quality):
    from tests.factories.bulletins import board_of

    notice = NoticeFactory(board=sales_board, slug="safety-month")
    draft = NoticeFactory(board=sales_board, slug="draft", live=False)
    other_board = board_of(quality)
    paths = [
        _path(sales_board),
        _path(notice),
        _path(draft),
        _path(other_board),
        f"{_path(other_board)}safety-month/",  # a notice of another board
        f"{_path(sales_board)}no-such-notice/",
        "bulletins/no-such-board/",
    ]
    found = {}
    for path in paths:
        route = route_board_or_notice(_request(), path)
        found[path] = route.page if route is not None else None
        # Where the one query finds nothing, Wagtail routes the request its own way.
        if found[path] is not None:
            assert found[path] == _walked(path), path
            assert type(found[path]) is type(_walked(path)), path
    assert found[_path(sales_board)] == sales_board
    assert found[_path(notice)] == notice
    assert found[_path(other_board)] == other_board
    assert _walked(_path(draft)) is None


def test_board_and_notice_pages_answer_as_before(client, intranet, employee, sales_board):
    notice = NoticeFactory(board=sales_board, slug="safety-month", title="安全月通知")
    NoticeFactory(board=sales_board, slug="draft", live=False)
    client.force_login(employee)
    board_url = sales_board.relative_url(site_for_face("intranet"))
    assert client.get(board_url).context["page"] == sales_board
    response = client.get(notice.relative_url(site_for_face("intranet")))
    assert response.status_code == 200
    assert response.context["page"] == notice
    assert client.get(f"{board_url}draft/").status_code == 404
    assert client.get(f"{board_url}no-such-notice/").status_code == 404
    assert client.get(f"{board_url}safety-month/extra/").status_code == 404


def test_the_boards_list_links_each_notice_at_its_own_address(
    client, intranet, employee, sales_board
):
    notices = [
        NoticeFactory(board=sales_board, slug="safety-month"),
        NoticeFactory(board=sales_board, slug="安全月-2"),
        NoticeFactory(board=sales_board, slug="pinned_notice", pinned=True),
    ]
    client.force_login(employee)
    page = client.get(sales_board.url).content.decode()
    listed = re.findall(r'<li class="notice-item[^"]*">\s*<a href="([^"]+)"', page)
    site = site_for_face("intranet")
    # Relative, as Wagtail's pageurl wrote them for a page of the same site.
    assert sorted(listed) == sorted(notice.relative_url(site) for notice in notices)
    assert all(url.startswith("/bulletins/") for url in listed)
    assert any(url.endswith("/%E5%AE%89%E5%85%A8%E6%9C%88-2/") for url in listed)
