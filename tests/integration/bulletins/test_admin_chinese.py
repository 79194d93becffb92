"""Wagtail admin in Chinese: strings Wagtail's own zh_Hans catalogue lacks come from the
project's hand-kept supplement (portal/locale_wagtail), so a department head editing a notice or
browsing the page explorer meets no English of them."""

import re
from pathlib import Path

import polib
import pytest

from tests.conftest import sign_in
from tests.factories.bulletins import NoticeFactory

pytestmark = pytest.mark.django_db

SUPPLEMENT = (
    Path(__file__).resolve().parents[3] / "portal/locale_wagtail/zh_Hans/LC_MESSAGES/django.po"
)

# English of the page edit view that Wagtail 8 leaves untranslated in Chinese.
EDIT_STRINGS = {
    "Saved": "已保存",
    "Autosave is paused": "自动保存已暂停",
    "Content metrics": "内容指标",
    "Reading time": "阅读时长",
    "Readability": "可读性",
    "Toggle checks": "显示/隐藏检查",
    "Show keyboard shortcuts": "显示键盘快捷键",
}
EXPLORER_STRINGS = {
    "Date updated": "更新日期",
    "Edited by": "编辑人",
    "Page type": "页面类型",
    "Has child pages": "有子页面",
}


def _english_left(html, strings):
    """The strings shown as an element's whole text (tags around, spaces aside)."""
    return [english for english in strings if re.search(rf">\s*{re.escape(english)}\s*<", html)]


def _text(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_a_heads_page_edit_view_has_no_english_of_the_missing_strings(
    client, intranet, sales_head, sales_board
):
    notice = NoticeFactory(board=sales_board, title="月度销售分析会")
    sign_in(client, sales_head.user)
    html = _text(client, f"/admin/pages/{notice.pk}/edit/")
    assert _english_left(html, EDIT_STRINGS) == []
    assert all(chinese in html for chinese in EDIT_STRINGS.values())


def test_the_page_explorer_filters_read_in_chinese(client, intranet, sales_head, sales_board):
    NoticeFactory(board=sales_board, title="月度销售分析会")
    sign_in(client, sales_head.user)
    html = _text(client, f"/admin/pages/{sales_board.pk}/")
    assert _english_left(html, EXPLORER_STRINGS) == []
    assert all(chinese in html for chinese in EXPLORER_STRINGS.values())


def test_the_supplement_is_complete():
    catalogue = polib.pofile(str(SUPPLEMENT))
    assert len(catalogue) > 50
    assert catalogue.untranslated_entries() == [] and catalogue.fuzzy_entries() == []
    assert SUPPLEMENT.with_suffix(".mo").exists()
