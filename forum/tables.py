"""Rows of the forum's lists rendered in Python: one pass over what each row shows instead of
some twenty template nodes, two `reverse` calls and translation lookups per row (issue 18).

Authors appear by `author_label` only (the pseudonym, or what a post was signed as), exactly as
the templates showed them: nothing here reads who is behind a pseudonym."""

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

_ID = 987654321  # stands for each row's id (or slug) in the one URL reversed per list


def url_maker(name: str):
    """A function from an id (or slug) to the URL `name` takes it in: one `reverse` per
    URLconf and script prefix, not per row."""
    head, tail = _url_parts(name, get_urlconf(settings.ROOT_URLCONF), get_script_prefix())
    return lambda value: f"{head}{value}{tail}"


@cache
def _url_parts(name: str, urlconf: str, script_prefix: str) -> tuple[str, str]:
    head, tail = reverse(name, args=[_ID], urlconf=urlconf).split(str(_ID))
    return head, tail


def time_tag(value) -> tuple[str, str]:
    """What `{{ value|date:'c' }}` and `{{ value|date:"Y-m-d H:i" }}` show, in the current time
    zone."""
    value = localtime(value)
    return dateformat.format(value, "c"), dateformat.format(value, "Y-m-d H:i")


def board_rows(boards) -> SafeString:
    """The <tr> elements of the forum index for `boards` (with `last_post__author` and
    `last_post__topic` loaded)."""
    board_url = url_maker("forum:board")
    post_url = url_maker("forum:post")
    department = pgettext("forum", "department")
    no_posts = _("No posts yet")
    rows = []
    for board in boards:
        name = format_html(
            '<a class="board-name" href="{}">{}</a>', board_url(board.slug), board.display_name
        )
        if board.department_id:
            name = format_html('{} <span class="tag">{}</span>', name, department)
        if board.description:
            name = format_html('{}\n          <p class="hint">{}</p>', name, board.description)
        last_post = board.last_post
        if last_post is not None:
            iso, shown = time_tag(board.last_activity_at)
            last = format_html(
                '<a href="{}">{}</a><br><span class="hint"><span class="pseudonym">{}</span> · '
                '<time datetime="{}">{}</time></span>',
                post_url(board.last_post_id),
                Truncator(last_post.topic.title).chars(50),
                last_post.author_label,
                iso,
                shown,
            )
        else:
            last = format_html('<span class="hint">{}</span>', no_posts)
        rows.append((name, board.topic_count, board.post_count, last))
    return format_html_join(
        "\n",
        '<tr>\n<td>{}</td>\n<td class="num">{}</td>\n<td class="num">{}</td>\n<td>{}</td>\n</tr>',
        rows,
    )


def topic_rows(topics, *, show_board: bool = False) -> SafeString:
    """The <tr> elements of a list of topics (a board's page, the unread topics) with their
    read state (`selectors.annotate_unread`), `author` and `last_post__author` loaded (and
    `board` when `show_board`)."""
    topic_url = url_maker("forum:topic")
    unread_url = url_maker("forum:topic_unread")
    post_url = url_maker("forum:post")
    pinned = format_html('<span class="tag">{}</span>', pgettext("forum", "pinned"))
    locked = format_html('<span class="tag">{}</span>', pgettext("forum", "locked"))
    new = format_html('<span class="tag new">{}</span>', _("new"))
    unread = pgettext("forum", "unread")
    started_by = _('by <span class="pseudonym">%(author)s</span>')
    rows = []
    for topic in topics:
        tags = []
        if topic.is_pinned:
            tags.append(pinned)
        if topic.is_locked:
            tags.append(locked)
        if topic.is_new:
            tags.append(new)
        elif topic.is_unread:
            tags.append(
                format_html('<a class="tag new" href="{}">{}</a>', unread_url(topic.pk), unread)
            )
        board = (
            format_html(' <span class="hint">· {}</span>', topic.board.display_name)
            if show_board
            else ""
        )
        last_post = topic.last_post
        last = (
            format_html(
                '<a href="{}"><span class="pseudonym">{}</span></a><br>',
                post_url(topic.last_post_id),
                last_post.author_label,
            )
            if last_post is not None
            else ""
        )
        iso, shown = time_tag(topic.last_activity_at)
        rows.append(
            (
                "unread" if topic.is_unread else "",
                SafeString(" ".join(tags)),
                topic_url(topic.pk),
                topic.title,
                board,
                SafeString(started_by % {"author": conditional_escape(topic.author_label)}),
                topic.reply_count,
                last,
                iso,
                shown,
            )
        )
    return format_html_join(
        "\n",
        '<tr class="{}">\n<td>\n{} <a class="topic-title" href="{}">{}</a>{}\n'
        '<br><span class="hint">{}</span>\n</td>\n<td class="num">{}</td>\n'
        '<td>{}<span class="hint"><time datetime="{}">{}</time></span></td>\n</tr>',
        rows,
    )
