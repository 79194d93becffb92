"""What the search finds of the documents app: policy documents, by their register entry and the
text of their files (extracted in the background and stored with each file)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import pgettext_lazy
from haystack import indexes

from documents.register.models import DocumentFile, PolicyDocument
from documents.register.selectors import documents_visible_to
from portal.search.registry import PortalSearchIndex, ResultText, SearchKind


class PolicyDocumentIndex(PortalSearchIndex, indexes.Indexable):
    """A document, found by number, title, summary, department, category and the text of its
    current official file and attachments. Who may see it is asked of the database."""

    model = PolicyDocument
    kind = SearchKind("documents", pgettext_lazy("policy document", "Documents"), order=40)
    faces = ("intranet",)
    related = {
        "issuing_department": ("name", "name_en"),
        "category": ("name", "name_en"),
    }

    def indexed_queryset(self, *, face):
        # The files' texts in one query per batch, not one per document.
        files = DocumentFile.objects.only("id", "document_id", "kind", "text")
        return PolicyDocument.objects.select_related(
            "issuing_department", "category"
        ).prefetch_related(Prefetch("files", queryset=files))

    def visible_to(self, *, user, queryset, face):
        return documents_visible_to(user=user, queryset=queryset)

    def _file_texts(self, document) -> list[str]:
        """The current official file's text and the attachments'; older versions are left out,
        so that words a revision removed no longer find the document."""
        return [
            stored.text
            for stored in document.files.all()
            if stored.pk == document.official_file_id or stored.kind == DocumentFile.Kind.ATTACHMENT
        ]

    def title_text(self, document):
        return document.title

    def text_parts(self, document):
        department, category = document.issuing_department, document.category
        return [
            document.number,
            f"{document.year}",
            document.title,
            document.summary,
            department.name,
            department.name_en,
            category.name if category else "",
            category.name_en if category else "",
            *self._file_texts(document),
        ]

    def result_queryset(self, *, face):
        return PolicyDocument.objects.select_related("issuing_department")

    def result(self, document, *, face):
        return ResultText(
            title=f"{document.number} {document.title}",
            url=reverse("documents:detail", args=[document.pk]),
            text=" · ".join(
                part
                for part in (
                    document.issuing_department.display_name,
                    document.get_status_display(),
                    document.summary,
                )
                if part
            ),
        )
