"""The posting services: counters kept in the same transaction, numbering, locks, the rate
limit, editing with history, deleting within the window."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from forum.models import Board, Post, PostRevision, Subscription, Topic
from forum.services import moderation, posting
from portal.refusals import Refusal

pytestmark = pytest.mark.django_db


def test_topic_and_replies_keep_counters_and_last_post_pointers(board, alice, bob):
    topic = posting.topic_create(
        board=board, title="Canteen", body="Soup is cold.", author=alice.pseudonym
    )
    reply = posting.post_reply(author=bob.pseudonym, topic=topic, body="Agreed.")
    topic.refresh_from_db()
    board.refresh_from_db()
    assert (topic.post_count, topic.reply_count, topic.last_post_number) == (2, 1, 2)
    assert topic.last_post == reply and reply.number == 2
    assert (board.topic_count, board.post_count, board.last_post) == (1, 2, reply)
    assert board.last_activity_at == reply.created_at == topic.last_activity_at


def test_posting_stores_the_pseudonym_not_the_user(board, alice):
    topic = posting.topic_create(board=board, title="T", body="B", author=alice.pseudonym)
    post = Post.objects.get(topic=topic)
    assert post.author == alice.pseudonym
    assert not any(f.related_model is type(alice) for f in Post._meta.get_fields())
    assert not any(f.related_model is type(alice) for f in Topic._meta.get_fields())


def test_the_author_follows_their_own_topic(board, alice):
    topic = posting.topic_create(board=board, title="T", body="B", author=alice.pseudonym)
    assert Subscription.objects.filter(pseudonym=alice.pseudonym, topic=topic).exists()


def test_rate_limit_refuses_the_post_over_the_limit_and_saves_nothing(board, alice, settings):
    settings.FORUM_POSTS_PER_MINUTE = 3
    topic = posting.topic_create(board=board, title="T", body="1", author=alice.pseudonym)
    posting.post_reply(author=alice.pseudonym, topic=topic, body="2")
    posting.post_reply(author=alice.pseudonym, topic=topic, body="3")
    with pytest.raises(posting.RateLimited) as refused, translation.override("en"):
        posting.post_reply(author=alice.pseudonym, topic=topic, body="4")
    assert "at most 3 posts per minute" in refused.value.message
    assert refused.value.status == 429
    topic.refresh_from_db()
    assert topic.post_count == 3 and Post.objects.count() == 3
    # A minute later the author may post again.
    later = timezone.now() + timedelta(seconds=61)
    posting.post_reply(author=alice.pseudonym, topic=topic, body="4", now=later)


def test_the_rate_limit_is_per_author(board, alice, bob, settings):
    settings.FORUM_POSTS_PER_MINUTE = 1
    topic = posting.topic_create(board=board, title="T", body="1", author=alice.pseudonym)
    posting.post_reply(author=bob.pseudonym, topic=topic, body="fine")


def test_a_locked_topic_takes_no_replies_except_from_moderators(board, alice, bob, moderator):
    topic = posting.topic_create(board=board, title="T", body="1", author=alice.pseudonym)
    moderation.topic_moderate(moderator=moderator, topic=topic, action="lock")
    with pytest.raises(Refusal):
        posting.post_reply(author=bob.pseudonym, topic=topic, body="2")
    from tests.factories.forum import pseudonym_for

    mod_pseudonym = pseudonym_for(moderator, "SteadyPine303")
    posting.post_reply(author=mod_pseudonym, topic=topic, body="Locked, see rules.", user=moderator)


def test_empty_and_overlong_posts_are_refused(board, alice):
    with pytest.raises(Refusal):
        posting.topic_create(board=board, title="T", body="   ", author=alice.pseudonym)
    with pytest.raises(Refusal):
        posting.topic_create(board=board, title="", body="b", author=alice.pseudonym)
    with pytest.raises(Refusal):
        posting.topic_create(
            board=board, title="T", body="x" * (posting.MAX_BODY + 1), author=alice.pseudonym
        )
    assert not Topic.objects.exists()


def test_editing_keeps_the_prior_version_and_marks_the_post_edited(board, alice, bob):
    topic = posting.topic_create(board=board, title="T", body="first", author=alice.pseudonym)
    post = topic.last_post
    posting.post_edit(author=alice.pseudonym, post=post, body="second")
    post.refresh_from_db()
    assert post.body == "second" and post.edited_at is not None
    assert list(PostRevision.objects.filter(post=post).values_list("body", flat=True)) == ["first"]
    with pytest.raises(Refusal) as refused:
        posting.post_edit(author=bob.pseudonym, post=post, body="hijack")
    assert refused.value.status == 403


def test_delete_own_post_only_within_the_window(board, alice, bob, settings):
    settings.FORUM_DELETE_WINDOW_MINUTES = 30
    topic = posting.topic_create(board=board, title="T", body="first", author=alice.pseudonym)
    reply = posting.post_reply(author=bob.pseudonym, topic=topic, body="oops")
    with pytest.raises(Refusal) as refused:
        posting.post_delete(author=alice.pseudonym, post=reply)
    assert refused.value.status == 403
    too_late = timezone.now() + timedelta(minutes=31)
    with pytest.raises(Refusal) as refused:
        posting.post_delete(author=bob.pseudonym, post=reply, now=too_late)
    assert refused.value.status == 403
    posting.post_delete(author=bob.pseudonym, post=reply)
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert reply.is_deleted and reply.body == ""
    # The deleted post is no longer anybody's "last post".
    assert topic.last_post_id == topic.posts.get(number=1).pk
    assert Board.objects.get(pk=board.pk).last_post_id == topic.last_post_id


def test_hiding_the_last_post_moves_the_last_post_pointers(board, alice, bob, moderator):
    topic = posting.topic_create(board=board, title="T", body="first", author=alice.pseudonym)
    reply = posting.post_reply(author=bob.pseudonym, topic=topic, body="spam")
    moderation.post_hide(moderator=moderator, post=reply, reason="Advertising")
    topic.refresh_from_db()
    board.refresh_from_db()
    assert topic.last_post.number == 1 and board.last_post.number == 1
    moderation.post_restore(moderator=moderator, post=reply)
    topic.refresh_from_db()
    assert topic.last_post == reply


def test_moving_a_topic_carries_its_counts(board, alice, moderator):
    other = Board.objects.create(name="Other", slug="other")
    topic = posting.topic_create(board=board, title="T", body="1", author=alice.pseudonym)
    posting.post_reply(author=alice.pseudonym, topic=topic, body="2")
    moderation.topic_move(moderator=moderator, topic=topic, board=other)
    board.refresh_from_db()
    other.refresh_from_db()
    assert (board.topic_count, board.post_count, board.last_post) == (0, 0, None)
    assert (other.topic_count, other.post_count) == (1, 2)
    assert other.last_post == Topic.objects.get(pk=topic.pk).last_post


def test_only_moderators_moderate(board, alice, bob):
    topic = posting.topic_create(board=board, title="T", body="1", author=alice.pseudonym)
    with pytest.raises(Refusal) as refused:
        moderation.topic_moderate(moderator=bob, topic=topic, action="pin")
    assert refused.value.status == 403
    with pytest.raises(Refusal) as refused:
        moderation.post_hide(moderator=bob, post=topic.last_post, reason="no")
    assert refused.value.status == 403


def test_an_official_topic_of_another_app_takes_pseudonymous_replies(alice):
    board = posting.board_ensure(slug="quality-discussion", name="Quality", owner_app="bulletins")
    topic = posting.topic_create(
        board=board, title="Ideas for fewer defects", body="Tell us.", signed_as="Quality Dept."
    )
    with pytest.raises(Refusal):
        posting.post_reply(author=alice.pseudonym, topic=topic, body="Not through the forum.")
    reply = posting.post_reply(
        author=alice.pseudonym, topic=topic, body="Better lighting.", on_behalf_of="bulletins"
    )
    topic.refresh_from_db()
    assert topic.author is None and topic.posts.get(number=1).author_label == "Quality Dept."
    assert reply.author_label == "CalmOtter101" and topic.reply_count == 1
    assert posting.board_ensure(slug="quality-discussion", name="x", owner_app="bulletins") == board
