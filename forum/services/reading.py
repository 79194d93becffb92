"""What each reader keeps: how far they have read a topic, what they follow, which of their
notifications they have seen."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Notification, Pseudonym, Subscription, Topic, TopicRead
from forum.services.posting import subscribe
from portal.refusals import Refusal


def topic_mark_read(*, user, topic: Topic, number: int) -> None:
    """Remember that `user` has read `topic` up to post `number` (never backwards)."""
    updated = TopicRead.objects.filter(user=user, topic=topic, last_read_number__lt=number).update(
        last_read_number=number
    )
    if not updated:
        TopicRead.objects.bulk_create(
            [TopicRead(user=user, topic=topic, last_read_number=number)], ignore_conflicts=True
        )


def subscription_toggle(*, pseudonym: Pseudonym, topic=None, board=None) -> bool:
    """Follow or stop following a topic or board; returns whether it is now followed."""
    if pseudonym is None:
        raise Refusal(_("Choose a pseudonym before posting."))
    with transaction.atomic():
        deleted, _rows = Subscription.objects.filter(
            pseudonym=pseudonym, topic=topic, board=board
        ).delete()
        if deleted:
            return False
        subscribe(pseudonym, topic=topic, board=board)
    return True


def notifications_mark_read(*, pseudonym: Pseudonym) -> int:
    """Every unread notification of the pseudonym is read now; returns how many were."""
    return Notification.objects.filter(recipient=pseudonym, read_at__isnull=True).update(
        read_at=timezone.now()
    )
