"""The knowledge base's pages run the same number of queries with 100 and with 20,000
articles (built in bulk: creating 20,000 pages one by one would take minutes)."""

import pytest
from django.urls import reverse

from knowledge.models import ArticlePage
from knowledge.services import ArticleContent, article_draft_create
from tests.conftest import make_role_user, set_face
from tests.factories.knowledge import (
    ArticleAttachmentFactory,
    ArticlePageFactory,
    HelpfulVoteFactory,
    bulk_articles,
    knowledge_type,
)
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

SIZES = (100, 20_000)
# With the knowledge base's shared cache warm (the first request of each page fills it):
# counts, the article's tags, attachments and related articles come from the cache.
MAX_QUERIES = {
    "browse": 4,
    "browse-filtered": 5,
    "article": 13,
    "search": 4,
    "mine": 8,
    "overdue": 5,
    "report": 10,
}


def grow_to(size, face):
    present = ArticlePage.objects.count()
    if size > present:
        bulk_articles(size - present, face=face, start=present, view_count=3)


def measure(client, urls):
    counts = {}
    for name, url in urls.items():
        client.get(url)  # per-process caches (sites, content types) do not count
        counts[name] = count_queries(client, url)
    return counts


def test_intranet_pages_do_not_grow_with_the_articles(client, intranet, committed):
    employee = make_role_user("knowledge_editor")
    article = ArticlePageFactory(title="烘丝机保养", tags=["烘丝机", "保养"], owner=employee)
    ArticleAttachmentFactory(article=article)
    HelpfulVoteFactory(article=article, user=employee, comment="好")
    for n in range(3):
        article_draft_create(
            author=employee,
            content=ArticleContent(title=f"草稿{n}", knowledge_type=knowledge_type("safety")),
        )
    client.force_login(employee)
    urls = {
        "browse": reverse("knowledge:index"),
        "browse-filtered": reverse("knowledge:index") + "?type=storage&sort=helpful&page=2",
        "article": article.url,
        "search": reverse("knowledge:search") + "?q=烘丝机",
        "mine": reverse("knowledge:mine"),
        "overdue": reverse("knowledge:overdue"),
        "report": reverse("knowledge:report"),
    }
    counts = {}
    for size in SIZES:
        grow_to(size, "intranet")
        counts[size] = measure(client, urls)
    assert counts[SIZES[0]] == counts[SIZES[1]], counts
    for name, limit in MAX_QUERIES.items():
        assert counts[SIZES[1]][name] <= limit, (name, counts[SIZES[1]][name])


def test_extranet_pages_do_not_grow_with_the_articles(client, settings):
    set_face(settings, "extranet")
    article = ArticlePageFactory(face="extranet", title="陈列技巧")
    client.force_login(make_role_user("retailer"))
    urls = {
        "browse": reverse("shop:knowledge"),
        "article": article.url,
        "search": reverse("shop:knowledge_search") + "?q=陈列",
    }
    counts = {}
    for size in (100, 2_000):
        grow_to(size, "extranet")
        counts[size] = measure(client, urls)
    assert counts[100] == counts[2_000], counts
