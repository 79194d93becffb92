"""Background work of the forum: notifying subscribers and mentioned pseudonyms of a post.

Run by the worker after the post's transaction commits. It is idempotent (one notification per
recipient, post and kind; an email is sent once per notification), so a retry after a failed
mail does not notify twice. The recipient's address is looked up here, in the worker, and used
at once: no queued task argument or stored row pairs an address with a pseudonym.

The mail itself says only that there is something new on the forum, with a link to the
notifications page: no pseudonym, topic title or post text. A mail queue, a mail server's log
or a forwarded mail would otherwise tie the pseudonym to the mailbox (issue 17), and anyone
could ask for that tie by @mentioning a pseudonym. Notifications that come within
FORUM_MAIL_QUIET_MINUTES of the last mail to the same person are not mailed again: the first
mail already sends them to the page that lists them all.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from forum.conf import forum_setting
from forum.models import Identity, Notification, Post, Pseudonym, Subscription
from forum.rendering import mentioned_names, mentions_of
from forum.selectors import boards_visible_to

logger = logging.getLogger(__name__)


def _may_see_board(user, board) -> bool:
    return boards_visible_to(user=user).filter(pk=board.pk).exists()


@task(queue_name="default")
def notifications_deliver(*, post_id: int) -> int:
    """Notify the followers of the post's topic (a reply) or board (a new topic) and the
    pseudonyms it mentions, on the portal and, for those who opted in, by email."""
    post = Post.objects.select_related("topic__board", "author").filter(pk=post_id).first()
    if post is None or not post.is_visible:
        return 0
    topic, board = post.topic, post.topic.board
    wanted: dict[int, str] = {}
    if post.number == 1:
        followers = Subscription.objects.filter(board=board)
        kind = Notification.Kind.TOPIC
    else:
        followers = Subscription.objects.filter(topic=topic)
        kind = Notification.Kind.REPLY
    for pseudonym_id in followers.values_list("pseudonym_id", flat=True):
        wanted[pseudonym_id] = kind
    names = mentioned_names(post.body)
    if names:
        mentioned = dict(
            Pseudonym.objects.annotate(lower=Lower("name"))
            .filter(lower__in=names)
            .values_list("lower", "pk")
        )
        for name in mentions_of(post.body, mentioned):
            wanted[mentioned[name]] = Notification.Kind.MENTION
    wanted.pop(post.author_id, None)
    if not wanted:
        return 0
    identities = {
        identity.pseudonym_id: identity.user
        for identity in Identity.objects.filter(pseudonym_id__in=wanted).select_related("user")
    }
    # Only people who may still read the board hear of it.
    allowed = {
        pseudonym_id
        for pseudonym_id, user in identities.items()
        if user.is_active and _may_see_board(user, board)
    }
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=pseudonym_id, kind=kind, post=post)
            for pseudonym_id, kind in wanted.items()
            if pseudonym_id in allowed
        ],
        ignore_conflicts=True,
    )
    to_email = Notification.objects.filter(
        post=post,
        recipient_id__in=allowed,
        recipient__email_notifications=True,
        emailed_at__isnull=True,
    ).select_related("recipient")
    sent = 0
    quiet_since = timezone.now() - timedelta(minutes=forum_setting("FORUM_MAIL_QUIET_MINUTES"))
    for notification in to_email:
        user = identities[notification.recipient_id]
        if not user.email or _mailed_since(notification.recipient_id, quiet_since):
            continue
        _send_email(user.email)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    logger.info("Post %s: %d notification(s), %d email(s)", post.pk, len(allowed), sent)
    return sent


def _mailed_since(pseudonym_id, since) -> bool:
    return Notification.objects.filter(recipient_id=pseudonym_id, emailed_at__gte=since).exists()


def _send_email(address):
    """The same words for every notification: who wrote what, and where, is read on the page."""
    url = settings.INTRANET_BASE_URL.rstrip("/") + reverse("forum:notifications")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You have new notifications on the forum")
        body = "\n\n".join(
            [
                _("You have new notifications on the forum. Sign in to read them:"),
                url,
                _(
                    "You receive this because you asked for forum notifications by email. "
                    "Change it in the forum's settings."
                ),
            ]
        )
    message = EmailMultiAlternatives(subject=f"[Forum] {subject}", body=body, to=[address])
    message.send()
