"""Forum data for tests: pseudonyms tied to employees, boards, topics and posts.

Topics and posts made through `topic_with_posts()` go through `bulk_create` with their counters
set the way the posting services keep them, so that tests can make 100,000 posts in seconds.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from forum.models import Board, Identity, Post, Pseudonym, Topic
from forum.rendering import render_markdown
from tests.factories.people import EmployeeFactory


class PseudonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pseudonym

    name = factory.Sequence(lambda n: f"QuietHeron{n:03d}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")
    description = "A place to talk."


def pseudonym_for(user, name=None) -> Pseudonym:
    """Give `user` a pseudonym (as if they had chosen it)."""
    pseudonym = PseudonymFactory(**({"name": name} if name else {}))
    Identity.objects.create(user=user, pseudonym=pseudonym)
    return pseudonym


def author(name=None):
    """A new employee with a pseudonym: (employee, pseudonym)."""
    employee = EmployeeFactory()
    return employee, pseudonym_for(employee.user, name)


def topic_with_posts(*, board, author, count, title="A topic", start=None):
    """A topic with `count` posts (the first one opening it), counters as the services keep
    them. Posts are a minute apart, ending now."""
    now = timezone.now()
    start = start or now - timedelta(minutes=count)
    topic = Topic.objects.create(
        board=board,
        title=title,
        author=author,
        created_at=start,
        post_count=count,
        reply_count=count - 1,
        last_post_number=count,
        last_activity_at=start + timedelta(minutes=count - 1),
    )
    html = render_markdown("Some **words** here.")
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                number=number,
                author=author,
                body="Some **words** here.",
                body_html=html,
                created_at=start + timedelta(minutes=number - 1),
            )
            for number in range(1, count + 1)
        ],
        batch_size=2000,
    )
    last = Post.objects.get(topic=topic, number=count)
    Topic.objects.filter(pk=topic.pk).update(last_post=last)
    Board.objects.filter(pk=board.pk).update(
        topic_count=board.topic_count + 1,
        post_count=board.post_count + count,
        last_post=last,
        last_activity_at=topic.last_activity_at,
    )
    board.refresh_from_db()
    topic.refresh_from_db()
    return topic


def grow_topic(topic, total, *, author=None):
    """Add posts to `topic` until it has `total` (counters kept as the services keep them)."""
    topic.refresh_from_db()
    author = author or topic.author
    missing = total - topic.post_count
    if missing <= 0:
        return topic
    now = timezone.now()
    html = render_markdown("More **words**.")
    first = topic.last_post_number + 1
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                number=number,
                author=author,
                body="More **words**.",
                body_html=html,
                created_at=now - timedelta(seconds=total - number),
            )
            for number in range(first, first + missing)
        ],
        batch_size=5000,
    )
    last = Post.objects.get(topic=topic, number=first + missing - 1)
    Topic.objects.filter(pk=topic.pk).update(
        post_count=total,
        reply_count=total - 1,
        last_post_number=last.number,
        last_post=last,
        last_activity_at=last.created_at,
    )
    Board.objects.filter(pk=topic.board_id).update(
        post_count=topic.board.post_count + missing,
        last_post=last,
        last_activity_at=last.created_at,
    )
    topic.refresh_from_db()
    return topic


def grow_board(board, topics, *, author, posts_per_topic=2):
    """Bring `board` to `topics` topics of `posts_per_topic` posts, in bulk."""
    existing = Topic.objects.filter(board=board).count()
    missing = topics - existing
    if missing <= 0:
        return
    now = timezone.now()
    created = Topic.objects.bulk_create(
        [
            Topic(
                board=board,
                title=f"Topic {existing + index}",
                author=author,
                created_at=now - timedelta(minutes=index),
                post_count=posts_per_topic,
                reply_count=posts_per_topic - 1,
                last_post_number=posts_per_topic,
                last_activity_at=now - timedelta(minutes=index),
                is_pinned=index % 50 == 0,
            )
            for index in range(missing)
        ],
        batch_size=5000,
    )
    if created[0].pk is None:  # backends that return no keys
        created = list(Topic.objects.filter(board=board).order_by("-id")[:missing])
    html = render_markdown("Words.")
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                number=number,
                author=author,
                body="Words.",
                body_html=html,
                created_at=topic.created_at,
            )
            for topic in created
            for number in range(1, posts_per_topic + 1)
        ],
        batch_size=5000,
    )
    # Last-post pointers in one statement per board (as the services would have left them).
    from django.db.models import OuterRef, Subquery

    last = Post.objects.filter(topic=OuterRef("pk")).order_by("-number").values("pk")[:1]
    Topic.objects.filter(board=board, last_post__isnull=True).update(last_post=Subquery(last))
    Board.objects.filter(pk=board.pk).update(
        topic_count=topics,
        post_count=Post.objects.filter(topic__board=board).count(),
        last_post=Topic.objects.filter(board=board).order_by("-last_activity_at").first().last_post,
        last_activity_at=now,
    )
