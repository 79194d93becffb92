"""The forum's reading pages: the index, boards, topics, unread topics, a post's permanent link,
a pseudonym's posts, a board's feed and one's notifications.

Every page shows authors by pseudonym only. The one response that names a person is the
identity auditor's reveal (`forum.views.identity.post_reveal`).
"""

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from forum import selectors, statements, tables
from forum.forms import ReplyForm
from forum.models import Pseudonym
from forum.permissions import (
    is_moderator,
    may_delete_post,
    may_edit_post,
    may_reply,
    may_see_post_history,
)
from forum.rendering import plain_text
from forum.services import reading
from forum.views.layout import forum_context, forum_page, page_number


@forum_page
def index(request):
    # The viewer's pseudonym and notifications with the boards: one written-out statement.
    boards, viewer = statements.boards_for_index(user=request.user)
    return render(
        request,
        "forum/index.html",
        forum_context(
            request,
            boards=boards,
            board_rows=tables.board_rows(boards),
            notification_count=viewer.notification_count,
        ),
    )


@forum_page
def board(request, slug):
    # The viewer's pseudonym with the board, then the topics: two written-out statements.
    current, viewer = statements.viewer_on_board(user=request.user, slug=slug)
    page = statements.topics_for_board(board=current, user=request.user, page=page_number(request))
    return render(
        request,
        "forum/board.html",
        forum_context(
            request,
            board=current,
            page=page,
            topic_rows=tables.topic_rows(page.topics),
            board_urls={
                name: tables.url_maker(f"forum:{name}")(current.slug)
                for name in ("board_feed", "topic_create", "board_subscribe")
            },
            subscribed=viewer.subscribed,
            notification_count=viewer.notification_count,
        ),
    )


@forum_page
def unread(request):
    page = selectors.unread_topics(user=request.user, page=page_number(request))
    return render(
        request,
        "forum/unread.html",
        forum_context(
            request, page=page, topic_rows=tables.topic_rows(page.topics, show_board=True)
        ),
    )


# The links of each post on a topic's page, reversed once per page rather than per post.
POST_LINKS = (
    "post",
    "post_edit",
    "post_delete",
    "post_report",
    "post_restore",
    "post_hide",
    "post_history",
    "post_reveal",
)


@forum_page
def topic(request, topic_id):
    # The viewer, the topic and the page of its posts: one written-out statement.
    requested = statements.LAST_PAGE if request.GET.get("page") == "last" else page_number(request)
    view = statements.topic_page(user=request.user, topic_id=topic_id, page=requested)
    current, posts, read_before = view.topic, view.posts, view.read_before
    if posts and posts[-1].number > read_before:
        reading.topic_mark_read(user=request.user, topic=current, number=posts[-1].number)
    pseudonym = view.viewer.pseudonym
    moderator = is_moderator(request.user)
    url_makers = {name: tables.url_maker(f"forum:{name}") for name in POST_LINKS}
    for post in posts:
        post.urls = {name: make(post.pk) for name, make in url_makers.items()}
        # One's own posts are never "unread" to oneself.
        post.is_unread = post.number > read_before and not (
            pseudonym is not None and post.author_id == pseudonym.pk
        )
        post.may_edit = may_edit_post(pseudonym=pseudonym, post=post)
        post.may_delete = may_delete_post(pseudonym=pseudonym, post=post)
        post.show_body = post.is_visible or (moderator and post.is_hidden)
        post.may_see_history = bool(post.edited_at) and may_see_post_history(
            user=request.user, pseudonym=pseudonym, post=post
        )
    return render(
        request,
        "forum/topic.html",
        forum_context(
            request,
            topic=current,
            board=current.board,
            posts=posts,
            page_number=view.page_number,
            page_count=view.page_count,
            topic_pages=tables.topic_pages(
                _page_links(view.page_number, view.page_count),
                page_number=view.page_number,
                page_count=view.page_count,
            ),
            may_reply=may_reply(pseudonym=pseudonym, topic=current, user=request.user),
            subscribed=view.viewer.subscribed,
            notification_count=view.viewer.notification_count,
            reply_url=reverse("forum:topic_reply", args=[current.pk]),
            reply_form=ReplyForm(),
        ),
    )


def _page_links(current, count):
    """First, last and a window around the current page; None marks a gap."""
    wanted = sorted({1, count, *range(max(1, current - 2), min(count, current + 2) + 1)})
    links, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            links.append(None)
        links.append(number)
        previous = number
    return links


@forum_page
def topic_unread(request, topic_id):
    """Jump to the first post the reader has not read yet."""
    current = selectors.topic_get(user=request.user, topic_id=topic_id)
    first_unread = min(
        selectors.read_number(user=request.user, topic=current) + 1, current.last_post_number
    )
    page = selectors.page_of_number(first_unread)
    return redirect(
        f"{reverse('forum:topic', args=[current.pk])}?page={page}#p{max(first_unread, 1)}"
    )


@forum_page
def pseudonym_posts(request, pseudonym_id):
    """What a pseudonym wrote, where the reader may read it: where an @mention leads."""
    author = get_object_or_404(Pseudonym, pk=pseudonym_id)
    number = page_number(request)
    posts, has_next = selectors.pseudonym_posts(user=request.user, pseudonym=author, page=number)
    for item in posts:
        item.summary = Truncator(plain_text(item.body_html)).chars(200)
    return render(
        request,
        "forum/pseudonym_posts.html",
        forum_context(request, author=author, posts=posts, page_number=number, has_next=has_next),
    )


@forum_page
def post(request, post_id):
    """A post's permanent link: its page of the topic, scrolled to it."""
    found = selectors.post_get(user=request.user, post_id=post_id)
    page = selectors.page_of_number(found.number)
    return redirect(f"{reverse('forum:topic', args=[found.topic_id])}?page={page}#p{found.number}")


class BoardFeed(Feed):
    """Atom feed of a board's latest topics (signed-in readers only, like every forum page)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return selectors.board_get(user=request.user, slug=slug)

    def title(self, obj):
        return obj.display_name

    def subtitle(self, obj):
        return obj.description

    def link(self, obj):
        return reverse("forum:board", args=[obj.slug])

    def items(self, obj):
        return (
            obj.topics.select_related("author")
            .order_by("-created_at", "-id")
            .only("id", "title", "created_at", "author__name", "signed_as", "board_id")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("Started by %(author)s") % {"author": item.author_label}

    def item_author_name(self, item):
        return item.author_label

    def item_link(self, item):
        return reverse("forum:topic", args=[item.pk])

    def item_pubdate(self, item):
        return item.created_at


board_feed = never_cache(forum_page(BoardFeed()))


@forum_page
def notifications(request):
    pseudonym = selectors.pseudonym_of(request.user)
    if request.method == "POST":
        if pseudonym is not None:
            reading.notifications_mark_read(pseudonym=pseudonym)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("forum:notifications")
    items = selectors.notifications_for(pseudonym=pseudonym)
    return render(request, "forum/notifications.html", forum_context(request, items=items))
