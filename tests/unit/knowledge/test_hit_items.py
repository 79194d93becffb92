"""The knowledge search's hits written as list items (knowledge.listing.hit_items_html): the
highlighter's marks kept, every other value escaped, the summary when there is no snippet."""

from datetime import UTC, datetime
from types import SimpleNamespace

from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import override

from knowledge.listing import KnowledgeHit, hit_items_html


def _article(**fields):
    values = {
        "title": "烟叶<含水率>",
        "summary": "<script>alert(1)</script>",
        "knowledge_type": SimpleNamespace(display_name="工艺&标准"),
        "department": SimpleNamespace(display_name="生产科"),
        "first_published_at": datetime(2026, 3, 1, 2, 0, tzinfo=UTC),
        "view_count": 1,
        "helpful_yes": 3,
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_marks_are_kept_and_everything_else_is_escaped():
    hit = KnowledgeHit(
        article=_article(),
        title=mark_safe("<mark>烟叶</mark>&lt;含水率&gt;"),
        snippet=mark_safe("…<mark>烟叶</mark>…"),
        url='/articles/a"b/',
    )
    with override("en"):
        html = hit_items_html([hit])
    assert '<a href="/articles/a&quot;b/"><mark>烟叶</mark>&lt;含水率&gt;</a>' in html
    assert '<span class="kind">工艺&amp;标准</span> · 生产科' in html
    assert '<time datetime="2026-03-01T10:00:00+08:00">2026-03-01</time>' in html
    assert "1 view\n" in html and "3 found it helpful" in html
    assert '<p class="snippet">…<mark>烟叶</mark>…</p>' in html and "<script>" not in html


def test_without_a_snippet_the_summary_is_shown_escaped_and_cut():
    long = "长" * 200
    hits = [
        KnowledgeHit(article=_article(), title="", snippet="", url="/a/"),
        KnowledgeHit(article=_article(summary=long), title="", snippet="", url="/b/"),
    ]
    with override("zh-hans"):
        html = hit_items_html(hits)
        cut = Truncator(long).chars(160)  # what the template's truncatechars:160 gave
    assert "烟叶&lt;含水率&gt;</a>" in html
    assert '<p class="snippet">&lt;script&gt;alert(1)&lt;/script&gt;</p>' in html
    assert f'<p class="snippet">{cut}</p>' in html and len(cut) < len(long)
    assert "次浏览" in html
