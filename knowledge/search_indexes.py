"""What the search finds in the knowledge base: articles, in the index of the face whose
knowledge base they are in (internal ones on the intranet, external ones on the extranet)."""

from django.utils.translation import pgettext_lazy
from haystack import indexes

from knowledge.blocks import body_plain_text
from knowledge.models import ArticleAttachment, ArticlePage
from portal.search.indexes import PageLinks, PageSearchIndex
from portal.search.registry import ResultText, SearchKind

ARTICLE_CONTENT_TYPE = "knowledge.articlepage"


class ArticlePageIndex(PageSearchIndex, indexes.Indexable):
    """An article, found by its title, summary, body, tags, type, department and the text of
    its attachments; filterable in the index by knowledge type and department (their ids)."""

    model = ArticlePage
    kind = SearchKind("knowledge", pgettext_lazy("knowledge", "Knowledge"), order=40)
    faces = ("intranet", "extranet")
    related = {
        "knowledge_type": ("name", "name_en"),
        "department": ("name", "name_en"),
    }

    knowledge_type = indexes.IntegerField(model_attr="knowledge_type_id")
    department = indexes.IntegerField(model_attr="department_id")

    def indexed_queryset(self, *, face):
        return super().indexed_queryset(face=face).select_related("knowledge_type", "department")

    def body_text(self, page):
        return body_plain_text(page.body)

    def text_parts(self, page):
        attachments = ArticleAttachment.objects.filter(article_id=page.pk).values_list(
            "title", "extracted_text"
        )
        return [
            page.title,
            page.summary,
            self.body_text(page),
            " ".join(tag.name for tag in page.tags.all()),
            page.knowledge_type.name,
            page.knowledge_type.name_en,
            page.department.name,
            page.department.name_en,
            *(f"{title}\n{text}" for title, text in attachments),
        ]

    def result_queryset(self, *, face):
        return ArticlePage.objects.select_related("knowledge_type", "department")

    def result(self, page, *, face, url=None):
        return ResultText(
            title=page.title,
            url=PageLinks(face).url(page) if url is None else url,
            text=" ".join(part for part in (page.summary, self.body_text(page)) if part),
        )
