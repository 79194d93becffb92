"""The demo data is the factory's own: every text a user reads in it is Chinese."""

import io
import re

import pytest
from django.core.management import call_command

from forum.models import Board as ForumBoard
from forum.models import Post, Pseudonym, Topic
from knowledge.models import ArticlePage

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
# A word of English (four letters or more); units such as "Pa" or codes such as "LQ001" pass.
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
# Keys of StreamField values that hold settings, not words a reader sees.
SETTING_KEYS = {"level"}


def texts_of(value):
    """The strings a reader sees in a StreamField's raw value."""
    if isinstance(value, str):
        yield re.sub(r"<[^>]+>", "", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in SETTING_KEYS:
                yield from texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)


def assert_chinese(text, where):
    assert CJK.search(text), f"{where}: no Chinese in {text!r}"
    assert not ENGLISH_WORD.search(text), f"{where}: English in {text!r}"


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_knowledge_articles_are_written_in_chinese(seeded):
    articles = list(ArticlePage.objects.live().prefetch_related("tags"))
    assert len(articles) > 30
    for article in articles:
        assert_chinese(article.title, f"title of {article.slug}")
        assert_chinese(article.summary, f"summary of {article.slug}")
        for block in article.body.raw_data:
            for text in texts_of(block["value"]):
                if text.strip():
                    assert_chinese(text, f"body of {article.slug}")
        for tag in article.tags.all():
            assert_chinese(tag.name, f"tag of {article.slug}")


def test_demo_forum_is_written_in_chinese(seeded):
    assert Pseudonym.objects.exists()
    for pseudonym in Pseudonym.objects.all():
        assert CJK.search(pseudonym.name) and not re.search(r"[A-Za-z]", pseudonym.name)
    for board in ForumBoard.objects.all():
        assert_chinese(board.name, f"forum board {board.slug}")
    for topic in Topic.objects.all():
        assert_chinese(topic.title, "forum topic")
    for post in Post.objects.all():
        assert_chinese(post.body, "forum post")
