"""What a reader and a publisher meet on the bulletin pages beyond the main paths: empty states,
clear refusals, confirmations before what cannot be undone, and the lists keeping to the audience
and the listing period (home page, feeds)."""

from datetime import timedelta

import feedparser
import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from bulletins.models import Acknowledgement, Notice
from bulletins.services import board_delegate_add, discussion_open, feed_token_for
from portal.sites import site_for_face
from tests.factories.bulletins import NoticeFactory
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


def _english(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_empty_board_and_a_filter_without_matches_say_so(
    client, intranet, employee, sales_board
):
    client.force_login(employee)
    assert "No notices on this board yet." in _english(client, sales_board.url)
    NoticeFactory(board=sales_board, title="安全通知")
    page = _english(client, sales_board.url + "?q=不存在的词")
    assert "No notice matches these filters." in page
    board_path = sales_board.relative_url(site_for_face("intranet"))
    assert f'href="{board_path}"' in page  # a way back to the whole board
    assert "No notices on this board yet." not in page


def test_a_home_page_without_notices_says_so(client, intranet, employee):
    client.force_login(employee)
    page = _english(client, "/")
    assert "No notices for you at the moment." in page
    assert "No news yet." in page
    assert "Waiting for your acknowledgement" not in page


def test_the_home_page_keeps_to_the_readers_audience(client, intranet, sales, quality, sales_board):
    NoticeFactory(board=sales_board, title="销售内部通知", departments=[sales])
    NoticeFactory(
        board=sales_board,
        title="销售置顶确认",
        departments=[sales],
        pinned=True,
        must_acknowledge=True,
    )
    client.force_login(EmployeeFactory(department=quality).user)
    page = client.get("/").content.decode()
    assert "销售内部通知" not in page and "销售置顶确认" not in page
    client.force_login(EmployeeFactory(department=sales).user)
    page = client.get("/").content.decode()
    assert "销售内部通知" in page and "销售置顶确认" in page


def test_an_expired_notice_leaves_the_feed(client, intranet, employee, sales_board):
    NoticeFactory(board=sales_board, title="有效通知")
    NoticeFactory(
        board=sales_board, title="过期通知", expires_at=timezone.now() - timedelta(minutes=1)
    )
    token = feed_token_for(user=employee).token
    response = client.get(f"/bulletins/feeds/{token}/boards/{sales_board.pk}.atom")
    assert {entry.title for entry in feedparser.parse(response.content).entries} == {"有效通知"}


def test_acknowledging_a_notice_that_does_not_ask_for_it_is_explained(
    client, intranet, employee, sales_board
):
    notice = NoticeFactory(board=sales_board)
    client.force_login(employee)
    response = client.post(
        f"/bulletins/notices/{notice.pk}/acknowledge/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["This notice does not ask for acknowledgement."]
    assert not Acknowledgement.objects.exists()


def test_a_delegate_publishes_but_does_not_name_delegates(
    client, intranet, sales_head, sales_board
):
    clerk = EmployeeFactory(department=sales_head.department)
    board_delegate_add(board=sales_board, user=clerk.user, actor=sales_head.user)
    client.force_login(clerk.user)
    board_page = _english(client, sales_board.url)
    assert "Publish a notice" in board_page
    assert f"/bulletins/boards/{sales_board.pk}/delegates/" not in board_page
    assert client.get(f"/bulletins/boards/{sales_board.pk}/delegates/").status_code == 404


def test_a_notice_cannot_leave_the_lists_before_it_goes_live(
    client, intranet, sales_head, sales_board
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    client.force_login(sales_head.user)
    data = nested_form_data(
        {
            "title": "定时通知",
            "slug": "timed-notice",
            "body": rich_text("<p>内容</p>"),
            "audience_all": "on",
            "attachments": inline_formset([]),
            "go_live_at": "2099-01-02 08:00",
            "expires_at": "2099-01-01 08:00",
            "action-publish": "publish",
        }
    )
    response = client.post(
        f"/admin/pages/add/bulletins/notice/{sales_board.pk}/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "The notice must be listed after it goes live." in response.content.decode()
    assert not Notice.objects.exists()


def _confirmation(language, text):
    # portal/static/portal/portal.js asks before sending a form[data-confirm] (no inline JS).
    from django.utils.html import escape

    with translation.override(language):
        return f'data-confirm="{escape(translation.gettext(text))}"'


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_what_cannot_be_undone_asks_first(
    client, intranet, sales, sales_head, sales_board, language
):
    """Revoking the feed links, removing a delegate and closing a topic ask for confirmation,
    in the reader's language."""
    clerk = EmployeeFactory(department=sales)
    board_delegate_add(board=sales_board, user=clerk.user, actor=sales_head.user)
    now = timezone.now()
    discussion = discussion_open(
        board=sales_board,
        actor=sales_head.user,
        question="如何节约用电？",
        background="",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    client.force_login(sales_head.user)
    pages = {
        "/bulletins/feeds/": "Your old feed links will stop working. Go on?",
        f"/bulletins/boards/{sales_board.pk}/delegates/": "Remove this delegate?",
        f"/bulletins/discussions/{discussion.pk}/": (
            "Close this topic? Nobody can reply afterwards."
        ),
    }
    for url, text in pages.items():
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert _confirmation(language, text) in page, url


def test_boards_and_notices_are_routed_in_one_query_per_level(intranet, sales_board):
    """The bulletins index finds a board, and a board its notice, with one query each; drafts,
    unknown slugs and pages of another board still answer 404."""
    from django.db import connection
    from django.http import Http404
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from bulletins.models import BulletinIndexPage
    from tests.factories.bulletins import channel

    notice = NoticeFactory(board=sales_board, title="路由通知", slug="routed")
    draft = NoticeFactory(board=sales_board, slug="draft", live=False)
    news = channel()
    index = BulletinIndexPage.objects.get()
    request = RequestFactory().get("/")

    with CaptureQueriesContext(connection) as queries:
        found = index.route(request, [sales_board.slug, "routed"])
    assert found.page == notice and isinstance(found.page, Notice)
    assert found.page.get_parent().specific == sales_board
    assert len(queries) == 2  # the board, then the notice, each with its specific fields

    assert index.route(request, [sales_board.slug]).page.specific == sales_board
    for path in (
        [sales_board.slug, draft.slug],
        [sales_board.slug, "nothing"],
        ["no-such-board"],
        [news.slug, "routed"],
        [sales_board.slug, "routed", "deeper"],
    ):
        with pytest.raises(Http404):
            index.route(request, path)
