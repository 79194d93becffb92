"""Factories of the knowledge base: articles (Wagtail pages) under either face's knowledge
base, votes and attachments; and many articles at once through `knowledge.bulk`."""

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from knowledge.bulk import ArticleSpec, articles_bulk_create
from knowledge.models import (
    ArticleAttachment,
    ArticlePage,
    ExternalKnowledgeIndexPage,
    HelpfulVote,
    KnowledgeIndexPage,
    KnowledgeType,
)
from tests.factories.people import DepartmentFactory


def knowledge_index(face="intranet"):
    """The knowledge base of a face, which migrations create."""
    model = ExternalKnowledgeIndexPage if face == "extranet" else KnowledgeIndexPage
    return model.objects.get()


def knowledge_type(slug="storage"):
    return KnowledgeType.objects.get(slug=slug)


class ArticlePageFactory(factory.django.DjangoModelFactory):
    """A published article under the knowledge base of `face` unless `parent` is given."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"知识文章{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    department = factory.SubFactory(DepartmentFactory)
    knowledge_type = factory.LazyFunction(lambda: KnowledgeType.objects.order_by("pk").first())
    summary = "一篇知识文章。"
    body = factory.LazyFunction(lambda: [{"type": "text", "value": "<p>正文。</p>"}])
    live = True
    review_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))

    @classmethod
    def _create(cls, model_class, *args, parent=None, face="intranet", tags=(), **kwargs):
        parent = parent or knowledge_index(face)
        page = model_class(*args, **kwargs)
        if tags:
            page.tags.set(list(tags))
        parent.add_child(instance=page)
        if page.live:
            page.first_published_at = page.last_published_at = timezone.now()
            page.save(update_fields=["first_published_at", "last_published_at"])
        return page


class HelpfulVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpfulVote

    article = factory.SubFactory(ArticlePageFactory)
    helpful = True


class ArticleAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleAttachment

    article = factory.SubFactory(ArticlePageFactory)
    title = "规程.txt"
    filename = "规程.txt"
    file = factory.LazyAttribute(lambda o: ContentFile("烘丝机操作规程".encode(), name=o.filename))


def bulk_articles(count, *, face="intranet", department=None, start=0, **fields):
    """`count` live articles under `face`'s knowledge base, built in bulk."""
    department = department or DepartmentFactory()
    types = list(KnowledgeType.objects.values_list("pk", flat=True))
    specs = [
        ArticleSpec(
            title=f"批量文章{start + n}",
            slug=f"bulk-{face}-{start + n}",
            department_id=department.pk,
            knowledge_type_id=types[n % len(types)],
            summary="批量生成的文章。",
            body=[{"type": "text", "value": f"<p>第{start + n}篇。</p>"}],
            **fields,
        )
        for n in range(count)
    ]
    return articles_bulk_create(parent=knowledge_index(face), specs=specs)
