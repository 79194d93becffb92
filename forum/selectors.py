"""Reads of the forum that depend on who asks. Every list is bounded and uses an index that
matches its order; every board, topic and post fetch goes through `boards_visible_to` so that a
board one may not see answers 404 everywhere (pages, feeds, search).

Other apps read the forum through `pseudonym_of` and `topic_replies` only."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.conf import forum_setting
from forum.models import (
    Board,
    Identity,
    IdentityReveal,
    Notification,
    Post,
    Pseudonym,
    RenameRequest,
    Report,
    Subscription,
    Topic,
    TopicRead,
)
from forum.permissions import is_moderator, may_use_forum
from portal.permissions import get_visible_or_404
from portal.selectors import employee_of

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20


def unread_cutoff():
    """Topics without activity since then count as read (no TopicRead row needed)."""
    return timezone.now() - timedelta(days=forum_setting("FORUM_UNREAD_DAYS"))


def pseudonym_of(user) -> Pseudonym | None:
    """The signed-in user's own pseudonym (cached on the user object for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_forum_pseudonym"):
        user._forum_pseudonym = Pseudonym.objects.filter(
            pk__in=Identity.objects.filter(user=user).values("pseudonym_id")
        ).first()
    return user._forum_pseudonym


def _department_ids(user) -> list[int]:
    employee = employee_of(user)
    if employee is None:
        return []
    department = employee.department
    return [department.pk] + ([department.parent_id] if department.parent_id else [])


def boards_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """Open boards, and department boards of the user's department (or its parent);
    moderators see every board."""
    queryset = Board.objects.all() if queryset is None else queryset
    if not may_use_forum(user):
        return queryset.none()
    if is_moderator(user):
        return queryset
    return queryset.filter(Q(department__isnull=True) | Q(department__in=_department_ids(user)))


def boards_for_index(*, user) -> QuerySet:
    """The forum's own boards (not those other apps run), with their last post's pseudonym."""
    return (
        boards_visible_to(user=user)
        .filter(owner_app="")
        .select_related("last_post__author", "last_post__topic")
    )


def board_get(*, user, slug: str) -> Board:
    """The board if `user` may see it, else 404 (a board one may not see does not exist)."""
    return get_visible_or_404(boards_visible_to(user=user), slug=slug)


def topics_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Topic.objects.all() if queryset is None else queryset
    return queryset.filter(board__in=boards_visible_to(user=user))


def topic_get(*, user, topic_id: int) -> Topic:
    """The topic if `user` may see its board, else 404."""
    return get_visible_or_404(
        topics_visible_to(user=user).select_related("board", "author", "last_post__author"),
        pk=topic_id,
    )


def posts_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """Posts of boards the user may see; hidden and deleted posts are left out (moderators
    still see hidden ones in their place on the topic page, not in search)."""
    queryset = Post.objects.all() if queryset is None else queryset
    return queryset.filter(
        topic__board__in=boards_visible_to(user=user), is_hidden=False, is_deleted=False
    )


PSEUDONYM_POSTS_PER_PAGE = 20


def pseudonym_posts(*, user, pseudonym: Pseudonym, page: int = 1) -> tuple[list[Post], bool]:
    """A page of the posts written under `pseudonym` that `user` may read (boards open to them,
    neither hidden nor deleted), newest first, and whether there are more. Only what the forum
    already shows under the pseudonym: nothing about the person behind it."""
    start = (page - 1) * PSEUDONYM_POSTS_PER_PAGE
    posts = list(
        posts_visible_to(user=user)
        .filter(author=pseudonym, signed_as="")
        .select_related("topic__board")
        .only(
            "pk",
            "number",
            "body_html",
            "created_at",
            "topic__title",
            "topic__board__name",
            "topic__board__slug",
        )
        .order_by("-created_at", "-pk")[start : start + PSEUDONYM_POSTS_PER_PAGE + 1]
    )
    return posts[:PSEUDONYM_POSTS_PER_PAGE], len(posts) > PSEUDONYM_POSTS_PER_PAGE


def post_get(*, user, post_id: int) -> Post:
    """A post on a board the user may see (hidden ones too: they are shown as hidden)."""
    return get_visible_or_404(
        Post.objects.filter(topic__board__in=boards_visible_to(user=user)).select_related(
            "topic__board", "author"
        ),
        pk=post_id,
    )


def post_get_for_reveal(*, post_id: int) -> Post:
    """A post an identity auditor may reveal the author of: any pseudonymous post, on any
    board (a complaint about a post on a department board must be traceable too). The caller
    has checked the role; the reveal itself is audited."""
    return get_visible_or_404(Post.objects.select_related("topic__board", "author"), pk=post_id)


def topic_replies(*, topic_id: int, with_hidden: bool = False) -> QuerySet:
    """The replies of a topic (its posts after the first) in order, with their pseudonyms and
    what a list of them shows. A reply a moderator hid is left out unless `with_hidden`; a reply
    its author deleted stays, as a placeholder without its text, so that numbers hold."""
    replies = Post.objects.filter(topic_id=topic_id, number__gt=1)
    if not with_hidden:
        replies = replies.filter(is_hidden=False)
    return (
        replies.select_related("author")
        .only("pk", "number", "body_html", "created_at", "is_deleted", "signed_as", "author__name")
        .order_by("number")
    )


def topic_replies_count_sql(quote_name, topic_id: int) -> tuple[str, list]:
    """`topic_replies(topic_id=topic_id).count()` as a SQL subquery and its parameters, for a
    statement of another app (bulletins' discussion counts): the same rule, written out."""
    table = quote_name(Post._meta.db_table)
    return (
        f"SELECT COUNT(*) FROM {table} p"  # noqa: S608 - a table name from the model
        " WHERE p.topic_id = %s AND p.number > %s AND p.is_hidden = %s",
        [topic_id, 1, False],
    )


def topic_replies_sql(quote_name, topic_id: int) -> tuple[str, list]:
    """`topic_replies(topic_id=topic_id)` as a SQL statement and its parameters, for a statement
    of another app (bulletins' discussion page): the replies in order, each as id, number,
    signed_as, body_html, created_at, is_deleted and its author's pseudonym name (NULL without
    one). The same rule, written out; pseudonyms only."""
    posts = quote_name(Post._meta.db_table)
    pseudonyms = quote_name(Pseudonym._meta.db_table)
    return (
        "SELECT p.id, p.number, p.signed_as, p.body_html, p.created_at, p.is_deleted,"  # noqa: S608
        f" a.name AS author_name FROM {posts} p LEFT OUTER JOIN {pseudonyms} a"
        " ON a.id = p.author_id"
        " WHERE p.topic_id = %s AND p.number > %s AND p.is_hidden = %s ORDER BY p.number",
        [topic_id, 1, False],
    )


def pseudonym_name_sql(quote_name, user_id: int) -> tuple[str, list]:
    """The name of `pseudonym_of(user)` as a SQL subquery (NULL without one) and its
    parameters, for a statement of another app."""
    pseudonyms = quote_name(Pseudonym._meta.db_table)
    identities = quote_name(Identity._meta.db_table)
    return (
        f"SELECT ps.name FROM {pseudonyms} ps WHERE ps.id IN ("  # noqa: S608 - table names
        f"SELECT i.pseudonym_id FROM {identities} i WHERE i.user_id = %s)"
        " ORDER BY ps.id LIMIT 1",
        [user_id],
    )


def _with_read_state(topics: QuerySet, user) -> QuerySet:
    read = TopicRead.objects.filter(user=user, topic=OuterRef("pk")).values("last_read_number")
    return topics.annotate(
        read_number=Coalesce(Subquery(read[:1]), Value(-1), output_field=IntegerField())
    )


def annotate_unread(topics, *, cutoff=None):
    """Mark each topic of a fetched page `is_new` (never opened) / `is_unread` (new posts)."""
    cutoff = cutoff or unread_cutoff()
    for topic in topics:
        recent = topic.last_activity_at >= cutoff
        topic.is_new = recent and topic.read_number < 0
        topic.is_unread = recent and topic.read_number < topic.last_post_number
    return topics


@dataclass
class TopicPage:
    topics: list
    page: int
    has_next: bool

    @property
    def has_previous(self):
        return self.page > 1


def topics_for_board(*, board: Board, user, page: int = 1) -> TopicPage:
    """A page of a board's topics, pinned first then by last activity (the index's order),
    each with the reader's read state. Deep pages are rare (old topics are found by search)
    and still walk the index, not the table."""
    start = (page - 1) * TOPICS_PER_PAGE
    topics = _with_read_state(
        Topic.objects.filter(board=board)
        .select_related("author", "last_post__author")
        .order_by("-is_pinned", "-last_activity_at", "-id"),
        user,
    )[start : start + TOPICS_PER_PAGE + 1]
    topics = list(topics)
    has_next = len(topics) > TOPICS_PER_PAGE
    return TopicPage(annotate_unread(topics[:TOPICS_PER_PAGE]), page, has_next)


def unread_topics(*, user, page: int = 1) -> TopicPage:
    """Topics with posts the user has not read, newest activity first, within the cut-off."""
    start = (page - 1) * TOPICS_PER_PAGE
    topics = (
        _with_read_state(
            topics_visible_to(user=user)
            .filter(last_activity_at__gte=unread_cutoff())
            .select_related("board", "author", "last_post__author")
            .order_by("-last_activity_at", "-id"),
            user,
        )
        .exclude(
            Exists(
                TopicRead.objects.filter(
                    user=user,
                    topic=OuterRef("pk"),
                    last_read_number__gte=OuterRef("last_post_number"),
                )
            )
        )
        .filter(board__owner_app="")
    )[start : start + TOPICS_PER_PAGE + 1]
    topics = list(topics)
    return TopicPage(annotate_unread(topics[:TOPICS_PER_PAGE]), page, len(topics) > TOPICS_PER_PAGE)


def page_count(topic: Topic) -> int:
    return max(1, -(-topic.last_post_number // POSTS_PER_PAGE))


def page_of_number(number: int) -> int:
    return max(1, -(-number // POSTS_PER_PAGE))


def posts_for_topic(*, topic: Topic, page: int) -> list[Post]:
    """One page of a topic: the posts numbered into that page's range (an index range scan on
    topic + number, as fast on the last page of 5,000 replies as on the first)."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    posts = list(
        Post.objects.filter(topic=topic, number__gte=first, number__lt=first + POSTS_PER_PAGE)
        .select_related("author")
        .order_by("number")
    )
    for post in posts:
        post.topic = topic
    return posts


def read_number(*, user, topic: Topic) -> int:
    """How far the user has read `topic` (0: not at all; everything if it is past the cut-off)."""
    if topic.last_activity_at < unread_cutoff():
        return topic.last_post_number
    row = TopicRead.objects.filter(user=user, topic=topic).values_list(
        "last_read_number", flat=True
    )
    return next(iter(row), 0)


def is_subscribed(*, pseudonym, topic=None, board=None) -> bool:
    if pseudonym is None:
        return False
    return Subscription.objects.filter(pseudonym=pseudonym, topic=topic, board=board).exists()


def notifications_for(*, pseudonym, limit: int = 50) -> list[Notification]:
    if pseudonym is None:
        return []
    return list(
        Notification.objects.filter(recipient=pseudonym)
        .select_related("post__author", "post__topic")
        .order_by("-created_at", "-id")[:limit]
    )


def unread_notification_count(*, pseudonym) -> int:
    if pseudonym is None:
        return 0
    return Notification.objects.filter(recipient=pseudonym, read_at__isnull=True).count()


def open_reports(*, user, limit: int = 100) -> list[Report]:
    """The moderation queue: unresolved reports, oldest first."""
    if not is_moderator(user):
        return []
    return list(
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("post__topic__board", "post__author", "reporter")
        .order_by("created_at", "id")[:limit]
    )


def pseudonyms_matching(*, prefix: str, limit: int = 10) -> list[str]:
    """Pseudonyms starting with `prefix` (for @mention completion)."""
    if len(prefix) < 2:
        return []
    return list(
        Pseudonym.objects.filter(name__istartswith=prefix)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )


def open_report_get(*, user, report_id: int) -> Report:
    """An unresolved report, for a moderator; 404 once it is resolved."""
    reports = Report.objects.filter(resolved_at__isnull=True)
    return get_visible_or_404(reports if is_moderator(user) else reports.none(), pk=report_id)


def reveal_log(*, limit: int = 200) -> list[IdentityReveal]:
    """The latest identity reveals: who revealed which post, when and why (for identity
    auditors; the caller has checked the role)."""
    return list(
        IdentityReveal.objects.select_related("auditor", "pseudonym", "post__topic").order_by(
            "-created_at", "-id"
        )[:limit]
    )


def rename_pending(*, pseudonym) -> bool:
    """Whether the holder has asked for a new pseudonym that is not granted or declined yet."""
    return RenameRequest.objects.filter(pseudonym=pseudonym, resolved_at__isnull=True).exists()


def rename_requests_open(*, limit: int = 50) -> list[RenameRequest]:
    """Open requests for a new pseudonym, oldest first, by pseudonym only (for administrators;
    the caller has checked the role)."""
    return list(
        RenameRequest.objects.filter(resolved_at__isnull=True)
        .select_related("pseudonym")
        .order_by("requested_at", "id")[:limit]
    )


def rename_request_open(*, request_id: str) -> RenameRequest | None:
    """The open rename request of that id, if there is one (`request_id` as posted)."""
    if not request_id.isdigit():
        return None
    return (
        RenameRequest.objects.select_related("pseudonym")
        .filter(pk=int(request_id), resolved_at__isnull=True)
        .first()
    )
