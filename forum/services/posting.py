"""Posting: topics, replies, edits and deletions, and the boards and topic locks of apps that
run discussions on the forum.

Interface for other apps (the bulletins' discussion topics use it; one posting service, not two)
-------------------------------------------------------------------------------------------------
``board_ensure(*, slug, name, owner_app, department=None, description="") -> Board``
    A board run by another app (`owner_app`, e.g. "bulletins"): not listed in the forum index;
    restricted to `department` when given. Idempotent on `slug`.
``topic_create(*, board, title, body, author=None, signed_as="") -> Topic``
    Opens a topic. `author` is the poster's `Pseudonym` (`forum.selectors.pseudonym_of(user)`);
    an official topic (a department head's discussion topic) passes `author=None` and
    `signed_as` (e.g. the department's name) instead, so the head's pseudonym is never exposed.
``topic_lock(*, topic_id, owner_app)``
    Locks a topic of a board `owner_app` runs: the forum's pages then offer no reply form and
    its authors can no longer edit or delete their posts there.
``post_reply(*, author, topic, body, user=None, on_behalf_of="") -> Post``
    Adds a reply under `author` (a `Pseudonym`; required). A topic on a board owned by another
    app takes replies only from that app (`on_behalf_of=<owner_app>`, after its own checks),
    whether the topic is locked or not; on the forum's own boards a locked topic takes replies
    from moderators only (given as `user`). Enforces the rate limit `FORUM_POSTS_PER_MINUTE`,
    renders and sanitises the markdown, numbers the post, updates counters, subscribes the
    author to the topic and queues notifications (subscribers, @mentions). Raises a `Refusal`
    (with a message fit to show; `RateLimited`, 429, when flooding) on bad input, a locked
    topic or a board of another app; nothing is saved then.
The topic's page is ``reverse("forum:topic", args=[topic.pk])``; a user without a pseudonym is
sent to ``reverse("forum:pseudonym_choose") + "?next=..."``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.conf import forum_setting
from forum.models import Board, Post, PostRevision, Pseudonym, Report, Subscription, Topic
from forum.permissions import is_moderator, may_delete_post, may_edit_post
from forum.rendering import link_mentions, mentioned_names, render_markdown
from forum.tasks import notifications_deliver
from portal.refusals import Refusal

MAX_BODY = 20_000
MAX_TITLE = 200


class RateLimited(Refusal):
    """Too many posts in the last minute: the person may send the same post again shortly."""

    status = 429


def posts_per_minute() -> int:
    return forum_setting("FORUM_POSTS_PER_MINUTE")


def board_ensure(
    *,
    slug: str,
    name: str,
    name_en: str = "",
    owner_app: str = "",
    department=None,
    description: str = "",
) -> Board:
    """The board `slug`, created if missing (for apps that run their own boards)."""
    board, _created = Board.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "name_en": name_en,
            "owner_app": owner_app,
            "department": department,
            "description": description,
        },
    )
    return board


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Refusal(_("Write something first."))
    if len(body) > MAX_BODY:
        raise Refusal(
            _("A post may be at most %(max)d characters long (this one has %(length)d).")
            % {"max": MAX_BODY, "length": len(body)}
        )
    return body


def _body_html(body: str) -> str:
    """The post's sanitised HTML, each `@name` of an existing pseudonym a link to the page of
    that pseudonym's posts (rendered once, when the post is saved)."""
    names = mentioned_names(body)
    targets = {}
    if names:
        mentioned = Pseudonym.objects.annotate(lower_name=Lower("name")).filter(
            lower_name__in=names
        )
        urlconf = settings.PORTAL_URLCONFS["intranet"]
        targets = {
            lower_name: reverse("forum:pseudonym_posts", args=[pk], urlconf=urlconf)
            for pk, lower_name in mentioned.values_list("pk", "lower_name")
        }
    return link_mentions(render_markdown(body), targets=targets)


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
    transaction.on_commit(lambda: notifications_deliver.enqueue(post_id=post_id))


def subscribe(pseudonym, *, topic=None, board=None) -> None:
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
    now=None,
) -> Topic:
    """Open a topic with its first post, under `author`'s pseudonym or, for an official topic
    of another app, `signed_as`."""
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        raise Refusal(_("Give the topic a title."))
    if len(title) > MAX_TITLE:
        raise Refusal(_("A title may be at most %(max)d characters long.") % {"max": MAX_TITLE})
    body = _clean_body(body)
    if author is None and not signed_as:
        raise Refusal(_("Choose a pseudonym before posting."))
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
            body_html=_body_html(body),
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
            subscribe(author, topic=topic)
        _notify_later(post.pk)
    return topic


def topic_lock(*, topic_id: int, owner_app: str) -> None:
    """The app that runs the topic's board locks it: the forum's pages offer no reply form and
    authors can no longer edit or delete their posts there. Replies the owner app posts
    (`post_reply(on_behalf_of=owner_app)`) are not stopped by the lock; the owner app decides
    when its topic takes replies. A topic of another board is left as it is."""
    if not owner_app:
        raise ValueError("A forum board's topics are locked by its moderators (topic_moderate).")
    Topic.objects.filter(pk=topic_id, board__owner_app=owner_app).update(is_locked=True)


def post_reply(
    *,
    author: Pseudonym,
    topic: Topic,
    body: str,
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
        raise Refusal(_("Choose a pseudonym before posting."))
    body = _clean_body(body)
    with transaction.atomic():
        author = Pseudonym.objects.select_for_update().get(pk=author.pk)
        _check_rate(author, now)
        # The topic row is the lock that numbers posts and keeps its counters exact.
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        owner_app = Board.objects.filter(pk=locked.board_id).values_list("owner_app", flat=True)[0]
        if owner_app and on_behalf_of != owner_app:
            raise Refusal(_("Replies to this topic are written on its own page."))
        if locked.is_locked and not owner_app and not (user is not None and is_moderator(user)):
            raise Refusal(_("This topic is locked; no more replies can be posted."))
        number = locked.last_post_number + 1
        post = Post.objects.create(
            topic=locked,
            number=number,
            author=author,
            body=body,
            body_html=_body_html(body),
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
        subscribe(author, topic=locked)
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
            raise Refusal(_("You can't edit this post."), status=403)
        if body == post.body:
            return post
        PostRevision.objects.create(
            post=post,
            body=post.body,
            body_html=post.body_html,
            written_at=post.edited_at or post.created_at,
        )
        post.body, post.body_html, post.edited_at = body, _body_html(body), now
        post.save(update_fields=["body", "body_html", "edited_at"])
        _notify_later(post.pk)
    return post


def last_posts_refresh(topic: Topic) -> None:
    """Point the topic and its board at their last visible post (a hidden or deleted post is
    never shown as anyone's "last post")."""
    last = (
        Post.objects.filter(topic=topic, is_hidden=False, is_deleted=False)
        .order_by("-number")
        .first()
    )
    Topic.objects.filter(pk=topic.pk).update(last_post=last)
    board_last_post_refresh(topic.board_id)


def board_last_post_refresh(board_id: int) -> None:
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
            raise Refusal(_("This post can no longer be deleted."), status=403)
        post.is_deleted, post.body, post.body_html = True, "", ""
        post.save(update_fields=["is_deleted", "body", "body_html"])
        post.revisions.all().delete()
        Report.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolution="deleted by author"
        )
        last_posts_refresh(post.topic)
    return post
