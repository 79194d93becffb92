"""The home page's notices panel: its shared part is kept as HTML (bulletins/home_html.py).

What everyone of an audience sees is written once per generation, audience, language, time zone
and half-minute; the user's own must-acknowledge list is not kept. Each test checks that a kept
copy never shows what a fresh one would not."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bulletins import home_html
from bulletins.models import Notice
from bulletins.services import notice_acknowledge
from tests.factories.bulletins import NoticeFactory, channel
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


def _home(client, user, language="en"):
    client.force_login(user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # The masked CSRF token is new on every page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_kept_panel_is_the_panel_written_afresh(client, intranet, sales, sales_board):
    NoticeFactory(board=sales_board, title="置顶通知", pinned=True)
    NoticeFactory(board=sales_board, title="最新通知")
    NoticeFactory(board=channel(), title="市场新闻")
    reader = EmployeeFactory(department=sales).user
    first = _home(client, reader)
    assert home_html._kept, "the shared part was kept"
    kept = _home(client, reader)
    home_html._kept.clear()
    fresh = _home(client, reader)
    assert first == kept == fresh
    assert "置顶通知" in kept and "最新通知" in kept and "市场新闻" in kept


def test_a_new_notice_shows_on_the_next_request(client, intranet, sales, sales_board):
    reader = EmployeeFactory(department=sales).user
    assert "新的通知" not in _home(client, reader)
    NoticeFactory(board=sales_board, title="新的通知")
    assert "新的通知" in _home(client, reader)


def test_each_audience_sees_its_own_kept_notices(
    client, intranet, sales, quality, sales_board, quality_board
):
    NoticeFactory(board=sales_board, title="销售科的通知", departments=[sales])
    NoticeFactory(board=quality_board, title="质检科的通知", departments=[quality])
    in_sales = EmployeeFactory(department=sales).user
    in_quality = EmployeeFactory(department=quality).user
    for _round in range(2):  # the second round reads the kept copies
        sales_page, quality_page = _home(client, in_sales), _home(client, in_quality)
        assert "销售科的通知" in sales_page and "质检科的通知" not in sales_page
        assert "质检科的通知" in quality_page and "销售科的通知" not in quality_page


def test_each_language_has_its_own_kept_panel(client, intranet, sales, sales_board):
    NoticeFactory(board=sales_board, title="最新通知")
    reader = EmployeeFactory(department=sales).user
    for _round in range(2):
        english, chinese = _home(client, reader, "en"), _home(client, reader, "zh-hans")
        assert "Factory news" in english and "工厂新闻" not in english
        assert "Factory news" not in chinese and "No news yet." not in chinese


def test_the_acknowledgement_list_is_each_users_own(client, intranet, sales, sales_board):
    NoticeFactory(board=sales_board, title="请确认的通知", must_acknowledge=True)
    waiting = EmployeeFactory(department=sales).user
    done = EmployeeFactory(department=sales).user
    notice_acknowledge(notice=Notice.objects.get(title="请确认的通知"), user=done)
    for _round in range(2):
        assert "Waiting for your acknowledgement" in _home(client, waiting)
        assert "Waiting for your acknowledgement" not in _home(client, done)


def test_what_changes_with_no_save_shows_within_the_minute_and_a_half(
    client, intranet, sales, sales_board, monkeypatch
):
    NoticeFactory(board=sales_board, title="将要过期的通知")
    reader = EmployeeFactory(department=sales).user
    assert "将要过期的通知" in _home(client, reader)
    # It expires with no save (no new generation): the kept copy may show it a little longer.
    Notice.objects.filter(title="将要过期的通知").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    later = time.time() + 91
    monkeypatch.setattr(time, "time", lambda: later)  # the shared cache's clock too
    assert "将要过期的通知" not in _home(client, reader)


def test_the_home_rows_are_the_templates_loop_written_in_one_pass(settings):
    from datetime import UTC, datetime

    from django.template import Context, Template
    from django.utils import timezone as tz

    from bulletins.notice_rows import home_rows_html

    settings.TIME_ZONE = "Asia/Shanghai"
    notices = [
        # 23:30 UTC is the next day in Shanghai.
        {"url": "/n/1/?a=1&b=2", "title": '<b>"安全" & 生产</b>', "published": None},
        {
            "url": "/n/2/",
            "title": "夜班通知",
            "published": datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        },
    ]
    loop = Template(
        '{% for notice in notices %}<li><a href="{{ notice.url }}">{{ notice.title }}</a> '
        '<time>{{ notice.published|date:"Y-m-d" }}</time></li>{% endfor %}'
    )
    with tz.override("Asia/Shanghai"):
        assert home_rows_html(notices) == loop.render(Context({"notices": notices}))
        assert "2026-03-02" in home_rows_html(notices)
    assert "&lt;b&gt;&quot;安全&quot; &amp; 生产&lt;/b&gt;" in home_rows_html(notices)
