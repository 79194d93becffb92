"""Writes of the forum. Every write runs in one transaction, keeps the topic and board counters
in step in that transaction, and queues notifications on commit.

Interface for other apps (the bulletins' discussion topics use it; one posting service, not two)
-------------------------------------------------------------------------------------------------
``board_ensure(*, slug, name, owner_app, department=None, description="") -> Board``
    A board run by another app (`owner_app`, e.g. "bulletins"): not listed in the forum index;
    restricted to `department` when given. Idempotent on `slug`.
``topic_create(*, board, title, body, author=None, signed_as="", user=None) -> Topic``
    Opens a topic. `author` is the poster's `Pseudonym` (`forum.selectors.pseudonym_of(user)`);
    an official topic (a department head's discussion topic) passes `author=None` and
    `signed_as` (e.g. the department's name) instead, so the head's pseudonym is never exposed.
``post_reply(*, author, topic, body, quoted_post=None, user=None, on_behalf_of="") -> Post``
    Adds a reply under `author` (a `Pseudonym`; required). On a board owned by another app only
    that app replies (`on_behalf_of=<owner_app>`, after its own checks). Enforces the lock
    (moderators, given as `user`, may still reply on the forum's own boards), the rate limit
    `FORUM_POSTS_PER_MINUTE`, renders and sanitises the markdown, numbers the post, updates
    counters, subscribes the author to the topic and queues notifications (subscribers,
    @mentions). Raises `ForumError` (with a message fit to show) on bad input, a locked topic or
    flooding; nothing is saved then.
The topic's page is ``reverse("forum:topic", args=[topic.pk])``; a user without a pseudonym is
sent to ``reverse("forum:pseudonym_choose") + "?next=..."``.

Nothing here writes the author's user to any table or to the audit log: posting is pseudonymous
by construction. Moderation and identity reveals are audited (`portal.services.audit_record`).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.conf import forum_setting
from forum.models import (
    Board,
    Identity,
    IdentityReveal,
    Notification,
    Post,
    PostRevision,
    Pseudonym,
    RenameRequest,
    Report,
    Subscription,
    Topic,
    TopicRead,
)
from forum.permissions import (
    is_identity_auditor,
    is_moderator,
    may_delete_post,
    may_edit_post,
    may_rename_pseudonyms,
    rename_interval,
)
from forum.rendering import render_markdown
from portal.services import audit_record

MAX_BODY = 20_000
MAX_TITLE = 200
MIN_REVEAL_REASON = 20

ADJECTIVES = [
    "Amber", "Brave", "Calm", "Clever", "Gentle", "Golden", "Honest", "Jade", "Keen", "Kind",
    "Lucky", "Mellow", "Misty", "Nimble", "Patient", "Quiet", "Rapid", "Silver", "Steady",
    "Sunny", "Swift", "Tidy", "Vivid", "Wise", "Bright", "Cosmic", "Hidden", "Humble", "Jolly",
]  # fmt: skip
NOUNS = [
    "Bamboo", "Crane", "Dragon", "Falcon", "Heron", "Lantern", "Lotus", "Magpie", "Maple",
    "Otter", "Panda", "Pine", "River", "Sparrow", "Tiger", "Willow", "Comet", "Harbor",
    "Kite", "Orchid", "Peak", "Tea", "Tortoise", "Cloud", "Meadow", "Pebble", "Swallow",
]  # fmt: skip


class ForumError(Exception):
    """A refusal with a message fit to show the person who asked."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class RateLimited(ForumError):
    status = 429


class NotAllowed(ForumError):
    status = 403


def posts_per_minute() -> int:
    return forum_setting("FORUM_POSTS_PER_MINUTE")


# --- pseudonyms -------------------------------------------------------------------------------


def pseudonym_suggestions(*, count: int = 5) -> list[str]:
    """Fresh, unused names to choose from (no free typing: a chosen name can't be one's own)."""
    found: list[str] = []
    for _attempt in range(count * 10):
        name = f"{secrets.choice(ADJECTIVES)}{secrets.choice(NOUNS)}{secrets.randbelow(900) + 100}"
        if name not in found:
            found.append(name)
        if len(found) >= count * 2:
            break
    taken = set(
        Pseudonym.objects.annotate(lower=Lower("name"))
        .filter(lower__in=[name.lower() for name in found])
        .values_list("lower", flat=True)
    )
    return [name for name in found if name.lower() not in taken][:count]


def pseudonym_choose(*, user, name: str, offered: list[str]) -> Pseudonym:
    """Give `user` the pseudonym `name`, one of the suggestions `offered` to them. Once only."""
    if name not in offered:
        raise ForumError(_("Choose one of the names offered."))
    with transaction.atomic():
        if Identity.objects.select_for_update().filter(user=user).exists():
            raise ForumError(_("You already have a pseudonym."))
        if Pseudonym.objects.filter(name__iexact=name).exists():
            raise ForumError(_("That name was just taken. Choose another."))
        try:
            with transaction.atomic():
                pseudonym = Pseudonym.objects.create(name=name)
                Identity.objects.create(user=user, pseudonym=pseudonym)
        except IntegrityError as error:
            raise ForumError(_("That name was just taken. Choose another.")) from error
    user._forum_pseudonym = pseudonym
    return pseudonym


def _check_rename_interval(pseudonym: Pseudonym, now) -> None:
    if pseudonym.renamed_at is not None and now - pseudonym.renamed_at < rename_interval():
        raise ForumError(
            _("This pseudonym was renamed on %(date)s; it may be renamed once a year.")
            % {"date": f"{pseudonym.renamed_at:%Y-%m-%d}"}
        )


def pseudonym_rename_request(*, pseudonym: Pseudonym, now=None) -> RenameRequest:
    """The holder asks for a new pseudonym (one open request; at most one rename a year)."""
    now = now or timezone.now()
    if pseudonym is None:
        raise ForumError(_("Choose a pseudonym before posting."))
    _check_rename_interval(pseudonym, now)
    with transaction.atomic():
        request, _created = RenameRequest.objects.get_or_create(
            pseudonym=pseudonym, resolved_at__isnull=True, defaults={"requested_at": now}
        )
    return request


def pseudonym_rename(*, actor, pseudonym: Pseudonym, new_name: str, now=None) -> Pseudonym:
    """An administrator grants the holder's open rename request (at most once a year), knowing
    only the pseudonym."""
    now = now or timezone.now()
    if not may_rename_pseudonyms(actor):
        raise NotAllowed(_("Only an administrator may rename a pseudonym."))
    with transaction.atomic():
        pseudonym = Pseudonym.objects.select_for_update().get(pk=pseudonym.pk)
        request = RenameRequest.objects.filter(
            pseudonym=pseudonym, resolved_at__isnull=True
        ).first()
        if request is None:
            raise ForumError(_("Its holder has not asked for a new pseudonym."))
        _check_rename_interval(pseudonym, now)
        if Pseudonym.objects.filter(name__iexact=new_name).exclude(pk=pseudonym.pk).exists():
            raise ForumError(_("That name is taken."))
        old_name = pseudonym.name
        pseudonym.name = new_name
        pseudonym.renamed_at = now
        pseudonym.save(update_fields=["name", "renamed_at"])
        request.resolved_at, request.granted = now, True
        request.save(update_fields=["resolved_at", "granted"])
        audit_record(
            actor=actor,
            action="forum.pseudonym_rename",
            target=pseudonym,
            data={"from": old_name, "to": new_name},
        )
    return pseudonym


def pseudonym_rename_decline(*, actor, request: RenameRequest) -> RenameRequest:
    if not may_rename_pseudonyms(actor):
        raise NotAllowed(_("Only an administrator may rename a pseudonym."))
    with transaction.atomic():
        request.resolved_at, request.granted = timezone.now(), False
        request.save(update_fields=["resolved_at", "granted"])
        audit_record(actor=actor, action="forum.pseudonym_rename_decline", target=request.pseudonym)
    return request


def pseudonym_set_preferences(*, pseudonym: Pseudonym, email_notifications: bool) -> Pseudonym:
    pseudonym.email_notifications = email_notifications
    pseudonym.save(update_fields=["email_notifications"])
    return pseudonym


# --- boards, topics, posts --------------------------------------------------------------------


def board_ensure(
    *, slug: str, name: str, owner_app: str = "", department=None, description: str = ""
) -> Board:
    """The board `slug`, created if missing (for apps that run their own boards)."""
    board, _created = Board.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "owner_app": owner_app,
            "department": department,
            "description": description,
        },
    )
    return board


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ForumError(_("Write something first."))
    if len(body) > MAX_BODY:
        raise ForumError(
            _("A post may be at most %(max)d characters long (this one has %(length)d).")
            % {"max": MAX_BODY, "length": len(body)}
        )
    return body


def _check_rate(author: Pseudonym, now) -> None:
    """Called with the author's row locked, so that parallel requests count each other."""
    limit = posts_per_minute()
    recent = Post.objects.filter(author=author, created_at__gt=now - timedelta(minutes=1))
    if recent.count() >= limit:
        raise RateLimited(
            ngettext(
                "You are posting too fast: at most %(limit)d post per minute. "
                "Wait a moment and send it again.",
                "You are posting too fast: at most %(limit)d posts per minute. "
                "Wait a moment and send it again.",
                limit,
            )
            % {"limit": limit}
        )


def _notify_later(post_id: int) -> None:
    from forum.tasks import notifications_deliver

    transaction.on_commit(lambda: notifications_deliver.enqueue(post_id=post_id))


def _subscribe(pseudonym, *, topic=None, board=None) -> None:
    Subscription.objects.bulk_create(
        [Subscription(pseudonym=pseudonym, topic=topic, board=board)], ignore_conflicts=True
    )


def topic_create(
    *,
    board: Board,
    title: str,
    body: str,
    author: Pseudonym | None = None,
    signed_as: str = "",
    user=None,
    now=None,
) -> Topic:
    """Open a topic with its first post, under `author`'s pseudonym or, for an official topic
    of another app, `signed_as`."""
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        raise ForumError(_("Give the topic a title."))
    if len(title) > MAX_TITLE:
        raise ForumError(_("A title may be at most %(max)d characters long.") % {"max": MAX_TITLE})
    body = _clean_body(body)
    if author is None and not signed_as:
        raise ForumError(_("Choose a pseudonym before posting."))
    with transaction.atomic():
        if author is not None:
            author = Pseudonym.objects.select_for_update().get(pk=author.pk)
            _check_rate(author, now)
        topic = Topic.objects.create(
            board=board,
            title=title,
            author=author,
            signed_as=signed_as if author is None else "",
            created_at=now,
            post_count=1,
            last_post_number=1,
            last_activity_at=now,
        )
        post = Post.objects.create(
            topic=topic,
            number=1,
            author=author,
            signed_as=topic.signed_as,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
        )
        Topic.objects.filter(pk=topic.pk).update(last_post=post)
        topic.last_post = post
        Board.objects.filter(pk=board.pk).update(
            topic_count=F("topic_count") + 1,
            post_count=F("post_count") + 1,
            last_post=post,
            last_activity_at=now,
        )
        if author is not None:
            _subscribe(author, topic=topic)
        _notify_later(post.pk)
    return topic


def post_reply(
    *,
    author: Pseudonym,
    topic: Topic,
    body: str,
    quoted_post: Post | None = None,
    user=None,
    now=None,
    on_behalf_of: str = "",
) -> Post:
    """Add a reply to `topic` under `author`'s pseudonym (see the module docstring).

    A topic on a board owned by another app takes replies only from that app
    (`on_behalf_of=<owner_app>`), which enforces its own rules (a discussion's dates, closing);
    through the forum nobody replies there, moderators included."""
    now = now or timezone.now()
    if author is None:
        raise ForumError(_("Choose a pseudonym before posting."))
    body = _clean_body(body)
    with transaction.atomic():
        author = Pseudonym.objects.select_for_update().get(pk=author.pk)
        _check_rate(author, now)
        # The topic row is the lock that numbers posts and keeps its counters exact.
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        owner_app = Board.objects.filter(pk=locked.board_id).values_list("owner_app", flat=True)[0]
        if owner_app and on_behalf_of != owner_app:
            raise ForumError(_("Replies to this topic are written on its own page."))
        if locked.is_locked and not owner_app and not (user is not None and is_moderator(user)):
            raise ForumError(_("This topic is locked; no more replies can be posted."))
        number = locked.last_post_number + 1
        post = Post.objects.create(
            topic=locked,
            number=number,
            author=author,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
        )
        Topic.objects.filter(pk=locked.pk).update(
            post_count=F("post_count") + 1,
            reply_count=F("reply_count") + 1,
            last_post_number=number,
            last_post=post,
            last_activity_at=now,
        )
        Board.objects.filter(pk=locked.board_id).update(
            post_count=F("post_count") + 1, last_post=post, last_activity_at=now
        )
        _subscribe(author, topic=locked)
        _notify_later(post.pk)
    topic.last_post_number, topic.last_post, topic.last_activity_at = number, post, now
    return post


def post_edit(*, author: Pseudonym, post: Post, body: str, now=None) -> Post:
    """The author edits their post; the previous version is kept for moderators."""
    now = now or timezone.now()
    body = _clean_body(body)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        if not may_edit_post(pseudonym=author, post=post):
            raise NotAllowed(_("You can't edit this post."))
        if body == post.body:
            return post
        PostRevision.objects.create(
            post=post,
            body=post.body,
            body_html=post.body_html,
            written_at=post.edited_at or post.created_at,
        )
        post.body, post.body_html, post.edited_at = body, render_markdown(body), now
        post.save(update_fields=["body", "body_html", "edited_at"])
        _notify_later(post.pk)
    return post


def _refresh_last_posts(topic: Topic) -> None:
    """Point the topic and its board at their last visible post (a hidden or deleted post is
    never shown as anyone's "last post")."""
    last = (
        Post.objects.filter(topic=topic, is_hidden=False, is_deleted=False)
        .order_by("-number")
        .first()
    )
    Topic.objects.filter(pk=topic.pk).update(last_post=last)
    _refresh_board_last_post(topic.board_id)


def _refresh_board_last_post(board_id: int) -> None:
    latest = (
        Topic.objects.filter(board_id=board_id, last_post__isnull=False)
        .order_by("-last_activity_at", "-id")
        .values("last_post_id", "last_activity_at")
        .first()
    )
    Board.objects.filter(pk=board_id).update(
        last_post_id=latest["last_post_id"] if latest else None,
        last_activity_at=latest["last_activity_at"] if latest else None,
    )


def post_delete(*, author: Pseudonym, post: Post, now=None) -> Post:
    """The author deletes their own post within the delete window; it leaves a placeholder so
    that numbering (and links to later posts) stay put."""
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        if not may_delete_post(pseudonym=author, post=post, now=now):
            raise NotAllowed(_("This post can no longer be deleted."))
        post.is_deleted, post.body, post.body_html = True, "", ""
        post.save(update_fields=["is_deleted", "body", "body_html"])
        post.revisions.all().delete()
        Report.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolution="deleted by author"
        )
        _refresh_last_posts(post.topic)
    return post


# --- moderation -------------------------------------------------------------------------------


def _require_moderator(user):
    if not is_moderator(user):
        raise NotAllowed(_("Only forum moderators may do this."))


def post_hide(*, moderator, post: Post, reason: str, request=None) -> Post:
    """Hide a post, with a reason shown in its place; its open reports are resolved."""
    _require_moderator(moderator)
    reason = (reason or "").strip()
    if not reason:
        raise ForumError(_("Give a reason; it is shown in place of the post."))
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        post.is_hidden, post.hidden_reason = True, reason[:300]
        post.save(update_fields=["is_hidden", "hidden_reason"])
        Report.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolution="hidden"
        )
        _refresh_last_posts(post.topic)
        audit_record(
            actor=moderator, action="forum.post_hide", target=post, reason=reason, request=request
        )
    return post


def post_restore(*, moderator, post: Post, reason: str = "", request=None) -> Post:
    _require_moderator(moderator)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        post.is_hidden, post.hidden_reason = False, ""
        post.save(update_fields=["is_hidden", "hidden_reason"])
        _refresh_last_posts(post.topic)
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


def topic_moderate(*, moderator, topic: Topic, action: str, request=None) -> Topic:
    """Lock, unlock, pin or unpin a topic."""
    _require_moderator(moderator)
    if action not in TOPIC_ACTIONS:
        raise ForumError(_("Unknown action."))
    field, value = TOPIC_ACTIONS[action]
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(**{field: value})
        setattr(topic, field, value)
        audit_record(actor=moderator, action=f"forum.topic_{action}", target=topic, request=request)
    return topic


def topic_move(*, moderator, topic: Topic, board: Board, request=None) -> Topic:
    """Move a topic to another board, carrying its counts along."""
    _require_moderator(moderator)
    if board.pk == topic.board_id:
        raise ForumError(_("The topic is already on that board."))
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
        _refresh_board_last_post(old_board_id)
        _refresh_board_last_post(board.pk)
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
        raise ForumError(_("Say what is wrong with this post."))
    if reporter is None:
        raise ForumError(_("Choose a pseudonym before posting."))
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
    _require_moderator(moderator)
    with transaction.atomic():
        report.resolved_at, report.resolution = timezone.now(), "dismissed"
        report.save(update_fields=["resolved_at", "resolution"])
        audit_record(
            actor=moderator, action="forum.report_dismiss", target=report.post, request=request
        )
    return report


# --- reading, subscriptions, notifications ----------------------------------------------------


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
        raise ForumError(_("Choose a pseudonym before posting."))
    with transaction.atomic():
        deleted, _rows = Subscription.objects.filter(
            pseudonym=pseudonym, topic=topic, board=board
        ).delete()
        if deleted:
            return False
        _subscribe(pseudonym, topic=topic, board=board)
    return True


def notifications_mark_read(*, pseudonym: Pseudonym) -> int:
    return Notification.objects.filter(recipient=pseudonym, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- identity reveal --------------------------------------------------------------------------


def identity_reveal(*, auditor, post: Post, reason: str, request=None) -> IdentityReveal:
    """An identity auditor learns who wrote `post`. The reveal and its audit record are saved
    before anything is shown; the other identity auditors are told (by email, on commit)."""
    if not is_identity_auditor(auditor):
        raise NotAllowed(_("Only identity auditors may reveal an author."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REVEAL_REASON:
        raise ForumError(
            _("Write the reason for this reveal (at least %(min)d characters).")
            % {"min": MIN_REVEAL_REASON}
        )
    if post.author_id is None:
        raise ForumError(_("This post was not written under a pseudonym."))
    with transaction.atomic():
        identity = Identity.objects.select_related("user").get(pseudonym_id=post.author_id)
        reveal = IdentityReveal.objects.create(
            auditor=auditor,
            post=post,
            pseudonym_id=post.author_id,
            revealed_user=identity.user,
            reason=reason,
        )
        # The audit log names the auditor, the post and the pseudonym; the person revealed is
        # in the reveal row, which only identity auditors read.
        audit_record(
            actor=auditor,
            action="forum.identity_reveal",
            target=reveal,
            reason=reason,
            data={"post": post.pk, "topic": post.topic_id, "pseudonym": post.author.name},
            request=request,
        )
        transaction.on_commit(lambda: _tell_other_auditors(reveal))
    return reveal


def _tell_other_auditors(reveal: IdentityReveal) -> None:
    from portal.models import User
    from portal.permissions import Role
    from portal.tasks import email_send

    addresses = list(
        User.objects.filter(groups__name=Role.IDENTITY_AUDITOR, is_active=True)
        .exclude(pk=reveal.auditor_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not addresses:
        return
    auditor = reveal.auditor
    body = (
        f"{auditor.display_name} ({auditor.username}) revealed the author of forum post "
        f"#{reveal.post_id} (pseudonym {reveal.pseudonym.name}) "
        f"at {reveal.created_at:%Y-%m-%d %H:%M} UTC.\n\n"
        f"Reason given:\n{reveal.reason}\n\n"
        f"Reveal log: {settings.INTRANET_BASE_URL}/forum/reveals/\n"
    )
    email_send.enqueue(
        subject="[Forum] Identity reveal recorded",
        body=body,
        to=addresses,
    )
