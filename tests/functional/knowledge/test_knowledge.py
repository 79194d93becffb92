"""The knowledge base in headless Chromium: an employee drafts an article, a knowledge editor
approves it in Wagtail admin, and once the worker has indexed it, search finds it."""

import re

import pytest
from playwright.sync_api import expect

from knowledge.models import ArticlePage
from tests.conftest import make_role_user
from tests.functional.browsing import PHONE, has_no_horizontal_scroll, sign_in, sign_out
from tests.worker import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_employee_drafts_editor_approves_and_search_finds_it(page, live_server, intranet):
    author = make_role_user("employee")
    editor = make_role_user("knowledge_editor")

    sign_in(page, author.username)
    page.goto("/knowledge/")
    page.get_by_role("link", name="撰写文章").click()
    page.get_by_label(re.compile(r"^标题")).fill("烟叶含水率的快速判断")
    page.get_by_label("知识类别").select_option(label="原料质量鉴别")
    page.get_by_label("标签").fill("含水率，验收")
    page.get_by_label("正文").fill("手握烟叶感觉柔软不碎，烟叶含水率一般在12%左右。")
    page.get_by_label("步骤").fill("抓取一把烟叶\n握紧后松开观察")
    page.get_by_role("button", name="提交审核").click()

    expect(page).to_have_url(re.compile(r"/knowledge/mine/$"))
    item = page.locator(".kb-mine-item", has_text="烟叶含水率的快速判断")
    expect(item.locator(".kb-status")).to_have_text("审核中")
    article = ArticlePage.objects.get(title="烟叶含水率的快速判断")
    assert not article.live
    sign_out(page)

    sign_in(page, editor.username)
    page.goto(f"/admin/pages/{article.pk}/edit/")
    approve = page.locator('button[data-workflow-action-name="approve"]').first
    # The action sits in the footer's drop-down menu; its click handler submits the form.
    approve.dispatch_event("click")
    expect(page).to_have_url(re.compile(r"/admin/pages/"))
    article.refresh_from_db()
    assert article.live
    page.goto("/")
    sign_out(page)

    run_worker()  # index the published article and send the author's mail

    page.set_viewport_size(PHONE)
    sign_in(page, author.username)
    page.goto("/knowledge/search/?q=烟叶含水率")
    hits = page.locator("ol.kb-results > li")
    expect(hits).to_have_count(1)
    expect(hits.first.locator("mark").first).to_have_text("烟叶含水率")
    assert has_no_horizontal_scroll(page)
    hits.first.locator("a").first.click()
    expect(page.locator("h1")).to_have_text("烟叶含水率的快速判断")
    page.get_by_label("有帮助", exact=True).check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("感谢您的评价")
    page.goto("/knowledge/mine/")
    expect(page.locator(".kb-mine-item .kb-status")).to_have_text("已发布")


def test_employee_adds_a_picture_and_fills_the_table_grid(page, live_server, intranet, tmp_path):
    import io

    from PIL import Image as PILImage

    author = make_role_user("employee")
    picture = tmp_path / "烘丝机.png"
    buffer = io.BytesIO()
    PILImage.new("RGB", (10, 10), "green").save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())

    sign_in(page, author.username)
    page.set_viewport_size(PHONE)
    page.goto("/knowledge/contribute/")
    page.get_by_label(re.compile(r"^标题")).fill("烘丝机参数")
    page.get_by_label("正文").fill("常用参数如下。")
    page.get_by_label("图片", exact=True).set_input_files(str(picture))
    # With JavaScript the table is a grid of inputs; the textarea behind it is hidden.
    expect(page.locator("textarea.kb-table-source")).to_be_hidden()
    page.get_by_label("列标题 1,1").fill("参数")
    page.get_by_label("列标题 1,2").fill("值")
    page.get_by_label("单元格 2,1").fill("出口温度")
    page.get_by_label("单元格 2,2").fill("135℃")
    page.get_by_role("button", name="添加一行").click()
    page.get_by_label("单元格 3,1").fill("转速")
    page.get_by_label("单元格 3,2").fill("1200")
    assert has_no_horizontal_scroll(page)
    page.get_by_role("button", name="保存草稿").click()

    expect(page).to_have_url(re.compile(r"/knowledge/mine/$"))
    article = ArticlePage.objects.get(title="烘丝机参数")
    body = article.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["text", "image", "table"]
    table = body[2].value
    assert [column["heading"] for column in table.columns] == ["参数", "值"]
    assert [list(map(str, row["values"])) for row in table.row_data] == [
        ["出口温度", "135℃"],
        ["转速", "1200"],
    ]
