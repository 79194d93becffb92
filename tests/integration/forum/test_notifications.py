"""Subscriptions and @mentions notify on the portal and, when opted in, by email — through the
real task worker, by pseudonym only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

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


def _whole_mail(message) -> str:
    """Everything a mail server or a forwarded copy shows: headers, subject and body."""
    return message.message().as_string() + message.subject + message.body


def test_a_mention_mail_names_no_pseudonym_no_topic_and_no_text(
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
    text = _whole_mail(message)
    for secret in ("CalmOtter101", "calmotter101", "BraveCrane202", "Lights", "What does"):
        assert secret not in text
    assert bob.employee.name not in text and bob.username not in text
    assert reverse("forum:notifications") in message.body
    # Running the worker again (a retry) neither notifies nor mails twice.
    from forum.tasks import notifications_deliver

    notifications_deliver.call(post_id=Notification.objects.get().post_id)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_reply_mail_names_neither_the_topic_nor_the_replier(
    board, alice, bob, django_capture_on_commit_callbacks
):
    pseudonyms.pseudonym_set_preferences(pseudonym=alice.pseudonym, email_notifications=True)
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(
            board=board, title="Night shift rota", body="Who swaps?", author=alice.pseudonym
        )
        posting.post_reply(author=bob.pseudonym, topic=topic, body="Me, on Tuesday")
    run_worker()
    assert Notification.objects.get().kind == Notification.Kind.REPLY
    (message,) = mail.outbox
    assert message.to == [alice.email]
    text = _whole_mail(message)
    for secret in ("CalmOtter101", "BraveCrane202", "Night shift rota", "Tuesday", "Who swaps"):
        assert secret not in text


def test_notifications_close_together_make_one_mail(
    board, alice, bob, django_capture_on_commit_callbacks
):
    pseudonyms.pseudonym_set_preferences(pseudonym=alice.pseudonym, email_notifications=True)
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
    with django_capture_on_commit_callbacks(execute=True):
        posting.post_reply(author=bob.pseudonym, topic=topic, body="one")
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        posting.post_reply(author=bob.pseudonym, topic=topic, body="two @CalmOtter101")
    run_worker()
    assert Notification.objects.filter(recipient=alice.pseudonym).count() == 2
    assert len(mail.outbox) == 1


def test_a_notification_after_the_quiet_period_is_mailed_again(
    board, alice, bob, settings, django_capture_on_commit_callbacks
):
    settings.FORUM_MAIL_QUIET_MINUTES = 0
    pseudonyms.pseudonym_set_preferences(pseudonym=alice.pseudonym, email_notifications=True)
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
    for body in ("one", "two"):
        with django_capture_on_commit_callbacks(execute=True):
            posting.post_reply(author=bob.pseudonym, topic=topic, body=body)
        run_worker()
        Notification.objects.update(emailed_at=timezone.now() - timedelta(minutes=1))
    assert len(mail.outbox) == 2


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
