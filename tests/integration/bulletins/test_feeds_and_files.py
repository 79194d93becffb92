"""Attachments through the notice's own view; personal Atom feeds, parsed by feedparser."""

import feedparser
import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from bulletins.models import Board, NoticeAttachment
from tests.factories.bulletins import NoticeFactory, channel
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Document.objects.create(
        title="安全规程", file=ContentFile(b"%PDF-1.4 rules", "rules.pdf")
    )


def attach(notice, document):
    return NoticeAttachment.objects.create(notice=notice, document=document)


def test_an_attachment_is_served_to_the_audience_only(
    client, intranet, sales, quality, sales_board, document
):
    notice = NoticeFactory(board=sales_board, departments=[sales])
    item = attach(notice, document)
    url = f"/bulletins/notices/{notice.pk}/attachments/{item.pk}/"
    client.force_login(EmployeeFactory(department=sales).user)
    page = client.get(notice.url).content.decode()
    assert url in page and "/files/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 rules"
    client.force_login(EmployeeFactory(department=quality).user)
    assert client.get(url).status_code == 404


def test_an_attachment_of_another_notice_is_not_found(
    client, intranet, employee, sales_board, document
):
    first = NoticeFactory(board=sales_board)
    second = NoticeFactory(board=sales_board)
    item = attach(second, document)
    client.force_login(employee)
    assert client.get(f"/bulletins/notices/{first.pk}/attachments/{item.pk}/").status_code == 404


def feed_url(client, user, board=None):
    from bulletins.services import feed_token_for

    token = feed_token_for(user=user).token
    if board is None:
        return f"/bulletins/feeds/{token}/channels.atom"
    return f"/bulletins/feeds/{token}/boards/{board.pk}.atom"


def test_a_board_feed_shows_only_what_its_owner_may_see_without_a_session(
    client, intranet, sales, quality, sales_board
):
    NoticeFactory(board=sales_board, title="全员通知")
    NoticeFactory(board=sales_board, title="销售内部通知", departments=[sales])
    outsider = EmployeeFactory(department=quality).user
    insider = EmployeeFactory(department=sales).user

    def titles(user):
        response = client.get(feed_url(client, user, sales_board))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        parsed = feedparser.parse(response.content)
        assert parsed.version == "atom10" and not parsed.bozo
        return {entry.title for entry in parsed.entries}

    assert titles(insider) == {"全员通知", "销售内部通知"}
    assert titles(outsider) == {"全员通知"}


def test_the_channels_feed_carries_the_factory_news(client, intranet, employee, sales_board):
    NoticeFactory(board=channel(), title="市场新闻")
    NoticeFactory(board=channel(Board.Kind.POLICIES), title="新政策")
    NoticeFactory(board=sales_board, title="部门通知")
    parsed = feedparser.parse(client.get(feed_url(client, employee)).content)
    assert {entry.title for entry in parsed.entries} == {"市场新闻", "新政策"}
    assert parsed.entries[0].link.startswith("http://testserver/")


def test_a_regenerated_token_revokes_the_old_feed_links(client, intranet, employee):
    old = feed_url(client, employee)
    client.force_login(employee)
    assert client.get("/bulletins/feeds/").status_code == 200
    assert client.post("/bulletins/feeds/regenerate/").status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(client, employee)).status_code == 200


def test_unknown_tokens_and_inactive_users_get_404(client, intranet, employee, sales_board):
    assert client.get("/bulletins/feeds/not-a-token/channels.atom").status_code == 404
    url = feed_url(client, employee, sales_board)
    employee.is_active = False
    employee.save()
    assert client.get(url).status_code == 404


def test_a_retailers_token_gives_no_feed(client, intranet, retailer_user):
    assert client.get(feed_url(client, retailer_user)).status_code == 404
