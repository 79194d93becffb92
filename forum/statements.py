"""The forum's busiest pages read in written-out SQL statements. A board's page in two: the
viewer's pseudonym with the board (and the viewer's unread notifications and subscription to it),
then the page of its topics. The index in one: the viewer's pseudonym and unread notifications
with the boards, their counts and last posts. A topic's page in one: the viewer's pseudonym,
unread notifications, subscription and read state with the topic, its board and the page of its
posts with their authors' pseudonyms (the page count comes from the topic's last post number).

The selectors stay the one description of the rules; each statement here mirrors them as the
ORM wrote them (building those queries was most of the board page's CPU):
* `viewer_on_board`: `selectors.pseudonym_of` (the pseudonym of the user's identity),
  `selectors.board_get` (`boards_visible_to`: open boards and the boards of the user's
  department or its parent, every board for a moderator, none for anyone who may not use the
  forum), `selectors.unread_notification_count` and `selectors.is_subscribed(board=…)`;
* `topics_for_board`: `selectors.topics_for_board` (pinned first, then by last activity, each
  with the reader's read state);
* `boards_for_index`: `selectors.boards_for_index` (the forum's own boards the user may see, in
  the boards' order, with their last post's topic and pseudonym), `selectors.pseudonym_of` and
  `selectors.unread_notification_count`;
* `topic_page`: `selectors.topic_get` (a topic of a board `boards_visible_to` the user, else
  404), `selectors.page_count`, `selectors.posts_for_topic` (the posts numbered into the page's
  range, hidden and deleted ones included: the page shows them as such),
  `selectors.read_number`, `selectors.is_subscribed(topic=…)`, `selectors.pseudonym_of` and
  `selectors.unread_notification_count`.
Authors appear by pseudonym (or what a post was signed as) only: nothing here reads the
identities behind the pseudonyms beyond the viewer's own.
tests/integration/forum/test_statements.py checks both against the selectors.
"""

from dataclasses import dataclass

from django.db import connections
from django.http import Http404

from forum.models import (
    Board,
    Identity,
    Notification,
    Post,
    Pseudonym,
    Subscription,
    Topic,
    TopicRead,
)
from forum.permissions import is_moderator, may_use_forum
from forum.selectors import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    TopicPage,
    _department_ids,
    annotate_unread,
    unread_cutoff,
)
from portal.names import in_reader_language

BOARD_COLUMNS = (
    "id",
    "name",
    "name_en",
    "slug",
    "description",
    "department_id",
    "owner_app",
    "sort_order",
    "topic_count",
    "post_count",
    "last_post_id",
    "last_activity_at",
)
PSEUDONYM_COLUMNS = ("id", "name", "created_at", "renamed_at", "email_notifications")


def _connection():
    return connections[Topic.objects.db]


def _datetime_reader(connection):
    """Reads a time column as the ORM does (SQLite gives the stored text, naive UTC)."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is None:
        return lambda value: value
    return lambda value: convert(value, None, connection)


def _table(model, quote) -> str:
    return quote(model._meta.db_table)


def _visible_boards(user) -> tuple[str, list]:
    """`boards_visible_to` as a condition on the boards `b` (the caller has checked
    `may_use_forum`): every board for a moderator, else open boards and those of the user's
    department or its parent."""
    if is_moderator(user):
        return "", []
    department_ids = _department_ids(user)
    condition = " AND (b.department_id IS NULL"
    if department_ids:
        condition += f" OR b.department_id IN ({', '.join(['%s'] * len(department_ids))})"
    return condition + ")", department_ids


def _viewer_pseudonym(connection, values) -> Pseudonym | None:
    """The viewer's pseudonym from its `PSEUDONYM_COLUMNS` (None when they have none)."""
    if values[0] is None:
        return None
    pk, name, created_at, renamed_at, email_notifications = values
    read_time = _datetime_reader(connection)
    return Pseudonym.from_db(
        connection.alias,
        list(PSEUDONYM_COLUMNS),
        [pk, name, read_time(created_at), read_time(renamed_at), bool(email_notifications)],
    )


@dataclass
class Viewer:
    """The viewer's pseudonym (None without one), their unread notifications and whether they
    follow the board."""

    pseudonym: Pseudonym | None
    notification_count: int
    subscribed: bool


def viewer_on_board(*, user, slug: str) -> tuple[Board, Viewer]:
    """The board `slug` if `user` may see it (else 404, as `board_get`), and the viewer's
    pseudonym, unread notifications and subscription, in one statement. The pseudonym is kept
    on the user as `pseudonym_of` keeps it."""
    if not may_use_forum(user):
        raise Http404
    connection = _connection()
    quote = connection.ops.quote_name
    visible, params = _visible_boards(user)
    sql = (
        "SELECT "  # noqa: S608 - names and placeholders only
        + ", ".join(f"b.{column}" for column in BOARD_COLUMNS)
        + ", "
        + ", ".join(f"ps.{column}" for column in PSEUDONYM_COLUMNS)
        + f", (SELECT COUNT(*) FROM {_table(Notification, quote)} nt"  # noqa: S608
        " WHERE nt.recipient_id = ps.id AND nt.read_at IS NULL),"
        f" EXISTS (SELECT 1 FROM {_table(Subscription, quote)} s"
        " WHERE s.pseudonym_id = ps.id AND s.board_id = b.id AND s.topic_id IS NULL)"
        " FROM (SELECT 1 AS one) viewer"
        f" LEFT OUTER JOIN {_table(Board, quote)} b ON b.slug = %s{visible}"
        f" LEFT OUTER JOIN {_table(Pseudonym, quote)} ps ON ps.id = ("
        f"SELECT i.pseudonym_id FROM {_table(Identity, quote)} i WHERE i.user_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, *params, user.pk])
        row = cursor.fetchone()
    board_values = row[: len(BOARD_COLUMNS)]
    pseudonym_values = row[len(BOARD_COLUMNS) : len(BOARD_COLUMNS) + len(PSEUDONYM_COLUMNS)]
    notification_count, subscribed = row[-2:]
    read_time = _datetime_reader(connection)
    pseudonym = _viewer_pseudonym(connection, pseudonym_values)
    user._forum_pseudonym = pseudonym
    if board_values[0] is None:
        raise Http404
    values = list(board_values)
    values[-1] = read_time(values[-1])
    board = Board.from_db(connection.alias, list(BOARD_COLUMNS), values)
    return board, Viewer(
        pseudonym=pseudonym,
        notification_count=notification_count if pseudonym is not None else 0,
        subscribed=pseudonym is not None and bool(subscribed),
    )


@dataclass
class LastPost:
    """What a list shows of a topic's last post: who wrote it, by pseudonym."""

    author_label: str


@dataclass
class TopicRow:
    """What a board's list shows of a topic (`tables.topic_rows`)."""

    pk: int
    title: str
    is_pinned: bool
    is_locked: bool
    reply_count: int
    last_post_number: int
    last_post_id: int | None
    last_activity_at: object
    read_number: int
    author_label: str
    last_post: LastPost | None
    is_new: bool = False
    is_unread: bool = False


def topics_for_board(*, board: Board, user, page: int = 1) -> TopicPage:
    """`selectors.topics_for_board` in one written-out statement: a page of the board's
    topics, pinned first then by last activity, with the reader's read state."""
    connection = _connection()
    quote = connection.ops.quote_name
    from forum.models import TopicRead

    start = (page - 1) * TOPICS_PER_PAGE
    sql = (
        "SELECT t.id, t.title, t.is_pinned, t.is_locked, t.reply_count, t.last_post_number,"  # noqa: S608
        " t.last_post_id, t.last_activity_at,"  # names and placeholders only
        f" COALESCE((SELECT r.last_read_number FROM {_table(TopicRead, quote)} r"
        " WHERE r.topic_id = t.id AND r.user_id = %s), -1),"
        " t.author_id, a.name, t.signed_as, lp.id, lp.author_id, la.name, lp.signed_as"
        f" FROM {_table(Topic, quote)} t"
        f" LEFT OUTER JOIN {_table(Pseudonym, quote)} a ON a.id = t.author_id"
        f" LEFT OUTER JOIN {_table(Post, quote)} lp ON lp.id = t.last_post_id"
        f" LEFT OUTER JOIN {_table(Pseudonym, quote)} la ON la.id = lp.author_id"
        " WHERE t.board_id = %s"
        " ORDER BY t.is_pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, board.pk, TOPICS_PER_PAGE + 1, start])
        fetched = cursor.fetchall()
    read_time = _datetime_reader(connection)
    topics = [
        TopicRow(
            pk=pk,
            title=title,
            is_pinned=bool(is_pinned),
            is_locked=bool(is_locked),
            reply_count=reply_count,
            last_post_number=last_post_number,
            last_post_id=last_post_id,
            last_activity_at=read_time(last_activity_at),
            read_number=read_number,
            author_label=author_name if author_id is not None else signed_as,
            last_post=(
                None
                if post_id is None
                else LastPost(post_author_name if post_author_id is not None else post_signed_as)
            ),
        )
        for (
            pk,
            title,
            is_pinned,
            is_locked,
            reply_count,
            last_post_number,
            last_post_id,
            last_activity_at,
            read_number,
            author_id,
            author_name,
            signed_as,
            post_id,
            post_author_id,
            post_author_name,
            post_signed_as,
        ) in fetched
    ]
    has_next = len(topics) > TOPICS_PER_PAGE
    return TopicPage(annotate_unread(topics[:TOPICS_PER_PAGE]), page, has_next)


@dataclass
class BoardLastPost:
    """What the index shows of a board's last post: its topic's title and its author, by
    pseudonym (or what it was signed as)."""

    topic_title: str
    author_label: str


@dataclass
class BoardRow:
    """What the index shows of a board (`tables.board_rows`)."""

    slug: str
    name: str
    name_en: str
    description: str
    department_id: int | None
    topic_count: int
    post_count: int
    last_post_id: int | None
    last_activity_at: object
    last_post: BoardLastPost | None

    @property
    def display_name(self):
        return in_reader_language(self.name, self.name_en)


def boards_for_index(*, user) -> tuple[list[BoardRow], Viewer]:
    """`selectors.boards_for_index` in one written-out statement, with the viewer's pseudonym
    (kept on the user as `pseudonym_of` keeps it) and unread notifications. The caller has
    checked `may_use_forum`."""
    connection = _connection()
    quote = connection.ops.quote_name
    visible, params = _visible_boards(user)
    pseudonym_table = _table(Pseudonym, quote)
    sql = (
        "SELECT "  # noqa: S608 - names and placeholders only
        + ", ".join(f"ps.{column}" for column in PSEUDONYM_COLUMNS)
        + f", (SELECT COUNT(*) FROM {_table(Notification, quote)} nt"  # noqa: S608
        " WHERE nt.recipient_id = ps.id AND nt.read_at IS NULL),"
        " b.id, b.slug, b.name, b.name_en, b.description, b.department_id, b.topic_count,"
        " b.post_count, b.last_post_id, b.last_activity_at,"
        " lp.id, lt.title, lp.author_id, la.name, lp.signed_as"
        " FROM (SELECT 1 AS one) viewer"
        f" LEFT OUTER JOIN {pseudonym_table} ps ON ps.id = ("
        f"SELECT i.pseudonym_id FROM {_table(Identity, quote)} i WHERE i.user_id = %s)"
        f" LEFT OUTER JOIN {_table(Board, quote)} b ON b.owner_app = ''{visible}"
        f" LEFT OUTER JOIN {_table(Post, quote)} lp ON lp.id = b.last_post_id"
        f" LEFT OUTER JOIN {_table(Topic, quote)} lt ON lt.id = lp.topic_id"
        f" LEFT OUTER JOIN {pseudonym_table} la ON la.id = lp.author_id"
        " ORDER BY b.sort_order, b.name, b.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *params])
        fetched = cursor.fetchall()
    columns = len(PSEUDONYM_COLUMNS)
    pseudonym = _viewer_pseudonym(connection, fetched[0][:columns])
    user._forum_pseudonym = pseudonym
    notification_count = fetched[0][columns] if pseudonym is not None else 0
    read_time = _datetime_reader(connection)
    boards = [
        BoardRow(
            slug=slug,
            name=name,
            name_en=name_en,
            description=description,
            department_id=department_id,
            topic_count=topic_count,
            post_count=post_count,
            last_post_id=last_post_id,
            last_activity_at=read_time(last_activity_at),
            last_post=(
                None
                if post_id is None
                else BoardLastPost(
                    topic_title, post_author_name if post_author_id is not None else signed_as
                )
            ),
        )
        for (
            board_id,
            slug,
            name,
            name_en,
            description,
            department_id,
            topic_count,
            post_count,
            last_post_id,
            last_activity_at,
            post_id,
            topic_title,
            post_author_id,
            post_author_name,
            signed_as,
        ) in (row[columns + 1 :] for row in fetched)
        if board_id is not None
    ]
    return boards, Viewer(
        pseudonym=pseudonym, notification_count=notification_count, subscribed=False
    )


TOPIC_COLUMNS = tuple(field.attname for field in Topic._meta.concrete_fields)
POST_COLUMNS = (
    "id",
    "number",
    "author_id",
    "signed_as",
    "body_html",
    "created_at",
    "edited_at",
    "is_deleted",
    "is_hidden",
    "hidden_reason",
)
LAST_PAGE = 100_000  # asks for the topic's last page (no topic has this many pages)


@dataclass
class PostRow:
    """What a topic's page shows of a post: its author by pseudonym (or what it was signed as)
    only. `topic` is the page's topic (the permissions read whether it is locked)."""

    pk: int
    number: int
    author_id: int | None
    author_label: str
    body_html: str
    created_at: object
    edited_at: object
    is_deleted: bool
    is_hidden: bool
    hidden_reason: str
    topic: Topic

    @property
    def is_visible(self):
        return not (self.is_hidden or self.is_deleted)


@dataclass
class TopicView:
    """A topic's page: the topic (with its board), the page's number and count, its posts, how
    far the viewer had read it, and the viewer."""

    topic: Topic
    page_number: int
    page_count: int
    posts: list[PostRow]
    read_before: int
    viewer: Viewer


def _page_count_sql(column: str) -> str:
    """`selectors.page_count` in SQL (integer division in PostgreSQL and SQLite alike)."""
    rounded_up = f"({column} + {POSTS_PER_PAGE - 1}) / {POSTS_PER_PAGE}"
    return f"(CASE WHEN {column} > 0 THEN {rounded_up} ELSE 1 END)"


def topic_page(*, user, topic_id: int, page: int) -> TopicView:
    """The topic `topic_id` if `user` may see its board (else 404, as `topic_get`), its page
    `page` (the last page when `page` is past it, or `LAST_PAGE`) with its posts, and the
    viewer, in one statement. The pseudonym is kept on the user as `pseudonym_of` keeps it.
    The caller has checked `may_use_forum`."""
    connection = _connection()
    quote = connection.ops.quote_name
    visible, params = _visible_boards(user)
    pseudonym_table = _table(Pseudonym, quote)
    page_count = _page_count_sql("t.last_post_number")
    # The first post number before the page: that of the page asked for, or of the last page.
    before = f"((CASE WHEN %s < {page_count} THEN %s ELSE {page_count} END - 1) * {POSTS_PER_PAGE})"
    sql = (
        "SELECT "  # noqa: S608 - names and placeholders only
        + ", ".join(f"ps.{column}" for column in PSEUDONYM_COLUMNS)
        + f", (SELECT COUNT(*) FROM {_table(Notification, quote)} nt"  # noqa: S608
        " WHERE nt.recipient_id = ps.id AND nt.read_at IS NULL),"
        f" EXISTS (SELECT 1 FROM {_table(Subscription, quote)} s"
        " WHERE s.pseudonym_id = ps.id AND s.topic_id = t.id AND s.board_id IS NULL),"
        f" (SELECT r.last_read_number FROM {_table(TopicRead, quote)} r"
        " WHERE r.topic_id = t.id AND r.user_id = %s), "
        + ", ".join(f"t.{column}" for column in TOPIC_COLUMNS)
        + ", "
        + ", ".join(f"b.{column}" for column in BOARD_COLUMNS)
        + ", "
        + ", ".join(f"p.{column}" for column in POST_COLUMNS)
        + ", pa.name"  # noqa: S608
        " FROM (SELECT 1 AS one) viewer"
        f" LEFT OUTER JOIN {pseudonym_table} ps ON ps.id = ("
        f"SELECT i.pseudonym_id FROM {_table(Identity, quote)} i WHERE i.user_id = %s)"
        f" LEFT OUTER JOIN {_table(Topic, quote)} t ON t.id = %s"
        f" LEFT OUTER JOIN {_table(Board, quote)} b ON b.id = t.board_id{visible}"
        f" LEFT OUTER JOIN {_table(Post, quote)} p ON p.topic_id = t.id AND b.id IS NOT NULL"
        f" AND p.number > {before} AND p.number <= {before} + {POSTS_PER_PAGE}"
        f" LEFT OUTER JOIN {pseudonym_table} pa ON pa.id = p.author_id"
        " ORDER BY p.number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, topic_id, *params, page, page, page, page])
        fetched = cursor.fetchall()
    first = fetched[0]
    columns = len(PSEUDONYM_COLUMNS)
    pseudonym = _viewer_pseudonym(connection, first[:columns])
    user._forum_pseudonym = pseudonym
    notification_count, subscribed, read_number = first[columns : columns + 3]
    at = columns + 3
    topic_values = list(first[at : at + len(TOPIC_COLUMNS)])
    at += len(TOPIC_COLUMNS)
    board_values = list(first[at : at + len(BOARD_COLUMNS)])
    at += len(BOARD_COLUMNS)
    if board_values[0] is None:  # no such topic, or on a board the user may not see
        raise Http404
    read_time = _datetime_reader(connection)
    board_values[-1] = read_time(board_values[-1])
    board = Board.from_db(connection.alias, list(BOARD_COLUMNS), board_values)
    for index, column in enumerate(TOPIC_COLUMNS):
        if column in ("created_at", "last_activity_at"):
            topic_values[index] = read_time(topic_values[index])
        elif column in ("is_pinned", "is_locked"):
            topic_values[index] = bool(topic_values[index])
    topic = Topic.from_db(connection.alias, list(TOPIC_COLUMNS), topic_values)
    topic.board = board
    count = max(1, -(-topic.last_post_number // POSTS_PER_PAGE))
    posts = [
        PostRow(
            pk=pk,
            number=number,
            author_id=author_id,
            author_label=author_name if author_id is not None else signed_as,
            body_html=body_html,
            created_at=read_time(created_at),
            edited_at=read_time(edited_at),
            is_deleted=bool(is_deleted),
            is_hidden=bool(is_hidden),
            hidden_reason=hidden_reason,
            topic=topic,
        )
        for (
            pk,
            number,
            author_id,
            signed_as,
            body_html,
            created_at,
            edited_at,
            is_deleted,
            is_hidden,
            hidden_reason,
            author_name,
        ) in (row[at:] for row in fetched)
        if pk is not None
    ]
    # `selectors.read_number`: everything once the topic is past the unread cut-off.
    if topic.last_activity_at < unread_cutoff():
        read_before = topic.last_post_number
    else:
        read_before = read_number or 0
    return TopicView(
        topic=topic,
        page_number=min(page, count),
        page_count=count,
        posts=posts,
        read_before=read_before,
        viewer=Viewer(
            pseudonym=pseudonym,
            notification_count=notification_count if pseudonym is not None else 0,
            subscribed=pseudonym is not None and bool(subscribed),
        ),
    )
