"""Background work of the register: reading the text of uploaded files for search."""

import logging

from django.db import transaction
from django_tasks import task

from documents.register.models import DocumentFile
from portal.extraction import extract_text
from portal.search.services import search_index_sync_later

logger = logging.getLogger(__name__)


@task(queue_name="default")
def document_file_extract_text(file_id: int) -> int:
    """Extract the text of one stored document file and keep it with the file, so that the
    search index is rebuilt from the database and never parses a file again; the document is
    indexed again with it. Returns the number of characters found (0 for a file it cannot
    read)."""
    stored = DocumentFile.objects.filter(pk=file_id).first()
    if stored is None:
        return 0
    with stored.file.open("rb") as handle:
        text = extract_text(handle, filename=stored.original_name)
    with transaction.atomic():
        if DocumentFile.objects.filter(pk=file_id).update(text=text, text_extracted=True):
            search_index_sync_later(model_label="documents.policydocument", pk=stored.document_id)
    logger.info("Extracted %d characters from document file %s", len(text), file_id)
    return len(text)
