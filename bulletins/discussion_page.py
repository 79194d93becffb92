"""The discussion page read in two written-out SQL statements instead of five ORM queries
(building those queries and their model instances was most of the page's CPU):

* `discussion_for_reader`: the discussion and what the page shows of its board, if `user` may
  see it (`selectors.discussions_visible_to`: the channels' discussions for all staff, a
  department board's for its audience (`audience_department_ids`), every board's for its
  editors (`permissions.managed_boards`) and for a superuser, none for anyone but employees),
  with its counts (`suggestion_counts`) and the viewer's pseudonym's name
  (`forum.selectors.pseudonym_of`);
* `suggestions_page`: a page of its suggestions (`forum.selectors.topic_replies`: the forum
  topic's replies in order, a hidden one left out, a deleted one kept), each with its author's
  pseudonym and the board's mark (`SuggestionMark`), as `selectors.discussion_page_context`
  pairs them.

The selectors stay the one description of the rules; forum writes its own part out
(`forum.selectors.topic_replies_sql`, `pseudonym_name_sql`). Authors appear by pseudonym (or
what a post was signed as) only: nothing here reads the identities behind the pseudonyms
beyond the viewer's own pseudonym's name.
tests/integration/bulletins/test_discussion_page.py checks both against the selectors.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import DateTimeField
from django.http import Http404

from bulletins.models import Board, Discussion, SuggestionMark
from bulletins.permissions import managed_boards, may_manage_board
from bulletins.selectors import (
    SUGGESTIONS_PAGE_SIZE,
    audience_department_ids,
)
from forum.selectors import pseudonym_name_sql, topic_replies_count_sql, topic_replies_sql

DISCUSSION_FIELDS = tuple(field.attname for field in Discussion._meta.concrete_fields)
# The board's header fields (`selectors.BOARD_HEADER_FIELDS`, by attribute name) and their
# columns, in the model's field order (`Model.from_db` reads a subset in that order).
_BOARD_SOURCES = {
    "id": ("p", "id"),
    "path": ("p", "path"),
    "depth": ("p", "depth"),
    "title": ("p", "title"),
    "url_path": ("p", "url_path"),
    "page_ptr_id": ("b", "page_ptr_id"),
    "kind": ("b", "kind"),
    "title_en": ("b", "title_en"),
}
BOARD_COLUMNS = {
    field.attname: _BOARD_SOURCES[field.attname]
    for field in Board._meta.concrete_fields
    if field.attname in _BOARD_SOURCES
}
STATUSES = tuple(value for value, _label in SuggestionMark.Status.choices)


def _connection():
    return connections[Discussion.objects.db]


def _datetime_reader(connection):
    """Reads a time column as the ORM does (SQLite gives the stored text, naive UTC)."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is None:
        return lambda value: value
    return lambda value: convert(value, None, connection) if value is not None else None


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


@dataclass
class ViewerPseudonym:
    """What the page shows of the viewer's own pseudonym."""

    name: str


@dataclass
class DiscussionForReader:
    """The discussion (with its board), its suggestions' count, {mark status: how many} and
    the viewer's pseudonym (None without one)."""

    discussion: Discussion
    replies: int
    mark_counts: dict
    pseudonym: ViewerPseudonym | None


def _visible(user) -> tuple[str, list]:
    """`discussions_visible_to` as a condition on the board `b`."""
    if user.is_superuser:
        return "", []
    params = list(Board.CHANNELS)
    condition = f" AND (b.kind IN ({_in(Board.CHANNELS)})"
    department_ids = list(audience_department_ids(user))
    if department_ids:
        condition += f" OR b.department_id IN ({_in(department_ids)})"
        params += department_ids
    managed = list(managed_boards(user))
    if managed:
        condition += f" OR d.board_id IN ({_in(managed)})"
        params += managed
    return condition + ")", params


def discussion_for_reader(*, user, discussion_id: int) -> DiscussionForReader:
    """The discussion `discussion_id` if `user` may see it (else 404, as
    `get_visible_or_404(discussions_visible_to(user=user), pk=…)`), with its board's header
    fields, its counts and the viewer's pseudonym, in one statement."""
    if not user.is_authenticated or not user.is_employee:
        raise Http404
    connection = _connection()
    quote = connection.ops.quote_name
    visible, visible_params = _visible(user)
    replies_sql, replies_params = topic_replies_count_sql(quote, 0)
    # The count of the discussion's own topic: its first condition, on the row's topic.
    topic_condition = "p.topic_id = %s"
    if topic_condition not in replies_sql:
        raise ValueError("forum's replies count changed its topic condition")
    replies_sql = replies_sql.replace(topic_condition, "p.topic_id = d.forum_topic_id", 1)
    pseudonym_sql, pseudonym_params = pseudonym_name_sql(quote, user.pk)
    per_status = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(SuggestionMark._meta.db_table)} m"  # noqa: S608
        " WHERE m.discussion_id = d.id AND m.status = %s)"
        for _status in STATUSES
    )
    sql = (
        "SELECT "  # noqa: S608 - names and placeholders only
        + ", ".join(f"d.{quote(name)}" for name in DISCUSSION_FIELDS)
        + ", "
        + ", ".join(f"{table}.{quote(column)}" for table, column in BOARD_COLUMNS.values())
        + f", ({replies_sql})"
        + f", {per_status}, ({pseudonym_sql})"
        + f" FROM {quote(Discussion._meta.db_table)} d"
        f" INNER JOIN {quote(Board._meta.db_table)} b ON b.page_ptr_id = d.board_id"
        f" INNER JOIN {quote('wagtailcore_page')} p ON p.id = b.page_ptr_id"
        f" WHERE d.id = %s{visible}"
    )
    params = [
        *replies_params[1:],
        *STATUSES,
        *pseudonym_params,
        discussion_id,
        *visible_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404
    read_time = _datetime_reader(connection)
    values = list(row[: len(DISCUSSION_FIELDS)])
    for index, field in enumerate(Discussion._meta.concrete_fields):
        if isinstance(field, DateTimeField):
            values[index] = read_time(values[index])
    discussion = Discussion.from_db(connection.alias, list(DISCUSSION_FIELDS), values)
    board_values = row[len(DISCUSSION_FIELDS) : len(DISCUSSION_FIELDS) + len(BOARD_COLUMNS)]
    discussion.board = Board.from_db(connection.alias, list(BOARD_COLUMNS), list(board_values))
    replies, *counts, pseudonym_name = row[len(DISCUSSION_FIELDS) + len(BOARD_COLUMNS) :]
    return DiscussionForReader(
        discussion=discussion,
        replies=replies,
        mark_counts=dict(zip(STATUSES, counts, strict=True)),
        pseudonym=ViewerPseudonym(pseudonym_name) if pseudonym_name is not None else None,
    )


@dataclass
class Author:
    name: str


@dataclass
class Mark:
    """The board's mark of a suggestion, as the page shows it."""

    status: str
    answer: str

    def get_status_display(self):
        return dict(SuggestionMark.Status.choices).get(self.status, self.status)


@dataclass
class Suggestion:
    """A suggestion (a forum reply) as the page shows it: `author` is its pseudonym (None
    without one, then `signed_as` names it), `mark` the board's mark or None."""

    pk: int
    number: int
    signed_as: str
    body_html: str
    created_at: object
    is_deleted: bool
    author: Author | None
    mark: Mark | None


def suggestions_page(*, discussion: Discussion, offset: int, limit: int) -> list[Suggestion]:
    """The discussion's suggestions `offset` to `offset + limit` with their marks, in one
    statement."""
    connection = _connection()
    quote = connection.ops.quote_name
    replies_sql, replies_params = topic_replies_sql(quote, discussion.forum_topic_id)
    sql = (
        "SELECT r.id, r.number, r.signed_as, r.body_html, r.created_at, r.is_deleted,"  # noqa: S608
        " r.author_name, m.status, m.answer"
        f" FROM ({replies_sql} LIMIT %s OFFSET %s) r"
        f" LEFT OUTER JOIN {quote(SuggestionMark._meta.db_table)} m"
        " ON m.post_id = r.id AND m.discussion_id = %s ORDER BY r.number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*replies_params, limit, offset, discussion.pk])
        rows = cursor.fetchall()
    read_time = _datetime_reader(connection)
    suggestions = []
    for row in rows:
        pk, number, signed_as, body_html, created_at, is_deleted, author_name, status, answer = row
        suggestions.append(
            Suggestion(
                pk=pk,
                number=number,
                signed_as=signed_as,
                body_html=body_html,
                created_at=read_time(created_at),
                is_deleted=bool(is_deleted),
                author=Author(author_name) if author_name is not None else None,
                mark=Mark(status, answer) if status is not None else None,
            )
        )
    return suggestions


class _Suggestions:
    """The paginator's object list: a slice of it is read as one page of suggestions."""

    def __init__(self, discussion):
        self.discussion = discussion

    def __getitem__(self, bounds: slice):
        return suggestions_page(
            discussion=self.discussion,
            offset=bounds.start,
            limit=bounds.stop - bounds.start,
        )


def discussion_page(*, reader: DiscussionForReader, user, page_number=None) -> dict:
    """`selectors.discussion_page_context` from the statements above: the same dict."""
    discussion = reader.discussion
    paginator = Paginator(_Suggestions(discussion), SUGGESTIONS_PAGE_SIZE)
    paginator.count = reader.replies  # a cached property: not counted again
    page = paginator.get_page(paginator.num_pages if page_number == "last" else page_number)
    suggestions = list(page.object_list)
    return {
        "discussion": discussion,
        "board": discussion.board,
        "state": discussion.state(),
        "suggestions": suggestions,
        "page": page,
        "mark_counts": [
            (label, reader.mark_counts.get(value, 0))
            for value, label in SuggestionMark.Status.choices
        ],
        "statuses": SuggestionMark.Status.choices,
        "may_manage": may_manage_board(user, discussion.board),
        "pseudonym": reader.pseudonym,
    }
