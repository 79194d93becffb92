"""What the knowledge base caches for all readers (counts per type and department, the shared
parts of an article page, the index's answer to a search) is used, and renewed whenever an
article is published, unpublished, moved or deleted, or an attachment changes."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from knowledge.listing import articles_browse
from knowledge.models import ArticleAttachment, ArticlePage
from knowledge.services import articles_changed
from tests.factories.knowledge import ArticlePageFactory, knowledge_index, knowledge_type
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


def storage_count(user):
    browse = articles_browse(user=user, face="intranet")
    return {facet.value: facet.count for facet in browse.types}["storage"], browse.total


def test_counts_come_from_the_cache_until_the_generation_changes(employee):
    article = ArticlePageFactory(knowledge_type=knowledge_type("storage"))
    assert storage_count(employee) == (1, 1)
    # A change that bypasses every signal is not seen: the counts are cached...
    ArticlePage.objects.filter(pk=article.pk).update(live=False)
    assert storage_count(employee) == (1, 1)
    # ...until the knowledge base starts a new generation.
    articles_changed()
    assert storage_count(employee) == (0, 0)


def test_publish_unpublish_move_and_delete_renew_the_counts(employee, editor):
    article = ArticlePageFactory(knowledge_type=knowledge_type("storage"), live=False)
    article.save_revision(user=editor)
    assert storage_count(employee) == (0, 0)
    article.get_latest_revision().publish(user=editor)
    assert storage_count(employee) == (1, 1)
    article.refresh_from_db()
    article.unpublish(user=editor)
    assert storage_count(employee) == (0, 0)
    article.get_latest_revision().publish(user=editor)
    assert storage_count(employee) == (1, 1)
    # Moved to the extranet's knowledge base: no longer an internal article.
    article.refresh_from_db()
    article.move(knowledge_index("extranet"), pos="last-child", user=editor)
    assert storage_count(employee) == (0, 0)
    other = ArticlePageFactory(knowledge_type=knowledge_type("storage"))
    assert storage_count(employee) == (1, 1)
    ArticlePage.objects.get(pk=other.pk).delete()
    assert storage_count(employee) == (0, 0)


def test_browse_total_and_pages_follow_the_counts(employee, client, intranet):
    department = DepartmentFactory(code="kt")
    for n in range(25):
        ArticlePageFactory(title=f"计数{n:02d}", department=department)
    client.force_login(employee)
    page = client.get(reverse("knowledge:index") + "?department=kt&page=2")
    assert page.context["browse"].total == 25
    assert len(page.context["browse"].page.object_list) == 5
    assert "计数00" in page.content.decode()


def test_an_article_page_shows_a_new_attachment_and_tag(employee, client, intranet):
    article = ArticlePageFactory(title="缓存文章")
    client.force_login(employee)
    assert client.get(article.url).context["attachments"] == []
    ArticleAttachment.objects.create(
        article=article, title="新规程.pdf", file=ContentFile(b"%PDF-1.4", name="x.pdf")
    )
    response = client.get(article.url)
    assert [item.title for item in response.context["attachments"]] == ["新规程.pdf"]
    revision = article.save_revision()
    page = revision.as_object()
    page.tags.set(["新标签"])
    page.save_revision().publish()
    assert client.get(article.url).context["tags"] == ["新标签"]


def test_the_article_page_reuses_its_shared_parts(employee, client, intranet):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = ArticlePageFactory(title="共享部分", tags=["甲"])
    client.force_login(employee)
    client.get(article.url)
    with CaptureQueriesContext(connection) as warm:
        client.get(article.url)
    articles_changed()
    with CaptureQueriesContext(connection) as cold:
        client.get(article.url)
    # Attachments, related articles (two) and tags are read again only in a new generation.
    assert len(cold.captured_queries) - len(warm.captured_queries) >= 4


def test_the_article_pages_shared_parts_are_kept_in_the_process(employee, client, intranet):
    """Read once in a generation, the shared parts need neither the cache nor the database."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowledge.selectors import ARTICLES_GENERATION, shared_cache_key

    article = ArticlePageFactory(title="进程内", tags=["乙"])
    client.force_login(employee)
    assert client.get(article.url).context["tags"] == ["乙"]
    article.refresh_from_db()
    revision, generation = article.latest_revision_id, ARTICLES_GENERATION.current()
    key = shared_cache_key("article", "intranet", article.pk, revision, generation)
    assert cache.get(key) is not None
    cache.delete(key)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(article.url)
    assert response.context["tags"] == ["乙"]
    assert cache.get(key) is None
    assert not any("taggit" in query["sql"] for query in warm.captured_queries)
