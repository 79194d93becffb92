"""Discussion topics: a board's editors open, mark and close them; employees reply under their
forum pseudonyms through the forum's posting service, only while the topic is open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bulletins.models import Discussion, SuggestionMark
from bulletins.services import discussion_close, discussion_open, discussion_reply
from forum.models import Post
from forum.services.posting import post_reply
from portal.permissions import Role
from portal.refusals import Refusal
from tests.factories.forum import pseudonym_for
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _open(board, actor=None, *, opens=-1, closes=7):
    now = timezone.now()
    return discussion_open(
        board=board,
        actor=actor,
        question="如何节约用电？",
        background="车间电费上涨，请提建议。",
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
    )


def _url(discussion):
    return f"/bulletins/discussions/{discussion.pk}/"


def _message(response):
    """The page's latest message, as the reader saw it."""
    from django.contrib.messages import get_messages

    return str(list(get_messages(response.wsgi_request))[-1].message)


def _in_page_language(response, text):
    from django.utils import translation

    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return translation.gettext(text)


def _replies(discussion):
    return Post.objects.filter(topic_id=discussion.forum_topic_id, number__gt=1)


def test_the_head_opens_a_topic_signed_with_the_department(
    client, intranet, sales, sales_head, sales_board
):
    client.force_login(sales_head.user)
    response = client.post(
        f"/bulletins/boards/{sales_board.pk}/discussions/new/",
        {
            "question": "如何节约用电？",
            "background": "请提建议。",
            "opens_at": "2020-01-01T08:00",
            "closes_at": "2099-01-01T08:00",
        },
    )
    discussion = Discussion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(discussion)
    topic = discussion.forum_topic
    assert topic.author_id is None and topic.signed_as == sales.name
    assert topic.board.owner_app == "bulletins" and topic.is_locked
    assert "如何节约用电？" in client.get(_url(discussion)).content.decode()


def test_closing_before_opening_is_refused(client, intranet, sales_head, sales_board):
    client.force_login(sales_head.user)
    response = client.post(
        f"/bulletins/boards/{sales_board.pk}/discussions/new/",
        {"question": "Q", "opens_at": "2099-01-02T08:00", "closes_at": "2099-01-01T08:00"},
    )
    assert response.status_code == 400
    assert not Discussion.objects.exists()


def test_a_head_of_another_department_can_neither_open_mark_nor_close(
    client, intranet, sales, sales_board, quality_head
):
    discussion = _open(sales_board)
    employee = EmployeeFactory(department=sales).user
    pseudonym_for(employee)
    post = discussion_reply(discussion=discussion, user=employee, body="关灯")
    client.force_login(quality_head.user)
    assert client.get(f"/bulletins/boards/{sales_board.pk}/discussions/new/").status_code == 404
    mark = f"{_url(discussion)}suggestions/{post.pk}/mark/"
    assert client.post(mark, {"status": "adopted"}).status_code == 404
    assert client.post(f"{_url(discussion)}close/").status_code == 404
    assert not SuggestionMark.objects.exists()
    discussion.refresh_from_db()
    assert discussion.closed_at is None


def test_an_employee_replies_under_a_pseudonym_and_nothing_names_them(
    client, intranet, sales, sales_head, sales_board
):
    discussion = _open(sales_board, sales_head.user)
    employee = EmployeeFactory(department=sales, name="王小明")
    pseudonym_for(employee.user, "SwiftOtter")
    client.force_login(employee.user)
    response = client.post(_url(discussion), {"body": "下班关灯"})
    assert response.status_code == 302
    post = _replies(discussion).get()
    assert post.author.name == "SwiftOtter"
    reader = EmployeeFactory(department=sales).user
    secrets = [
        employee.name,
        employee.user.username,
        employee.employee_number,
        employee.user.email,
        sales_head.name,
        sales_head.user.username,
        sales_head.employee_number,
    ]
    for viewer in (employee.user, reader, sales_head.user):
        client.force_login(viewer)
        html = client.get(_url(discussion)).content.decode()
        assert "SwiftOtter" in html and "下班关灯" in html
        content = html.split("<main", 1)[1]  # the header names the signed-in user to themselves
        for secret in secrets:
            assert secret not in content, (viewer, secret)


def test_without_a_pseudonym_one_is_asked_to_choose_and_nothing_is_saved(
    client, intranet, sales, sales_board
):
    discussion = _open(sales_board)
    employee = EmployeeFactory(department=sales).user
    client.force_login(employee)
    page = client.get(_url(discussion)).content.decode()
    assert "/forum/pseudonym/?next=" in page
    assert client.post(_url(discussion), {"body": "建议"}).status_code == 403
    assert not _replies(discussion).exists()


@pytest.mark.parametrize(("opens", "closes"), [(1, 7), (-7, -1)])
def test_no_reply_outside_the_date_window(client, intranet, sales, sales_board, opens, closes):
    discussion = Discussion.objects.get(pk=_open(sales_board).pk)
    now = timezone.now()
    Discussion.objects.filter(pk=discussion.pk).update(
        opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    employee = EmployeeFactory(department=sales).user
    pseudonym_for(employee)
    client.force_login(employee)
    response = client.post(_url(discussion), {"body": "建议"})
    assert response.status_code == 409
    expected = (
        "This discussion is not open for replies yet."
        if opens > 0
        else "This discussion is closed; no more replies."
    )
    assert _message(response) == _in_page_language(response, expected)
    assert not _replies(discussion).exists()


def test_after_closing_no_reply_here_nor_through_the_forum(
    client, intranet, sales, sales_head, sales_board
):
    discussion = _open(sales_board)
    employee = EmployeeFactory(department=sales).user
    pseudonym = pseudonym_for(employee)
    discussion_reply(discussion=discussion, user=employee, body="第一条")
    client.force_login(sales_head.user)
    assert client.post(f"{_url(discussion)}close/").status_code == 302
    client.force_login(employee)
    response = client.post(_url(discussion), {"body": "第二条"})
    assert response.status_code == 409
    expected = "This discussion is closed; no more replies."
    assert _message(response) == _in_page_language(response, expected)
    forum_reply = client.post(f"/forum/t/{discussion.forum_topic_id}/reply/", {"body": "第三条"})
    assert forum_reply.status_code >= 400
    with pytest.raises(Refusal):
        post_reply(author=pseudonym, topic=discussion.forum_topic, body="第四条")
    assert _replies(discussion).count() == 1


def test_the_forum_reply_form_refuses_even_an_open_discussion(client, intranet, sales, sales_board):
    """One place to reply: the discussion page (which checks the dates)."""
    discussion = _open(sales_board)
    employee = EmployeeFactory(department=sales).user
    pseudonym_for(employee)
    client.force_login(employee)
    response = client.post(f"/forum/t/{discussion.forum_topic_id}/reply/", {"body": "旁路"})
    assert response.status_code >= 400
    assert not _replies(discussion).exists()


def test_a_forum_moderator_cannot_reply_to_a_discussion_through_the_forum(
    client, intranet, sales, sales_board
):
    discussion = _open(sales_board)
    moderator = EmployeeFactory(
        department=sales, user=UserFactory(roles=[Role.FORUM_MODERATOR])
    ).user
    pseudonym = pseudonym_for(moderator)
    client.force_login(moderator)
    response = client.post(f"/forum/t/{discussion.forum_topic_id}/reply/", {"body": "旁路"})
    assert response.status_code >= 400
    with pytest.raises(Refusal):
        post_reply(author=pseudonym, topic=discussion.forum_topic, body="旁路", user=moderator)
    assert not _replies(discussion).exists()


def test_marks_are_visible_to_all(client, intranet, sales, sales_head, sales_board):
    discussion = _open(sales_board)
    employee = EmployeeFactory(department=sales).user
    pseudonym_for(employee)
    post = discussion_reply(discussion=discussion, user=employee, body="装感应灯")
    client.force_login(sales_head.user)
    response = client.post(
        f"{_url(discussion)}suggestions/{post.pk}/mark/",
        {"status": "adopted", "answer": "下月安装"},
    )
    assert response.status_code == 302
    mark = SuggestionMark.objects.get()
    assert (mark.post_id, mark.status) == (post.pk, "adopted")
    client.force_login(EmployeeFactory(department=sales).user)
    html = client.get(_url(discussion)).content.decode()
    assert "下月安装" in html
    assert 'class="mark mark-adopted"' in html
    assert 'name="status"' not in html  # no marking controls for readers


def test_marking_a_post_of_another_topic_is_404(client, intranet, sales, sales_head, sales_board):
    first, second = _open(sales_board), _open(sales_board)
    employee = EmployeeFactory(department=sales).user
    pseudonym_for(employee)
    post = discussion_reply(discussion=second, user=employee, body="x")
    client.force_login(sales_head.user)
    response = client.post(f"{_url(first)}suggestions/{post.pk}/mark/", {"status": "adopted"})
    assert response.status_code == 404
    assert not SuggestionMark.objects.exists()


def test_a_department_discussion_is_for_its_audience_only(client, intranet, sales, sales_board):
    discussion = _open(sales_board)
    section = DepartmentFactory(parent=sales)
    client.force_login(EmployeeFactory(department=section).user)
    assert client.get(_url(discussion)).status_code == 200
    outsider = EmployeeFactory(department=DepartmentFactory()).user
    pseudonym_for(outsider)
    client.force_login(outsider)
    assert client.get(_url(discussion)).status_code == 404
    assert client.post(_url(discussion), {"body": "x"}).status_code == 404
    assert "如何节约用电" not in client.get("/").content.decode()
    assert not _replies(discussion).exists()


def test_the_home_page_lists_open_discussions_of_the_audience(client, intranet, sales, sales_board):
    open_one = _open(sales_board)
    closed = discussion_open(
        board=sales_board,
        actor=None,
        question="已结束的话题",
        background="",
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=2),
    )
    discussion_close(discussion=closed, actor=None)
    client.force_login(EmployeeFactory(department=sales).user)
    html = client.get("/").content.decode()
    assert _url(open_one) in html
    assert _url(closed) not in html


def _grow(discussion, pseudonym, size):
    """Bring the discussion to `size` replies (bulk rows, as the forum's tests do), a third of
    them marked."""
    from django.db.models import Max

    from forum.models import Topic

    last = _replies(discussion).aggregate(n=Max("number"))["n"] or 1
    missing = size - _replies(discussion).count()
    Post.objects.bulk_create(
        [
            Post(
                topic_id=discussion.forum_topic_id,
                number=last + index + 1,
                author=pseudonym,
                body="建议",
                body_html="<p>建议</p>",
            )
            for index in range(missing)
        ],
        batch_size=1000,
    )
    Topic.objects.filter(pk=discussion.forum_topic_id).update(last_post_number=size + 1)
    SuggestionMark.objects.bulk_create(
        [
            SuggestionMark(discussion=discussion, post_id=post_id, status="considering")
            for post_id in _replies(discussion).values_list("pk", flat=True)[::3]
        ],
        ignore_conflicts=True,
    )


@pytest.mark.parametrize("as_head", [False, True])
def test_the_discussion_page_has_bounded_queries(
    client, intranet, sales, sales_head, sales_board, as_head
):
    from tests.querycount import count_queries

    discussion = _open(sales_board)
    reader = EmployeeFactory(department=sales).user
    pseudonym = pseudonym_for(reader)
    client.force_login(sales_head.user if as_head else reader)
    counts = {}
    for size in (10, 1_000):
        _grow(discussion, pseudonym, size)
        for url in (_url(discussion), _url(discussion) + "?page=last"):
            client.get(url)
            counts[(size, url)] = count_queries(client, url)
    small = [count for (size, _), count in counts.items() if size == 10]
    large = [count for (size, _), count in counts.items() if size == 1_000]
    assert small == large, counts
    assert max(large) <= 16, counts


def test_a_board_lists_its_discussions_from_the_cache_until_one_changes(
    client, intranet, sales, sales_board
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.sites import site_for_face

    first = _open(sales_board)
    client.force_login(EmployeeFactory(department=sales).user)
    url = sales_board.relative_url(site_for_face("intranet"))
    assert _url(first) in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert _url(first) in html
    assert not [q for q in queries.captured_queries if "bulletins_discussion" in q["sql"]]
    # Opening and closing one starts a new generation: the board shows it at once.
    second = _open(sales_board)
    discussion_close(discussion=first, actor=None)
    html = client.get(url).content.decode()
    assert _url(second) in html
    assert html.index(_url(second)) < html.index(_url(first))  # open ones first
    # Outside the department's audience the board lists none, cached or not.
    client.force_login(EmployeeFactory(department=DepartmentFactory()).user)
    assert _url(second) not in client.get(url).content.decode()
