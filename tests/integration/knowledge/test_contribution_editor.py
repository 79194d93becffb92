"""Contributed text is stored in the form Wagtail's rich-text editor (Draftail) reads: a blank
line starts a paragraph, a single line break is a self-closed `<br/>`, markup typed into the
form is escaped. The knowledge editor's edit page opens on such a contribution (it answered
500 on an unclosed `<br>`), and a migration mends contributions stored the old way."""

import importlib
import json
import re
from html import unescape

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from knowledge.blocks import ArticleBodyBlock
from knowledge.models import ArticlePage
from knowledge.services import ArticleContent, article_draft_create, paragraphs_html
from tests.factories.knowledge import knowledge_type

pytestmark = pytest.mark.django_db

TYPED = (
    "第一行\r\n第二行 <b>不是标签</b> & 符号\n\n"
    "- 甲\n- 乙\n\n\n"
    "1. 关机\n2、清扫\n\n"
    "<ul><li>粘贴的列表</li></ul>\n  \n"
    "最后一段"
)

EDITOR_BLOCKS = [
    ("unstyled", "第一行\n第二行 <b>不是标签</b> & 符号"),
    ("unordered-list-item", "甲"),
    ("unordered-list-item", "乙"),
    ("ordered-list-item", "关机"),
    ("ordered-list-item", "清扫"),
    ("unstyled", "<ul><li>粘贴的列表</li></ul>"),
    ("unstyled", "最后一段"),
]


def converter():
    features = ArticleBodyBlock().child_blocks["text"].features
    return ContentstateConverter(features=features)


def draftail_blocks(html):
    """The editor's view of stored rich text: (type, text) of each Draftail block."""
    state = json.loads(converter().from_database_format(html))
    return [(block["type"], block["text"]) for block in state["blocks"]]


def test_plain_text_becomes_paragraphs_with_closed_line_breaks_and_escaped_markup():
    html = paragraphs_html(TYPED)
    assert html == (
        "<p>第一行<br/>第二行 &lt;b&gt;不是标签&lt;/b&gt; &amp; 符号</p>"
        "<ul><li>甲</li><li>乙</li></ul>"
        "<ol><li>关机</li><li>清扫</li></ol>"
        "<p>&lt;ul&gt;&lt;li&gt;粘贴的列表&lt;/li&gt;&lt;/ul&gt;</p>"
        "<p>最后一段</p>"
    )
    assert draftail_blocks(html) == EDITOR_BLOCKS
    # What the editor saves back is what was stored: the stored form is Draftail's own.
    saved = converter().to_database_format(converter().from_database_format(html))
    assert re.sub(r' data-block-key="[^"]*"', "", saved) == html


def article_with_everything(author):
    return article_draft_create(
        author=author,
        content=ArticleContent(
            title="换班交接要点",
            knowledge_type=knowledge_type("equipment-maintenance"),
            text=TYPED,
            steps=["关闭烘丝机", "清理出口"],
            warning="高温部件\n未冷却前不得触碰",
            table=[["参数", "值"], ["转速", "1200"], ["温度", "135℃"]],
        ),
    )


def test_the_editor_opens_a_contribution_with_line_breaks_lists_and_a_table(
    author, editor, client, intranet
):
    article = article_with_everything(author)
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    # The body's blocks as the editor's widgets get them: Draftail's state for the text.
    arguments = re.search(r'data-w-block-arguments-value="([^"]*)"', response.content.decode())
    blocks = {block["type"]: block["value"] for block in json.loads(unescape(arguments[1]))[0]}
    draftail = [(block["type"], block["text"]) for block in json.loads(blocks["text"])["blocks"]]
    assert draftail == EDITOR_BLOCKS
    assert blocks["table"]["rows"] == [{"values": ["转速", "1200"]}, {"values": ["温度", "135℃"]}]
    assert [item["value"] for item in blocks["steps"]["steps"]] == ["关闭烘丝机", "清理出口"]
    assert blocks["warning"]["text"] == "高温部件\n未冷却前不得触碰"


def test_the_contribution_form_gets_back_the_lines_as_typed(author, client, intranet):
    from knowledge.forms import ContributionForm

    article = article_with_everything(author)
    text = ContributionForm.initial_for(article.get_latest_revision_as_object())["text"]
    assert "第一行\n第二行 <b>不是标签</b> & 符号" in text
    assert "- 甲\n- 乙\n\n1. 关机\n2. 清扫" in text
    assert "<ul><li>粘贴的列表</li></ul>" in text


def test_the_migration_mends_contributions_stored_with_an_unclosed_break(
    author, editor, client, intranet
):
    article = article_with_everything(author)
    old = "<p>第一行<br>第二行</p><p>第二段<BR >完</p>"
    for stored in (article, article.get_latest_revision_as_object()):
        stored.body = [{"type": "text", "value": old}]
    ArticlePage.objects.filter(pk=article.pk).update(body=[{"type": "text", "value": old}])
    revision = article.get_latest_revision()
    revision.content = {**revision.content, "body": json.dumps([{"type": "text", "value": old}])}
    revision.save(update_fields=["content"])
    client.force_login(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[article.pk])
    with pytest.raises(AssertionError, match="Unmatched tags"):
        client.get(edit)

    migration = importlib.import_module("knowledge.migrations.0002_contribution_line_breaks")
    migration.close_line_breaks(apps, None)

    assert client.get(edit).status_code == 200
    article.refresh_from_db()
    fixed = "<p>第一行<br/>第二行</p><p>第二段<br/>完</p>"
    assert article.body.raw_data[0]["value"] == fixed
    assert article.get_latest_revision_as_object().body.raw_data[0]["value"] == fixed
