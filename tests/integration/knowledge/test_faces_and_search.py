"""Internal and external knowledge never mix: an internal article is absent from the extranet's
pages, lists, search and attachments. Search finds articles in Chinese (with the domain
dictionary) and English, highlighted, narrowed by type and department, and by the text of
their attachments once the worker has extracted it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.services import attachment_add
from tests.conftest import make_role_user, set_face
from tests.factories.knowledge import (
    ArticleAttachmentFactory,
    ArticlePageFactory,
    knowledge_type,
)
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(committed):
    with committed():
        internal = ArticlePageFactory(
            title="烟叶含水率的快速测定",
            slug="moisture",
            summary="内部检测方法",
            body=[{"type": "text", "value": "<p>烘箱法测定烟叶含水率。</p>"}],
            knowledge_type=knowledge_type("raw-material-quality"),
        )
        external = ArticlePageFactory(
            face="extranet",
            title="卷烟陈列技巧",
            slug="display",
            summary="零售终端的陈列",
            body=[{"type": "text", "value": "<p>Display cartons at eye level.</p>"}],
            knowledge_type=knowledge_type("sales-service"),
        )
    return internal, external


def test_retailers_see_external_articles_only(both, client, settings):
    internal, external = both
    set_face(settings, "extranet")
    client.force_login(make_role_user("retailer"))
    listing = client.get(reverse("shop:knowledge")).content.decode()
    assert "卷烟陈列技巧" in listing and "烟叶含水率的快速测定" not in listing
    assert client.get("/articles/display/").status_code == 200
    assert client.get("/articles/moisture/").status_code == 404
    found = client.get(reverse("shop:knowledge_search"), {"q": "烟叶含水率"}).content.decode()
    assert "烟叶含水率的快速测定" not in found
    site_search = client.get("/search/", {"q": "烟叶含水率"}).content.decode()
    assert "烟叶含水率的快速测定" not in site_search
    outcome = client.get(reverse("shop:knowledge_search"), {"q": "陈列"}).context["outcome"]
    assert [hit.article.title for hit in outcome.hits] == ["卷烟陈列技巧"]
    vote = client.post(reverse("shop:knowledge_vote", args=[internal.pk]), {"helpful": "yes"})
    assert vote.status_code == 404


def test_internal_attachment_is_never_served_on_the_extranet(both, client, settings):
    internal, external = both
    inside = ArticleAttachmentFactory(article=internal)
    outside = ArticleAttachmentFactory(article=external)
    set_face(settings, "extranet")
    client.force_login(make_role_user("retailer"))
    assert client.get(reverse("shop:knowledge_attachment", args=[inside.pk])).status_code == 404
    response = client.get(reverse("shop:knowledge_attachment", args=[outside.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_employees_do_not_see_external_articles_on_the_intranet(both, client, intranet):
    client.force_login(make_role_user("employee"))
    listing = client.get(reverse("knowledge:index")).content.decode()
    assert "烟叶含水率的快速测定" in listing and "卷烟陈列技巧" not in listing
    assert (
        "卷烟陈列技巧"
        not in client.get(reverse("knowledge:search"), {"q": "陈列"}).content.decode()
    )


def test_domain_term_finds_the_article_and_an_unrelated_word_does_not(both, client, intranet):
    client.force_login(make_role_user("employee"))
    response = client.get(reverse("knowledge:search"), {"q": "烟叶含水率"})
    page = response.content.decode()
    assert response.context["outcome"].total == 1
    assert "<mark>烟叶含水率</mark>" in page
    unrelated = client.get(reverse("knowledge:search"), {"q": "卷接机组"})
    assert unrelated.context["outcome"].total == 0


def test_search_narrows_by_type_and_department(committed, client, intranet):
    quality = DepartmentFactory(code="qa")
    with committed():
        ArticlePageFactory(
            title="烘丝机温度控制",
            department=quality,
            knowledge_type=knowledge_type("equipment-maintenance"),
        )
        ArticlePageFactory(title="烘丝机安全操作",
                           knowledge_type=knowledge_type("safety"))  # fmt: skip
    client.force_login(make_role_user("employee"))
    url = reverse("knowledge:search")
    assert client.get(url, {"q": "烘丝机"}).context["outcome"].total == 2
    by_type = client.get(url, {"q": "烘丝机", "type": "safety"}).context["outcome"]
    assert [hit.article.title for hit in by_type.hits] == ["烘丝机安全操作"]
    by_department = client.get(url, {"q": "烘丝机", "department": "qa"}).context["outcome"]
    assert [hit.article.title for hit in by_department.hits] == ["烘丝机温度控制"]
    assert {f.value: f.count for f in by_department.types if f.count} == {
        "equipment-maintenance": 1
    }


def test_english_search_and_the_site_search_find_articles(committed, client, intranet):
    with committed():
        ArticlePageFactory(
            title="Cutter maintenance",
            body=[{"type": "text", "value": "<p>Sharpen the blades of the cutters weekly.</p>"}],
        )
    client.force_login(make_role_user("employee"))
    outcome = client.get(reverse("knowledge:search"), {"q": "blade"}).context["outcome"]
    assert [hit.article.title for hit in outcome.hits] == ["Cutter maintenance"]
    assert "Cutter maintenance" in client.get("/search/", {"q": "blades"}).content.decode()


def test_attachment_text_is_extracted_by_the_worker_and_searchable(committed, client, intranet):
    with committed():
        article = ArticlePageFactory(title="设备手册")
    client.force_login(make_role_user("employee"))
    url = reverse("knowledge:search")
    assert client.get(url, {"q": "润叶机"}).context["outcome"].total == 0
    with committed():
        attachment = attachment_add(
            article=article,
            upload=SimpleUploadedFile("手册.txt", "润叶机每周清理一次。".encode()),
            user=None,
        )
    attachment.refresh_from_db()
    assert "润叶机" in attachment.extracted_text
    assert client.get(url, {"q": "润叶机"}).context["outcome"].total == 1


def test_draft_attachment_is_for_its_author_and_the_editors_only(client, intranet):
    author = make_role_user("employee")
    draft = ArticlePageFactory(live=False, owner=author)
    attachment = ArticleAttachmentFactory(article=draft)
    url = reverse("knowledge:attachment", args=[attachment.pk])
    for user, status in (
        (author, 200),
        (make_role_user("knowledge_editor"), 200),
        (make_role_user("employee"), 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert response["Cache-Control"] == "private, no-store"
            assert b"".join(response.streaming_content).decode() == "烘丝机操作规程"


def test_the_retailers_knowledge_base_lists_only_categories_with_external_articles(
    both, client, settings
):
    from knowledge.models import KnowledgeType

    internal_type = KnowledgeType.objects.get(slug="raw-material-quality")
    external_type = KnowledgeType.objects.get(slug="sales-service")
    set_face(settings, "extranet")
    client.force_login(make_role_user("retailer"))
    for url, params in (
        (reverse("shop:knowledge"), {}),
        (reverse("shop:knowledge_search"), {"q": "陈列"}),
    ):
        html = client.get(url, params).content.decode()
        assert f"type={external_type.slug}" in html
        assert f"type={internal_type.slug}" not in html
        assert internal_type.name not in html
        assert "(0)" not in html, "no category with nothing a retailer may read"
    # The intranet still lists every category to file into.
    set_face(settings, "intranet")
    client.force_login(make_role_user("employee"))
    html = client.get(reverse("knowledge:index")).content.decode()
    assert f"?type={internal_type.slug}" in html
