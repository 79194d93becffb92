"""Replies posted at the same moment to one topic (PostgreSQL row locks): every reply gets its
own number, none is lost, and the counters are exact; the flood limit holds under a burst."""

import pytest

from forum.models import Board, Post, Topic
from forum.services import posting
from tests.concurrency import race
from tests.factories.forum import BoardFactory, author

# serialized_rollback: the flush after each test would otherwise leave a database without the
# migrated rows (site, page tree, roles) for the tests that run after it in the same process.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_parallel_replies_are_numbered_once_and_counted_exactly(settings):
    settings.FORUM_POSTS_PER_MINUTE = 100
    board = BoardFactory()
    authors = [author()[1] for _ in range(8)]
    topic = posting.topic_create(board=board, title="Busy", body="go", author=authors[0])

    _results, errors = race(
        8, lambda index: posting.post_reply(author=authors[index], topic=topic, body=f"r{index}")
    )
    assert errors == []
    topic = Topic.objects.get(pk=topic.pk)
    numbers = sorted(Post.objects.filter(topic=topic).values_list("number", flat=True))
    assert numbers == list(range(1, 10))
    assert (topic.post_count, topic.reply_count, topic.last_post_number) == (9, 8, 9)
    assert Board.objects.get(pk=board.pk).post_count == 9


def test_a_burst_from_one_author_stops_at_the_limit(settings):
    settings.FORUM_POSTS_PER_MINUTE = 3
    board = BoardFactory()
    _employee, pseudonym = author()
    topic = posting.topic_create(board=board, title="Flood", body="1", author=pseudonym)
    _results, errors = race(
        6, lambda index: posting.post_reply(author=pseudonym, topic=topic, body=f"{index}")
    )
    assert len(errors) == 4 and all(isinstance(e, posting.RateLimited) for e in errors)
    assert Post.objects.filter(topic=topic).count() == 3
