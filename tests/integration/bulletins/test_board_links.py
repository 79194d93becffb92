"""The index and feeds pages list boards as rows (`BoardLink`), not pages: each row's address
is the one `{% pageurl board %}` wrote, its title and "you publish here" what the page instance
gave, for every board, in both languages."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page

from bulletins.board_links import boards_for_index
from bulletins.models import Board, BulletinIndexPage
from bulletins.permissions import managed_boards
from portal.models import User
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


def _request():
    return RequestFactory().get("/bulletins/", HTTP_HOST="127.0.0.1")


def _expected(user, request):
    managed = managed_boards(User.objects.get(pk=user.pk))
    return [
        (board.pk, board.get_url(request=request), str(board.display_title), board.pk in managed)
        for board in Board.objects.live().order_by("department__sort_order", "pk")
    ]


def _found(lists):
    return [
        (board.pk, board.url, str(board.display_title), board.managed)
        for board in [*lists["channels"], *lists["department_boards"]]
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_are_the_pages_address_and_title(intranet, sales_head, sales, language):
    DepartmentFactory(code="sales-east", name="东区", name_en="", parent=sales)
    DepartmentFactory(code="odd-dept", name="特殊 & <科>", name_en="Odd & <Dept>")
    index = BulletinIndexPage.objects.get()
    request = _request()
    user = User.objects.get(pk=sales_head.user.pk)
    with translation.override(language):
        lists = boards_for_index(user=user, index=index, request=request)
        found = sorted(_found(lists), key=lambda row: row[0])
        expected = sorted(_expected(user, request), key=lambda row: row[0])
        assert found == expected
        # Not under the index (as if): every board's address is Wagtail's own.
        home = Page.objects.get(pk=index.get_parent().pk)
        other = boards_for_index(user=user, index=home, request=request)
        assert sorted(_found(other), key=lambda row: row[0]) == expected
    assert any(row[3] for row in found) and not all(row[3] for row in found)
    assert {board.kind for board in lists["channels"]} == set(Board.CHANNELS)
    assert all(board.kind == Board.Kind.DEPARTMENT for board in lists["department_boards"])


def test_the_index_and_feeds_pages_read_no_more_queries_with_more_boards(
    client, intranet, sales_head
):
    from tests.querycount import assert_bounded_queries

    client.force_login(sales_head.user)

    def grow(size):
        while Board.objects.count() < size + 3:
            DepartmentFactory()

    for url in ("/bulletins/", "/bulletins/feeds/"):
        assert_bounded_queries(client, url, grow, max_queries=6)
