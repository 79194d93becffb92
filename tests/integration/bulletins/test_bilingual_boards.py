"""Boards and channels are named in the reader's language, as departments are: a department's
board takes the department's English name, the channels have English titles of their own."""

import importlib
from datetime import timedelta

import feedparser
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Board
from bulletins.services import discussion_open, feed_token_for
from tests.factories.bulletins import NoticeFactory, channel

pytestmark = pytest.mark.django_db

LANGUAGES = [
    ("en", {"board": "Sales", "channel": "News (market information)", "index": "Bulletins"}),
    ("zh-hans", {"board": "销售科", "channel": "新闻（市场信息）", "index": "公告栏"}),
]


def _page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_department_board_takes_the_departments_english_name(sales, sales_board):
    assert sales_board.title == "销售科" and sales_board.title_en == "Sales"
    sales.name_en = "Sales Section"
    sales.save()
    sales_board.refresh_from_db()
    assert sales_board.title_en == "Sales Section"


@pytest.mark.parametrize(("language", "names"), LANGUAGES)
def test_the_boards_are_listed_and_headed_in_the_readers_language(
    client, intranet, employee, sales_board, language, names
):
    client.force_login(employee)
    index = _page(client, sales_board.get_parent().url, language)
    assert f">{names['board']}</a>" in index
    assert f">{names['channel']}</a>" in index
    assert f"<h1>{names['index']}</h1>" in index

    board = _page(client, sales_board.url, language)
    assert f"<h1>{names['board']}" in board

    notice = NoticeFactory(board=channel(), title="市场周报")
    page = _page(client, notice.url, language)
    assert f">{names['channel']}</a>" in page


@pytest.mark.parametrize(("language", "names"), LANGUAGES)
def test_the_home_page_names_a_discussions_board_in_the_readers_language(
    client, intranet, employee, sales_board, language, names
):
    employee.employee.department = sales_board.department
    employee.employee.save()
    now = timezone.now()
    discussion_open(
        board=sales_board,
        actor=None,
        question="如何节约用电？",
        background="",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
    )
    client.force_login(employee)
    # The home lists are cached for everyone of the department: the other language first.
    _page(client, "/", "zh-hans" if language == "en" else "en")
    home = _page(client, "/", language)
    assert f'<span class="hint">{names["board"]}</span>' in home


@pytest.mark.parametrize(("language", "names"), LANGUAGES)
def test_a_board_feed_is_titled_in_the_readers_language(
    client, intranet, employee, sales_board, language, names
):
    token = feed_token_for(user=employee)
    url = reverse("bulletins:board_feed", args=[token.token, sales_board.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert feedparser.parse(response.content).feed.title == names["board"]


def test_the_migration_names_the_known_boards_in_english(sales, sales_board):
    migration = importlib.import_module("bulletins.migrations.0005_bilingual_names")
    Board.objects.update(title_en="")
    migration.name_boards_in_english(apps, None)
    assert Board.objects.get(kind=Board.Kind.POLICIES).title_en == "Policies and regulations"
    assert Board.objects.get(pk=sales_board.pk).title_en == "Sales"
