"""An article's body as plain text (search and snippets) and the body the simple form builds."""

import pytest

from knowledge.blocks import body_plain_text
from knowledge.models import ArticlePage
from knowledge.services import ArticleContent, body_from_content


def test_body_from_the_simple_form_has_text_steps_and_warning():
    body = body_from_content(
        ArticleContent(
            title="t",
            knowledge_type=None,
            text="第一段\n\n第二段 <b>",
            steps=["取样", "", "称重"],
            warning="戴手套",
        )
    )
    assert [block["type"] for block in body] == ["text", "steps", "warning"]
    assert body[0]["value"] == "<p>第一段</p><p>第二段 &lt;b&gt;</p>"
    assert body[1]["value"]["steps"] == ["取样", "称重"]


@pytest.mark.django_db
def test_plain_text_reads_every_kind_of_block():
    page = ArticlePage(
        body=[
            {"type": "text", "value": "<p>烟叶<b>含水率</b></p>"},
            {"type": "steps", "value": {"title": "步骤", "steps": ["取样", "称重"]}},
            {"type": "warning", "value": {"level": "danger", "text": "防火"}},
            {
                "type": "table",
                "value": {
                    "caption": "标准",
                    "columns": [{"type": "text", "heading": "指标"}],
                    "rows": [{"values": ["12.5%"]}],
                },
            },
        ]
    )
    text = body_plain_text(page.body)
    for word in ("烟叶含水率", "步骤", "取样", "称重", "防火", "标准", "指标", "12.5%"):
        assert word in text
