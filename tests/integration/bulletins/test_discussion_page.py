"""The discussion page's written-out statements (bulletins.discussion_page) give what the ORM
selectors give: the same discussions for every role (404 alike for missing and not allowed),
the same board, counts and viewer's pseudonym, the same page of suggestions with the same marks
(hidden replies left out, deleted ones kept), pseudonyms only; the page's queries do not grow
with the suggestions, and its rows are the ones the ORM's posts wrote."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone, translation

from bulletins.discussion_page import (
    discussion_for_reader,
    discussion_page,
    suggestions_page,
)
from bulletins.models import Board, Discussion, SuggestionMark
from bulletins.selectors import (
    SUGGESTIONS_PAGE_SIZE,
    discussion_page_context,
    discussions_visible_to,
)
from bulletins.suggestion_rows import suggestion_rows_html
from forum.models import Post
from forum.selectors import pseudonym_of, topic_replies
from portal.models import User
from tests.factories.bulletins import channel
from tests.factories.forum import pseudonym_for
from tests.factories.people import (
    DepartmentFactory,
    EmployeeFactory,
    RetailerLoginFactory,
    UserFactory,
)
from tests.integration.bulletins.test_discussions import _open
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request reads them (no per-request caches)."""
    if not user.is_authenticated:
        return user
    return User.objects.get(pk=user.pk)


def _add_replies(discussion, count, *, author, start=None):
    """`count` more replies: every fifth hidden, every seventh deleted, every third unsigned
    by a pseudonym (signed as a department)."""
    last = Post.objects.filter(topic_id=discussion.forum_topic_id).order_by("-number").first()
    first = start or (last.number + 1 if last else 2)
    Post.objects.bulk_create(
        Post(
            topic_id=discussion.forum_topic_id,
            number=number,
            author=None if number % 3 == 0 else author,
            signed_as="销售科" if number % 3 == 0 else "",
            body=f"建议{number}",
            body_html=f"<p>建议{number} &amp; more</p>",
            is_hidden=number % 5 == 0,
            is_deleted=number % 7 == 0,
        )
        for number in range(first, first + count)
    )


@pytest.fixture
def world(sales, sales_head, sales_board, quality, quality_head, quality_board):
    section = DepartmentFactory(code="sales-east", name="东区", name_en="East", parent=sales)
    writer = EmployeeFactory(department=sales, name="王小明")
    author = pseudonym_for(writer.user, "SwiftOtter")
    discussions = {
        "sales": _open(sales_board, sales_head.user),
        "quality": _open(quality_board, quality_head.user),
        "news": _open(channel(), None),
        "closed": _open(sales_board, sales_head.user),
    }
    Discussion.objects.filter(pk=discussions["closed"].pk).update(closed_at=timezone.now())
    for index, discussion in enumerate(discussions.values()):
        _add_replies(discussion, 5 + 13 * index, author=author)
        replies = list(topic_replies(topic_id=discussion.forum_topic_id))
        for post, status in zip(
            replies[::2], ["adopted", "considering", "not_adopted"] * 9, strict=False
        ):
            SuggestionMark.objects.create(
                discussion=discussion, post_id=post.pk, status=status, answer=f"答 <{post.pk}>"
            )
    reader = EmployeeFactory(department=sales).user
    pseudonym_for(reader, "QuietHeron")
    users = {
        "anonymous": AnonymousUser(),
        "retailer": RetailerLoginFactory().user,
        "superuser": UserFactory(is_superuser=True),
        "superuser without employee": UserFactory(is_superuser=True, kind=User.Kind.RETAILER),
        "sales reader": reader,
        "sales section": EmployeeFactory(department=section).user,
        "sales head": sales_head.user,
        "quality head": quality_head.user,
        "quality reader": EmployeeFactory(department=quality).user,
        "no employee record": UserFactory(),
        "writer": writer.user,
    }
    return discussions, users


def _orm(user, discussion_id):
    """What the ORM selectors give: (discussion, board header, counts, pseudonym name)."""
    try:
        discussion = discussions_visible_to(user=user).select_related("board").get(pk=discussion_id)
    except Discussion.DoesNotExist:
        return None
    context = discussion_page_context(discussion=discussion, user=user)
    pseudonym = pseudonym_of(user)
    return (
        _discussion_values(discussion),
        context["page"].paginator.count,
        [(str(label), count) for label, count in context["mark_counts"]],
        pseudonym.name if pseudonym else None,
    )


def _discussion_values(discussion):
    board = discussion.board
    return (
        [getattr(discussion, field.attname) for field in Discussion._meta.concrete_fields],
        (board.pk, board.path, board.depth, board.title, board.title_en, board.url_path),
        (board.kind, board.display_title),
    )


def _statement(user, discussion_id):
    try:
        reader = discussion_for_reader(user=user, discussion_id=discussion_id)
    except Http404:
        return None
    context = discussion_page(reader=reader, user=user)
    return (
        _discussion_values(reader.discussion),
        context["page"].paginator.count,
        [(str(label), count) for label, count in context["mark_counts"]],
        reader.pseudonym.name if reader.pseudonym else None,
    )


def test_every_role_reads_the_same_discussions_as_the_selector(world):
    discussions, users = world
    missing = max(d.pk for d in discussions.values()) + 1
    seen = {}
    for role, user in users.items():
        for name, discussion in [*discussions.items(), ("missing", None)]:
            discussion_id = discussion.pk if discussion else missing
            expected = _orm(_fresh(user), discussion_id)
            assert _statement(_fresh(user), discussion_id) == expected, (role, name)
            seen[role, name] = expected is not None
    # The rules the comparison went through, each way.
    assert not any(seen["anonymous", name] or seen["retailer", name] for name in discussions)
    assert seen["sales reader", "sales"] and seen["sales section", "sales"]
    assert not seen["sales reader", "quality"] and not seen["quality head", "sales"]
    assert seen["quality reader", "news"] and seen["superuser", "quality"]
    assert not seen["no employee record", "sales"] and seen["no employee record", "news"]
    assert not any(seen[role, "missing"] for role in users)
    pseudonyms = {
        role: _statement(_fresh(user), discussions["news"].pk)[3]
        for role, user in users.items()
        if seen[role, "news"]
    }
    assert pseudonyms["sales reader"] == "QuietHeron" and pseudonyms["writer"] == "SwiftOtter"
    assert pseudonyms["sales head"] is None


def _orm_rows(discussion, offset):
    posts = list(
        topic_replies(topic_id=discussion.forum_topic_id)[offset : offset + SUGGESTIONS_PAGE_SIZE]
    )
    marks = {
        mark.post_id: mark
        for mark in SuggestionMark.objects.filter(
            discussion=discussion, post_id__in=[post.pk for post in posts]
        )
    }
    for post in posts:
        post.mark = marks.get(post.pk)
    return posts


def _row_values(post):
    mark = post.mark
    return (
        post.pk,
        post.signed_as,
        post.body_html,
        post.created_at,
        post.is_deleted,
        post.author.name if post.author else None,
        (mark.status, mark.answer, str(mark.get_status_display())) if mark else None,
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_of_suggestions_is_the_orms_row_for_row_and_byte_for_byte(world, language):
    discussions, _users = world
    _add_replies(discussions["sales"], 50, author=None)
    for discussion in discussions.values():
        count = topic_replies(topic_id=discussion.forum_topic_id).count()
        for offset in range(0, count + SUGGESTIONS_PAGE_SIZE, 7):
            expected = _orm_rows(discussion, offset)
            rows = suggestions_page(
                discussion=discussion, offset=offset, limit=SUGGESTIONS_PAGE_SIZE
            )
            assert [_row_values(row) for row in rows] == [_row_values(p) for p in expected]
            with translation.override(language):
                for may_manage in (False, True):
                    options = {
                        "discussion_id": discussion.pk,
                        "page_number": 2,
                        "statuses": SuggestionMark.Status.choices,
                        "may_manage": may_manage,
                        "csrf_token": "token",
                    }
                    assert suggestion_rows_html(rows, **options) == suggestion_rows_html(
                        expected, **options
                    )
    # The comparison went through hidden, deleted, unsigned and marked replies.
    rows = suggestions_page(discussion=discussions["sales"], offset=0, limit=100)
    assert not any(row.number % 5 == 0 for row in rows)
    assert any(row.is_deleted for row in rows) and any(row.author is None for row in rows)
    assert any(row.mark for row in rows) and any(row.mark is None for row in rows)


def test_suggestions_name_pseudonyms_only(world):
    discussions, users = world
    rows = suggestions_page(discussion=discussions["sales"], offset=0, limit=100)
    names = {row.author.name for row in rows if row.author}
    assert names == {"SwiftOtter"}
    writer = users["writer"]
    secrets = [writer.employee.name, writer.username, writer.employee.employee_number]
    for row in rows:
        for value in (row.signed_as, row.body_html, row.author.name if row.author else ""):
            assert not any(secret in value for secret in secrets)


def test_a_mark_or_a_reply_shows_on_the_next_request(client, intranet, world):
    discussions, users = world
    discussion = discussions["sales"]
    client.force_login(users["sales reader"])
    url = f"/bulletins/discussions/{discussion.pk}/?page=last"
    before = client.get(url).content.decode()
    _add_replies(discussion, 1, author=None)
    post = topic_replies(topic_id=discussion.forum_topic_id).last()
    SuggestionMark.objects.create(discussion=discussion, post_id=post.pk, status="adopted")
    after = client.get(url).content.decode()
    assert f'id="post-{post.pk}"' not in before and f'id="post-{post.pk}"' in after
    assert "mark-adopted" in after.split(f'id="post-{post.pk}"', 1)[1].split("</li>", 1)[0]


@pytest.mark.parametrize("role", ["sales reader", "sales head"])
def test_the_discussion_page_has_bounded_queries(client, intranet, world, role):
    discussions, users = world
    discussion = discussions["sales"]
    client.force_login(users[role])

    def grow(size):
        _add_replies(discussion, size * SUGGESTIONS_PAGE_SIZE, author=None)

    # The session and user, the board editors' boards, the discussion and the page of
    # suggestions.
    assert_bounded_queries(
        client, f"/bulletins/discussions/{discussion.pk}/?page=last", grow, max_queries=5
    )


def test_a_board_without_english_title_and_a_channel_keep_their_header(world):
    discussions, users = world
    reader = discussion_for_reader(
        user=_fresh(users["quality reader"]), discussion_id=discussions["news"].pk
    )
    board = Board.objects.get(pk=reader.discussion.board_id)
    assert reader.discussion.board.display_title == board.display_title
    assert reader.discussion.board.kind == board.kind == Board.Kind.NEWS
