"""A board's page read in two written-out statements (forum.statements) shows what the selectors
decide: the same board or 404 for every kind of reader, the viewer's own pseudonym, unread
notifications and subscription, and the same topics in the same order with the same read
state; no name behind a pseudonym."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forum import selectors, statements
from forum.models import Board, Notification, Topic, TopicRead
from forum.services import posting
from tests.conftest import make_role_user
from tests.factories.forum import BoardFactory, pseudonym_for, topic_with_posts
from tests.factories.people import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would have it (nothing cached on it)."""
    user.__dict__.pop("_forum_pseudonym", None)
    return user


@pytest.fixture
def boards(board):
    sales = DepartmentFactory(code="sales")
    section = DepartmentFactory(code="sales-east", parent=sales)
    quality = DepartmentFactory(code="quality")
    return {
        "open": board,
        "sales": BoardFactory(department=sales),
        "quality": BoardFactory(department=quality),
        "departments": {"sales": sales, "section": section, "quality": quality},
    }


def test_the_board_and_the_viewer_are_what_the_selectors_decide(boards, alice, moderator):
    departments = boards["departments"]
    readers = {
        "alice": alice,
        "moderator": moderator,
        "section member": EmployeeFactory(department=departments["section"]).user,
        "quality member": EmployeeFactory(department=departments["quality"]).user,
        "retailer": make_role_user("retailer"),
    }
    pseudonym_for(readers["section member"], "QuietHeron77")
    for name, user in readers.items():
        for board in (boards["open"], boards["sales"], boards["quality"]):
            try:
                expected = selectors.board_get(user=fresh(user), slug=board.slug)
            except Http404:
                expected = None
            expected_pseudonym = selectors.pseudonym_of(fresh(user))
            try:
                found, viewer = statements.viewer_on_board(user=fresh(user), slug=board.slug)
            except Http404:
                found, viewer = None, None
            assert (found and found.pk) == (expected and expected.pk), (name, board.slug)
            if found is None:
                continue
            assert [getattr(found, f.attname) for f in Board._meta.concrete_fields] == [
                getattr(expected, f.attname) for f in Board._meta.concrete_fields
            ]
            assert viewer.pseudonym == expected_pseudonym
            assert user._forum_pseudonym == expected_pseudonym
            if expected_pseudonym is not None:
                assert viewer.pseudonym.name == expected_pseudonym.name
                assert viewer.pseudonym.created_at == expected_pseudonym.created_at
    with pytest.raises(Http404):
        statements.viewer_on_board(user=alice, slug="no-such-board")


def test_the_viewer_s_notifications_and_subscription(board, alice, bob):
    topic = topic_with_posts(board=board, author=bob.pseudonym, count=4)
    found, viewer = statements.viewer_on_board(user=fresh(alice), slug=board.slug)
    assert (viewer.notification_count, viewer.subscribed) == (0, False)
    posting.subscribe(alice.pseudonym, board=board)
    posting.subscribe(alice.pseudonym, topic=topic)
    posts = list(topic.posts.order_by("number"))
    for post, read_at in zip(posts, (None, None, timezone.now()), strict=False):
        Notification.objects.create(
            recipient=alice.pseudonym, kind=Notification.Kind.REPLY, post=post, read_at=read_at
        )
    Notification.objects.create(
        recipient=bob.pseudonym, kind=Notification.Kind.REPLY, post=topic.last_post
    )
    found, viewer = statements.viewer_on_board(user=fresh(alice), slug=board.slug)
    assert (
        viewer.notification_count
        == selectors.unread_notification_count(pseudonym=alice.pseudonym)
        == 2
    )
    assert viewer.subscribed == selectors.is_subscribed(pseudonym=alice.pseudonym, board=board)
    assert viewer.subscribed
    found, viewer = statements.viewer_on_board(user=fresh(bob), slug=board.slug)
    assert (viewer.notification_count, viewer.subscribed) == (1, False)


def test_the_topics_are_the_selector_s_topics(board, alice, bob):
    now = timezone.now()
    topics = [
        topic_with_posts(
            board=board,
            author=alice.pseudonym if index % 2 else bob.pseudonym,
            count=2 + index % 3,
            title=f"Topic {index}",
            start=now - timedelta(days=index % 40, minutes=index),
        )
        for index in range(70)
    ]
    Topic.objects.filter(pk__in=[topics[5].pk, topics[50].pk]).update(is_pinned=True)
    Topic.objects.filter(pk=topics[7].pk).update(is_locked=True)
    # A topic opened under a signed name, and two with the same last activity.
    Topic.objects.filter(pk=topics[3].pk).update(author=None, signed_as="Quality Office")
    Topic.objects.filter(pk=topics[9].pk).update(last_activity_at=topics[8].last_activity_at)
    TopicRead.objects.create(user=alice, topic=topics[0], last_read_number=1)
    TopicRead.objects.create(user=alice, topic=topics[1], last_read_number=3)
    for page in (1, 2, 3, 4):
        expected = selectors.topics_for_board(board=board, user=alice, page=page)
        found = statements.topics_for_board(board=board, user=alice, page=page)
        assert found.has_next == expected.has_next
        assert found.page == expected.page
        assert [
            (
                t.pk,
                t.title,
                t.is_pinned,
                t.is_locked,
                t.reply_count,
                t.last_post_id,
                t.last_activity_at,
                t.read_number,
                t.is_new,
                t.is_unread,
                t.author_label,
                t.last_post.author_label,
            )
            for t in found.topics
        ] == [
            (
                t.pk,
                t.title,
                t.is_pinned,
                t.is_locked,
                t.reply_count,
                t.last_post_id,
                t.last_activity_at,
                t.read_number,
                t.is_new,
                t.is_unread,
                t.author_label,
                t.last_post.author_label,
            )
            for t in expected.topics
        ], page
    assert {t.author_label for t in statements.topics_for_board(board=board, user=alice).topics}


def test_the_board_page_names_no_one_and_reads_the_forum_in_two_queries(client, board, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = topic_with_posts(board=board, author=bob.pseudonym, count=3, title="Shift rota")
    posting.subscribe(alice.pseudonym, board=board)
    Notification.objects.create(
        recipient=alice.pseudonym, kind=Notification.Kind.REPLY, post=topic.last_post
    )
    client.force_login(alice)
    url = reverse("forum:board", args=[board.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()
    assert "Shift rota" in html and "BraveCrane202" in html
    # Before: the pseudonym, the board, the topics, the notifications and the subscription.
    assert len([q for q in queries.captured_queries if "forum_" in q["sql"]]) == 2
    # Bob's posts show his pseudonym only (the page names its own viewer in the account menu).
    assert bob.employee.employee_number not in html and bob.username not in html
    if bob.employee.name != alice.employee.name:
        assert bob.employee.name not in html


def test_the_index_boards_and_viewer_are_what_the_selectors_decide(boards, alice, bob, moderator):
    departments = boards["departments"]
    topic = topic_with_posts(board=boards["open"], author=bob.pseudonym, count=3, title="Rota")
    topic_with_posts(board=boards["sales"], author=alice.pseudonym, count=2, title="x" * 70)
    signed = topic_with_posts(board=boards["quality"], author=bob.pseudonym, count=2)
    signed.last_post.author, signed.last_post.signed_as = None, "Quality Office"
    signed.last_post.save()
    BoardFactory(owner_app="bulletins")  # another app's board: never in the index
    Notification.objects.create(
        recipient=alice.pseudonym, kind=Notification.Kind.REPLY, post=topic.last_post
    )
    readers = {
        "alice": alice,
        "bob": bob,
        "moderator": moderator,
        "section member": EmployeeFactory(department=departments["section"]).user,
        "quality member": EmployeeFactory(department=departments["quality"]).user,
        "superuser": make_role_user("superuser"),
    }
    for name, user in readers.items():
        expected = list(selectors.boards_for_index(user=fresh(user)))
        expected_pseudonym = selectors.pseudonym_of(fresh(user))
        found, viewer = statements.boards_for_index(user=fresh(user))
        assert [
            (
                b.slug,
                b.display_name,
                b.description,
                b.department_id,
                b.topic_count,
                b.post_count,
                b.last_post_id,
                b.last_activity_at,
                b.last_post and (b.last_post.topic_title, b.last_post.author_label),
            )
            for b in found
        ] == [
            (
                b.slug,
                b.display_name,
                b.description,
                b.department_id,
                b.topic_count,
                b.post_count,
                b.last_post_id,
                b.last_activity_at,
                b.last_post and (b.last_post.topic.title, b.last_post.author_label),
            )
            for b in expected
        ], name
        assert viewer.pseudonym == expected_pseudonym == user._forum_pseudonym, name
        assert viewer.notification_count == selectors.unread_notification_count(
            pseudonym=expected_pseudonym
        )
    assert statements.boards_for_index(user=fresh(alice))[1].notification_count == 1
    slugs = [b.slug for b in statements.boards_for_index(user=fresh(moderator))[0]]
    assert slugs == [b.slug for b in Board.objects.filter(owner_app="").order_by("sort_order")]
    assert "Quality Office" in [
        b.last_post.author_label for b in statements.boards_for_index(user=moderator)[0]
    ]


def test_an_index_without_boards(alice):
    Board.objects.all().delete()
    assert statements.boards_for_index(user=fresh(alice)) == (
        [],
        statements.Viewer(pseudonym=alice.pseudonym, notification_count=0, subscribed=False),
    )


@pytest.mark.parametrize("role", ["employee", "forum_moderator", "superuser"])
def test_the_index_names_no_one_and_reads_the_forum_in_one_query(client, board, bob, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic_with_posts(board=board, author=bob.pseudonym, count=3, title="Shift rota")
    viewer = make_role_user(role)
    pseudonym_for(viewer, "QuietViewer9")
    client.force_login(viewer)
    client.get(reverse("forum:index"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("forum:index"))
    html = response.content.decode()
    assert "Shift rota" in html and "BraveCrane202" in html and "QuietViewer9" in html
    assert len([q for q in queries.captured_queries if "forum_" in q["sql"]]) == 1
    for text in (bob.employee.employee_number, bob.username, bob.employee.name):
        assert text not in html


def _post_fields(post):
    return (
        post.pk,
        post.number,
        post.author_id,
        post.author_label,
        post.body_html,
        post.created_at,
        post.edited_at,
        post.is_deleted,
        post.is_hidden,
        post.hidden_reason,
        post.is_visible,
    )


def test_a_topic_page_is_what_the_selectors_decide(boards, alice, bob, moderator):
    from forum.models import Post, Subscription

    departments = boards["departments"]
    long = topic_with_posts(board=boards["open"], author=bob.pseudonym, count=45)
    Post.objects.filter(topic=long, number=22).update(is_hidden=True, hidden_reason="Rude")
    Post.objects.filter(topic=long, number=23).update(is_deleted=True)
    Post.objects.filter(topic=long, number=24).update(
        author=None, signed_as="Quality Office", edited_at=timezone.now()
    )
    short = topic_with_posts(board=boards["sales"], author=alice.pseudonym, count=1)
    old = topic_with_posts(
        board=boards["quality"],
        author=bob.pseudonym,
        count=2,
        start=timezone.now() - timedelta(days=400),
    )
    TopicRead.objects.create(user=alice, topic=long, last_read_number=30)
    Subscription.objects.create(pseudonym=alice.pseudonym, topic=long)
    Notification.objects.create(
        recipient=alice.pseudonym, kind=Notification.Kind.REPLY, post=long.last_post
    )
    readers = {
        "alice": alice,
        "bob": bob,
        "moderator": moderator,
        "section member": EmployeeFactory(department=departments["section"]).user,
        "quality member": EmployeeFactory(department=departments["quality"]).user,
        "superuser": make_role_user("superuser"),
    }
    for name, user in readers.items():
        for topic in (long, short, old):
            try:
                expected = selectors.topic_get(user=fresh(user), topic_id=topic.pk)
            except Http404:
                expected = None
            for page in (1, 2, 3, 4, statements.LAST_PAGE):
                try:
                    found = statements.topic_page(user=fresh(user), topic_id=topic.pk, page=page)
                except Http404:
                    found = None
                assert (found and found.topic.pk) == (expected and expected.pk), (name, topic)
                if found is None:
                    continue
                fields = [f.attname for f in Topic._meta.concrete_fields]
                assert [getattr(found.topic, f) for f in fields] == [
                    getattr(expected, f) for f in fields
                ]
                assert found.topic.board.pk == expected.board.pk
                assert found.topic.board.display_name == expected.board.display_name
                count = selectors.page_count(expected)
                number = min(page, count)
                assert (found.page_number, found.page_count) == (number, count)
                assert [_post_fields(p) for p in found.posts] == [
                    _post_fields(p) for p in selectors.posts_for_topic(topic=expected, page=number)
                ], (name, topic, page)
                assert all(p.topic is found.topic for p in found.posts)
                assert found.read_before == selectors.read_number(user=user, topic=expected)
                pseudonym = selectors.pseudonym_of(fresh(user))
                assert found.viewer.pseudonym == pseudonym == user._forum_pseudonym
                assert found.viewer.subscribed == selectors.is_subscribed(
                    pseudonym=pseudonym, topic=expected
                )
                assert found.viewer.notification_count == (
                    selectors.unread_notification_count(pseudonym=pseudonym)
                )
    view = statements.topic_page(user=fresh(alice), topic_id=long.pk, page=1)
    assert (view.read_before, view.viewer.subscribed, view.viewer.notification_count) == (
        30,
        True,
        1,
    )
    assert statements.topic_page(user=fresh(bob), topic_id=long.pk, page=3).posts[-1].number == 45
    with pytest.raises(Http404):
        statements.topic_page(user=fresh(alice), topic_id=987654, page=1)


@pytest.mark.parametrize("role", ["employee", "forum_moderator", "superuser"])
def test_a_topic_page_names_no_one_and_reads_the_forum_in_one_query(client, board, bob, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = topic_with_posts(board=board, author=bob.pseudonym, count=25, title="Shift rota")
    viewer = make_role_user(role)
    pseudonym_for(viewer, "QuietViewer9")
    client.force_login(viewer)
    url = reverse("forum:topic", args=[topic.pk]) + "?page=last"
    client.get(url)  # marks the topic read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()
    assert "Shift rota" in html and "BraveCrane202" in html and "QuietViewer9" in html
    assert 'id="p25"' in html and 'id="p20"' not in html
    assert len([q for q in queries.captured_queries if "forum_" in q["sql"]]) == 1
    for text in (bob.employee.employee_number, bob.username, bob.employee.name):
        assert text not in html
