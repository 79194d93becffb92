"""Forum boards are named in the reader's language, as departments are."""

import importlib

import feedparser
import pytest
from django.apps import apps
from django.urls import reverse

from forum.models import Board
from tests.factories.forum import BoardFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [("en", "General discussion"), ("zh-hans", "综合讨论")]


@pytest.fixture
def general(db):
    return BoardFactory(slug="general", name="综合讨论", name_en="General discussion")


def _page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "name"), LANGUAGES)
def test_forum_boards_are_listed_and_headed_in_the_readers_language(
    client, alice, general, language, name
):
    client.force_login(alice)
    index = _page(client, reverse("forum:index"), language)
    assert f'class="board-name" href="{reverse("forum:board", args=["general"])}">{name}<' in index
    board = _page(client, reverse("forum:board", args=["general"]), language)
    assert f"<h1>{name}</h1>" in board
    assert f"<title>{name} ·" in board
    new_topic = _page(client, reverse("forum:topic_create", args=["general"]), language)
    assert name in new_topic


@pytest.mark.parametrize(("language", "name"), LANGUAGES)
def test_a_forum_board_feed_is_titled_in_the_readers_language(
    client, alice, general, language, name
):
    client.force_login(alice)
    response = client.get(
        reverse("forum:board_feed", args=["general"]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert feedparser.parse(response.content).feed.title == name


def test_a_board_without_an_english_name_shows_its_chinese_one(client, alice):
    BoardFactory(slug="canteen", name="食堂与后勤", name_en="")
    client.force_login(alice)
    assert "<h1>食堂与后勤</h1>" in _page(client, reverse("forum:board", args=["canteen"]), "en")


def test_the_migration_names_the_demo_boards_in_english(general):
    migration = importlib.import_module("forum.migrations.0002_bilingual_names")
    Board.objects.update(name_en="")
    migration.name_known_boards(apps, None)
    general.refresh_from_db()
    assert general.name_en == "General discussion"
