"""Forum pages run a bounded number of queries whatever the number of posts: measured at 100
and at 100,000 posts (made with bulk_create)."""

import pytest
from django.urls import reverse

from forum import services
from tests.factories.forum import grow_board, grow_topic, topic_with_posts
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db

SIZES = (100, 100_000)


def test_the_last_page_of_a_long_topic(client, board, alice, bob):
    topic = topic_with_posts(board=board, author=alice.pseudonym, count=2)
    services.post_edit(author=alice.pseudonym, post=topic.last_post, body="edited")
    client.force_login(bob)
    url = reverse("forum:topic", args=[topic.pk]) + "?page=last"
    counts = assert_bounded_queries(
        client,
        url,
        lambda n: grow_topic(topic, n, author=bob.pseudonym),
        max_queries=14,
        sizes=SIZES,
    )
    assert counts


def test_a_board_page_and_the_index_and_unread(client, board, alice, bob):
    client.force_login(bob)
    # 100 posts = 50 topics of 2; 100,000 posts = 50,000 topics of 2.
    grow = lambda n: grow_board(board, n // 2, author=alice.pseudonym)  # noqa: E731
    for url in [
        reverse("forum:board", args=[board.slug]),
        reverse("forum:board", args=[board.slug]) + "?page=40",
        reverse("forum:index"),
        reverse("forum:unread"),
        reverse("forum:board_feed", args=[board.slug]),
    ]:
        assert_bounded_queries(client, url, grow, max_queries=12, sizes=SIZES)


def test_moderation_queue_and_notifications(client, board, alice, moderator):
    from forum.models import Post, Report

    topic = topic_with_posts(board=board, author=alice.pseudonym, count=2)

    def grow(n):
        grow_topic(topic, n)
        posts = Post.objects.filter(topic=topic).order_by("-number")[: n // 1000 + 2]
        Report.objects.bulk_create(
            [Report(post=post, reporter=alice.pseudonym, reason="x") for post in posts]
        )

    client.force_login(moderator)
    assert_bounded_queries(client, reverse("forum:moderation"), grow, max_queries=12, sizes=SIZES)
    client.force_login(alice)
    assert_bounded_queries(
        client, reverse("forum:notifications"), grow, max_queries=12, sizes=SIZES
    )
