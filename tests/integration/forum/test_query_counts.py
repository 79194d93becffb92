"""Forum pages run a bounded number of queries whatever the number of posts: measured at 100
and at 100,000 posts (made with bulk_create)."""

import pytest
from django.urls import reverse

from forum.services import posting
from tests.factories.forum import grow_board, grow_topic, topic_with_posts
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db

SIZES = (100, 100_000)


def test_the_last_page_of_a_long_topic(client, board, alice, bob):
    topic = topic_with_posts(board=board, author=alice.pseudonym, count=2)
    posting.post_edit(author=alice.pseudonym, post=topic.last_post, body="edited")
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


def posts_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in context.captured_queries if '"forum_post" p ' in query["sql"]]


def test_a_topic_page_is_a_range_of_post_numbers_not_an_offset(client, board, alice, bob):
    """The last page of a long topic reads its 20 posts by number (the unique index on topic
    and number), never by skipping the posts before it."""
    from forum.statements import topic_page

    topic = topic_with_posts(board=board, author=alice.pseudonym, count=250)
    client.force_login(bob)
    (query,) = posts_queries(client, reverse("forum:topic", args=[topic.pk]) + "?page=last")
    assert "OFFSET" not in query.upper()
    assert "p.number >" in query and "p.number <=" in query
    view = topic_page(user=bob, topic_id=topic.pk, page=100_000)
    assert [post.number for post in view.posts] == list(range(241, 251))


def test_a_board_page_walks_the_board_list_index(client, board, alice, bob):
    """Topics of a board come in the order of the (board, pinned, last activity) index, so a
    page is read from the index rather than sorted from the whole table."""
    from django.db import connection

    from forum.models import Topic
    from forum.selectors import TOPICS_PER_PAGE

    grow_board(board, 2000, author=alice.pseudonym)
    queryset = Topic.objects.filter(board=board).order_by("-is_pinned", "-last_activity_at", "-id")
    sql, params = queryset[TOPICS_PER_PAGE : 2 * TOPICS_PER_PAGE].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test-sized table is cheaper to scan; ask whether the index serves the order.
            cursor.execute("ANALYZE forum_topic")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "forum_topic_board_list" in plan
    assert "TEMP B-TREE" not in plan.upper() and "Sort " not in plan, plan


def test_a_pseudonyms_posts(client, board, alice, bob):
    topic = topic_with_posts(board=board, author=alice.pseudonym, count=2)
    client.force_login(bob)
    url = reverse("forum:pseudonym_posts", args=[alice.pseudonym.pk])
    assert_bounded_queries(
        client,
        url,
        lambda n: grow_topic(topic, n, author=alice.pseudonym),
        max_queries=12,
        sizes=(10, 200),
    )
