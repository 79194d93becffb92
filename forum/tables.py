"""Rows of the forum's lists rendered in Python: one pass over what each row shows instead of
some twenty template nodes, two `reverse` calls and translation lookups per row (issue 18).

Authors appear by `author_label` only (the pseudonym, or what a post was signed as), exactly as
the templates showed them: nothing here reads who is behind a pseudonym."""

import unicodedata
from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html, format_html_join
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
    zone (the two formats written out: `dateformat` parses the format on every call)."""
    value = localtime(value)
    return value.isoformat(), (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    )


def _truncated(text: str, length: int) -> str:
    """`Truncator(text).chars(length)`, without its character walk when the text is short."""
    normalized = unicodedata.normalize("NFC", text)
    if len(normalized) <= length:
        return normalized
    return Truncator(text).chars(length)


def board_rows(boards) -> SafeString:
    """The <tr> elements of the forum index for `boards` (`statements.BoardRow`), written in
    one pass as the template wrote them, every value escaped."""
    board_url = url_maker("forum:board")
    post_url = url_maker("forum:post")
    department = escape(pgettext("forum", "department"))
    department = f' <span class="tag">{department}</span>'
    no_posts = escape(_("No posts yet"))
    no_posts = f'<span class="hint">{no_posts}</span>'
    rows = []
    for board in boards:
        name = (
            f'<a class="board-name" href="{escape(board_url(board.slug))}">'
            f"{escape(board.display_name)}</a>"
        )
        if board.department_id:
            name += department
        if board.description:
            name += f'\n          <p class="hint">{escape(board.description)}</p>'
        last_post = board.last_post
        if last_post is not None:
            iso, shown = time_tag(board.last_activity_at)
            last = (
                f'<a href="{escape(post_url(board.last_post_id))}">'
                f"{escape(_truncated(last_post.topic_title, 50))}</a><br>"
                f'<span class="hint"><span class="pseudonym">{escape(last_post.author_label)}'
                f'</span> · <time datetime="{escape(iso)}">{escape(shown)}</time></span>'
            )
        else:
            last = no_posts
        rows.append(
            f'<tr>\n<td>{name}</td>\n<td class="num">{escape(board.topic_count)}</td>\n'
            f'<td class="num">{escape(board.post_count)}</td>\n<td>{last}</td>\n</tr>'
        )
    return SafeString("\n".join(rows))


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


def topic_pages(page_range, *, page_number: int, page_count: int) -> SafeString:
    """The links to a topic's pages (`views.reading._page_links`: None marks a gap) as
    forum/_pages.html wrote them, rendered once for the two places the page shows them."""
    if page_count <= 1:
        return SafeString("\n")
    items = []
    for number in page_range:
        if number is None:
            items.append("<span>…</span>")
            continue
        shown = escape(localize(number))
        if number == page_number:
            items.append(f'<span aria-current="page">{shown}</span>')
        else:
            items.append(f'<a href="?page={shown}">{shown}</a>')
    label = escape(_("Pages of this topic"))
    return SafeString(
        f'\n<nav class="pagination" aria-label="{label}">\n  {"".join(items)}\n</nav>\n\n'
    )
