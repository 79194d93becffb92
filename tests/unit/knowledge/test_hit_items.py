"""The knowledge search's hits written as list items (knowledge.listing.hit_items_html): the
highlighter's marks kept, every other value escaped, the summary when there is no snippet."""

from datetime import UTC, datetime

from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, override

from knowledge.listing import hit_items_html
from knowledge.search_hits import KnowledgeHit
from knowledge.search_sql import HitRow


def setting():
    """What an item depends on besides its row (`listing._item_setting`), without a database."""
    return ("intranet", get_language(), "test")


def _article(**fields):
    values = {
        "pk": 1,
        "title": "烟叶<含水率>",
        "url_path": "/home/knowledge/a/",
        "summary": "<script>alert(1)</script>",
        "first_published_at": datetime(2026, 3, 1, 2, 0, tzinfo=UTC),
        "view_count": 1,
        "helpful_yes": 3,
        "department__name": "生产科",
        "department__name_en": "Production",
        "knowledge_type__name": "工艺&标准",
        "knowledge_type__name_en": "",
    }
    values.update(fields)
    return HitRow(**values)


def test_marks_are_kept_and_everything_else_is_escaped():
    hit = KnowledgeHit(
        article=_article(),
        title=mark_safe("<mark>烟叶</mark>&lt;含水率&gt;"),
        snippet=mark_safe("…<mark>烟叶</mark>…"),
        url='/articles/a"b/',
    )
    with override("en"):
        html = hit_items_html([hit], face="intranet", setting=setting())
    assert '<a href="/articles/a&quot;b/"><mark>烟叶</mark>&lt;含水率&gt;</a>' in html
    assert '<span class="kind">工艺&amp;标准</span> · Production' in html
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
        html = hit_items_html(hits, face="intranet", setting=setting())
        cut = Truncator(long).chars(160)  # what the template's truncatechars:160 gave
    assert "烟叶&lt;含水率&gt;</a>" in html
    assert '<p class="snippet">&lt;script&gt;alert(1)&lt;/script&gt;</p>' in html
    assert f'<p class="snippet">{cut}</p>' in html and len(cut) < len(long)
    assert "次浏览" in html and "生产科" in html
