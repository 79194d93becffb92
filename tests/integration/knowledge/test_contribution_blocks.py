"""The contribution form offers every block an article's body has: besides text, steps, a
warning and attachments, pictures (checked, stored as Wagtail images in the Knowledge
collection) and a table (one row per line, cells separated by | or a tab)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from knowledge.forms import parse_table
from knowledge.models import ArticlePage
from knowledge.services import knowledge_collection
from tests.factories.knowledge import knowledge_type

pytestmark = pytest.mark.django_db


def png(name="烘丝机.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def post(client, **fields):
    data = {
        "title": "烘丝机出口含水率",
        "audience": "internal",
        "knowledge_type": knowledge_type("equipment-maintenance").pk,
        "text": "出口含水率应稳定。",
        "action": "save",
        **fields,
    }
    return client.post(reverse("knowledge:contribute"), data)


def test_parse_table_reads_bars_and_tabs():
    assert parse_table("| 项目 | 标准 |\n\n 含水率 | 12.5%\nA\tB|C\n") == [
        ["项目", "标准"],
        ["含水率", "12.5%"],
        ["A", "B|C"],
    ]


def test_a_contribution_with_pictures_and_a_table(author, client, intranet):
    client.force_login(author)
    response = post(
        client,
        images=[png(), png("second.jpg.png")],
        table="项目 | 标准 | 频次\n含水率 | 12.5%±0.5% | 每班\n温度\t135℃",
    )
    assert response.status_code == 302, response.content.decode()[:500]
    article = ArticlePage.objects.get(title="烘丝机出口含水率")
    body = article.get_latest_revision_as_object().body
    kinds = [block.block_type for block in body]
    assert kinds == ["text", "image", "image", "table"]
    image = body[1].value["image"]
    assert image.collection == knowledge_collection()
    assert image.uploaded_by_user == author
    table = body[3].value
    assert [column["heading"] for column in table.columns] == ["项目", "标准", "频次"]
    assert [list(map(str, row["values"])) for row in table.row_data] == [
        ["含水率", "12.5%±0.5%", "每班"],
        ["温度", "135℃", ""],
    ]


def test_the_article_page_shows_the_picture_and_the_table(author, editor, client, intranet):
    client.force_login(author)
    post(client, images=[png()], table="参数 | 值\n转速 | 1200")
    article = ArticlePage.objects.get(title="烘丝机出口含水率")
    article.get_latest_revision().publish(user=editor)
    article.refresh_from_db()
    page = client.get(article.url).content.decode()
    assert "<img" in page and "kb-figure" in page
    assert '<th scope="col">参数</th>' in page and "<td>1200</td>" in page


def test_revising_keeps_the_pictures_and_shows_the_table(author, client, intranet):
    client.force_login(author)
    post(client, images=[png()], table="参数 | 值\n转速 | 1200")
    article = ArticlePage.objects.get(title="烘丝机出口含水率")
    form = client.get(reverse("knowledge:revise", args=[article.pk])).context["form"]
    assert form.initial["table"] == "参数 | 值\n转速 | 1200"
    response = client.post(
        reverse("knowledge:revise", args=[article.pk]),
        {
            "title": "烘丝机出口含水率",
            "knowledge_type": knowledge_type("equipment-maintenance").pk,
            "text": "改过的正文。",
            "table": form.initial["table"],
            "images": [png("third.png")],
            "action": "save",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    body = article.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["text", "image", "image", "table"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("macro.docm", b"PK"), "macro.docm"),
        (SimpleUploadedFile("fake.png", b"not a picture at all"), "fake.png"),
    ],
)
def test_a_bad_picture_is_refused_and_nothing_is_saved(author, client, intranet, upload, message):
    client.force_login(author)
    response = post(client, images=[upload])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ArticlePage.objects.filter(title="烘丝机出口含水率").exists()
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    "table",
    ["只有标题 | 没有行", "\n".join(["a | b"] * 60), " | ".join("x" * 11) + "\n" + "1 | 2"],
)
def test_a_bad_table_is_refused(author, client, intranet, table):
    client.force_login(author)
    response = post(client, table=table)
    assert response.status_code == 400
    assert not ArticlePage.objects.filter(title="烘丝机出口含水率").exists()
