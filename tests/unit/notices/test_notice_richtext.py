"""The notice body's sanitiser and the plain text derived from it (nh3 allowlist)."""

import pytest

from portal.notices.richtext import html_to_text, sanitise_html, text_to_html

HOSTILE = [
    ("<p>hi</p><script>alert(1)</script>", "<script", "alert(1)"),
    ('<p onclick="steal()" onmouseover="steal()">hi</p>', "onclick", "steal()"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:", "alert(1)"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript", "alert"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:", "base64"),
    ('<p style="position:fixed;top:0">hi</p>', "style", "position"),
    ("<style>body{display:none}</style><p>hi</p>", "<style", "display"),
    ('<iframe src="https://evil.example/"></iframe><p>hi</p>', "<iframe", "evil.example"),
    ('<img src="x" onerror="alert(1)">', "<img", "onerror"),
    ("<svg><script>alert(1)</script></svg>", "<svg", "alert"),
    ('<form action="https://evil.example"><input name="pw"></form>', "<form", "<input"),
    ('<a href="//evil.example/">x</a>', "evil.example", "href"),
    ('<a href="/local">x</a>', "/local", "href"),
    ("<object data='x.swf'></object><embed src='x'>", "<object", "<embed"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta", "refresh"),
]


@pytest.mark.parametrize(("hostile", "gone", "also_gone"), HOSTILE)
def test_hostile_markup_does_not_survive(hostile, gone, also_gone):
    clean = sanitise_html(hostile).lower()
    assert gone.lower() not in clean
    assert also_gone.lower() not in clean


def test_allowed_formatting_and_links_survive_with_noopener():
    clean = sanitise_html(
        "<h1>放假</h1><div><strong>周六</strong> <em>停电</em><br>请"
        '<a href="https://oa.example.cn/x" target="_blank">查看</a>或'
        '<a href="mailto:office@example.cn">来信</a></div>'
        "<ul><li>一</li></ul><ol><li>二</li></ol><blockquote>引</blockquote>"
    )
    assert "<h1>放假</h1>" in clean
    assert "<strong>周六</strong>" in clean and "<em>停电</em>" in clean
    assert '<a href="https://oa.example.cn/x" rel="noopener noreferrer">查看</a>' in clean
    assert 'href="mailto:office@example.cn"' in clean
    assert "target" not in clean
    assert "<ul><li>一</li></ul><ol><li>二</li></ol>" in clean


def test_plain_bodies_become_escaped_paragraphs_lists_and_links():
    html = text_to_html("第一段 <b>不是标签</b>\n\n- 甲\n- 乙\n\n见 https://oa.example.cn **重要**")
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "<ul><li>甲</li><li>乙</li></ul>" in html
    assert '<a href="https://oa.example.cn" rel="noopener noreferrer">' in html
    assert "<strong>重要</strong>" in html


def test_the_text_part_keeps_structure_and_link_addresses():
    text = html_to_text(
        "<h1>通知</h1><div>第一行<br>第二行</div><ul><li>甲</li><li>乙</li></ul>"
        '<ol><li>一</li><li>二</li></ol><p>见<a href="https://oa.example.cn/a?b=1&amp;c=2">这里</a>'
        " &lt;不是标签&gt;</p>"
    )
    assert text == (
        "通知\n\n第一行\n第二行\n\n- 甲\n- 乙\n\n1. 一\n2. 二\n\n"
        "见这里 <https://oa.example.cn/a?b=1&c=2> <不是标签>"
    )
