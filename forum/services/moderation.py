"""Moderation: forum moderators hide and restore posts, lock, pin and move topics and work the
report queue that readers fill. Every moderator's action is audited, by pseudonym only."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Board, Post, Pseudonym, Report, Topic
from forum.permissions import is_moderator
from forum.services.posting import board_last_post_refresh, last_posts_refresh
from portal.refusals import Refusal
from portal.services import audit_record


def _require_moderator(user):
    if not is_moderator(user):
        raise Refusal(_("Only forum moderators may do this."), status=403)


def post_hide(*, moderator, post: Post, reason: str, request=None) -> Post:
    """Hide a post, with a reason shown in its place; its open reports are resolved."""
    _require_moderator(moderator)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_("Give a reason; it is shown in place of the post."))
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        post.is_hidden, post.hidden_reason = True, reason[:300]
        post.save(update_fields=["is_hidden", "hidden_reason"])
        Report.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolution="hidden"
        )
        last_posts_refresh(post.topic)
        audit_record(
            actor=moderator, action="forum.post_hide", target=post, reason=reason, request=request
        )
    return post


def post_restore(*, moderator, post: Post, reason: str = "", request=None) -> Post:
    """Show a hidden post again (it may become its topic's and board's last post again)."""
    _require_moderator(moderator)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        post.is_hidden, post.hidden_reason = False, ""
        post.save(update_fields=["is_hidden", "hidden_reason"])
        last_posts_refresh(post.topic)
        audit_record(
            actor=moderator,
            action="forum.post_restore",
            target=post,
            reason=reason,
            request=request,
        )
    return post


TOPIC_ACTIONS = {
    "lock": ("is_locked", True),
    "unlock": ("is_locked", False),
    "pin": ("is_pinned", True),
    "unpin": ("is_pinned", False),
}
TOPIC_AUDIT_ACTIONS = {
    "lock": "forum.topic_lock",
    "unlock": "forum.topic_unlock",
    "pin": "forum.topic_pin",
    "unpin": "forum.topic_unpin",
}


def topic_moderate(*, moderator, topic: Topic, action: str, request=None) -> Topic:
    """Lock, unlock, pin or unpin a topic."""
    _require_moderator(moderator)
    if action not in TOPIC_ACTIONS:
        raise Refusal(_("Unknown action."))
    field, value = TOPIC_ACTIONS[action]
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(**{field: value})
        setattr(topic, field, value)
        audit_record(
            actor=moderator, action=TOPIC_AUDIT_ACTIONS[action], target=topic, request=request
        )
    return topic


def topic_move(*, moderator, topic: Topic, board: Board, request=None) -> Topic:
    """Move a topic to another board, carrying its counts along."""
    _require_moderator(moderator)
    if board.pk == topic.board_id:
        raise Refusal(_("The topic is already on that board."))
    with transaction.atomic():
        old_board_id = topic.board_id
        # Both boards' rows, in a fixed order (no deadlock between two opposite moves).
        list(
            Board.objects.select_for_update().filter(pk__in=[old_board_id, board.pk]).order_by("pk")
        )
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        Topic.objects.filter(pk=topic.pk).update(board=board)
        Board.objects.filter(pk=old_board_id).update(
            topic_count=F("topic_count") - 1, post_count=F("post_count") - topic.post_count
        )
        Board.objects.filter(pk=board.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + topic.post_count
        )
        board_last_post_refresh(old_board_id)
        board_last_post_refresh(board.pk)
        topic.board = board
        audit_record(
            actor=moderator,
            action="forum.topic_move",
            target=topic,
            data={"from_board": old_board_id, "to_board": board.pk},
            request=request,
        )
    return topic


def report_create(*, reporter: Pseudonym, post: Post, reason: str) -> Report:
    """A reader reports a post; one open report per reader per post."""
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_("Say what is wrong with this post."))
    if reporter is None:
        raise Refusal(_("Choose a pseudonym before posting."))
    with transaction.atomic():
        report = Report.objects.filter(
            post=post, reporter=reporter, resolved_at__isnull=True
        ).first()
        if report is not None:
            report.reason = reason[:2000]
            report.save(update_fields=["reason"])
            return report
        return Report.objects.create(post=post, reporter=reporter, reason=reason[:2000])


def report_dismiss(*, moderator, report: Report, request=None) -> Report:
    """A moderator closes a report without acting on the post."""
    _require_moderator(moderator)
    with transaction.atomic():
        report.resolved_at, report.resolution = timezone.now(), "dismissed"
        report.save(update_fields=["resolved_at", "resolution"])
        audit_record(
            actor=moderator, action="forum.report_dismiss", target=report.post, request=request
        )
    return report
