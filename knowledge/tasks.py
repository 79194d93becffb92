"""Background work of the knowledge base: reading the text of attachments."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="default")
def attachment_extract_text(*, attachment_id: int) -> int:
    """Extract an attachment's text (PDF, Word, Excel, plain text) and store it on its row, so
    that indexing the article again never parses the file again."""
    from knowledge.services import attachment_text_store

    characters = attachment_text_store(attachment_id=attachment_id)
    logger.info("Extracted %d characters from knowledge attachment %s", characters, attachment_id)
    return characters
