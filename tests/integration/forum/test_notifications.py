"""Subscriptions and @mentions notify on the portal and, when opted in, by email — through the
real task worker, by pseudonym only."""

import pytest
from django.core import mail
from django.urls import reverse

from forum.models import Notification
from forum.services import posting, pseudonyms, reading
from tests.factories.forum import BoardFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def test_a_reply_notifies_the_topic_followers_but_not_its_author(
    board, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
        reply = posting.post_reply(author=bob.pseudonym, topic=topic, body="y")
    run_worker()
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.post) == (
        alice.pseudonym,
        Notification.Kind.REPLY,
        reply,
    )


def test_a_mention_notifies_and_emails_the_opted_in_person_by_pseudonym_only(
    board, alice, bob, django_capture_on_commit_callbacks
):
    pseudonyms.pseudonym_set_preferences(pseudonym=alice.pseudonym, email_notifications=True)
    with django_capture_on_commit_callbacks(execute=True):
        posting.topic_create(
            board=board, title="Lights", body="What does @calmotter101 think?", author=bob.pseudonym
        )
    run_worker()
    assert Notification.objects.get().kind == Notification.Kind.MENTION
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    text = message.subject + message.body
    assert "BraveCrane202" in text and "Lights" in text
    assert bob.employee.name not in text and bob.username not in text
    # Running the worker again (a retry) neither notifies nor mails twice.
    from forum.tasks import notifications_deliver

    notifications_deliver.call(post_id=Notification.objects.get().post_id)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_no_email_without_opting_in(board, alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        posting.topic_create(board=board, title="T", body="@CalmOtter101 hi", author=bob.pseudonym)
    run_worker()
    assert Notification.objects.count() == 1 and mail.outbox == []


def test_board_followers_hear_of_new_topics(board, alice, bob, django_capture_on_commit_callbacks):
    reading.subscription_toggle(pseudonym=alice.pseudonym, board=board)
    with django_capture_on_commit_callbacks(execute=True):
        posting.topic_create(board=board, title="New", body="x", author=bob.pseudonym)
    run_worker()
    assert Notification.objects.get(recipient=alice.pseudonym).kind == Notification.Kind.TOPIC


def test_nobody_hears_of_a_post_on_a_board_they_cannot_read(
    alice, bob, django_capture_on_commit_callbacks
):
    # Bob's department's board; Alice works elsewhere.
    board = BoardFactory(department=bob.employee.department)
    with django_capture_on_commit_callbacks(execute=True):
        posting.topic_create(
            board=board, title="T", body="@CalmOtter101 look", author=bob.pseudonym
        )
    run_worker()
    assert not Notification.objects.exists()


def test_the_notifications_page_and_badge(
    english, board, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(board=board, title="Badge", body="x", author=alice.pseudonym)
        posting.post_reply(author=bob.pseudonym, topic=topic, body="y")
    run_worker()
    english.force_login(alice)
    page = english.get(reverse("forum:notifications")).content.decode()
    assert 'class="badge"' in page and "BraveCrane202 replied in “Badge”" in page
    english.post(reverse("forum:notifications"))
    assert 'class="badge"' not in english.get(reverse("forum:index")).content.decode()
