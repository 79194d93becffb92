"""Background work of the documents app: reading the text of uploaded files for search."""

import logging

from django_tasks import task

from portal.extraction import extract_text

logger = logging.getLogger(__name__)


@task(queue_name="default")
def document_file_extract_text(file_id: int) -> int:
    """Extract the text of one stored document file and keep it with the file, so that the
    search index is rebuilt from the database and never parses a file again. Returns the number
    of characters found (0 for a file it cannot read)."""
    from documents.models import DocumentFile
    from documents.services import document_file_store_text

    stored = DocumentFile.objects.filter(pk=file_id).first()
    if stored is None:
        return 0
    with stored.file.open("rb") as handle:
        text = extract_text(handle, filename=stored.original_name)
    document_file_store_text(file_id=file_id, text=text)
    logger.info("Extracted %d characters from document file %s", len(text), file_id)
    return len(text)


@task(queue_name="default")
def reports_overdue_remind_task() -> int:
    """Remind destinations of overdue reports (scheduled daily; at most one reminder per report
    and day, so a repeated run is harmless)."""
    from documents.services import reports_remind_overdue

    reminded = reports_remind_overdue()
    logger.info("Overdue reports reminded: %d", reminded)
    return reminded
