"""Background work of the knowledge base: reading the text of attachments."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from knowledge.models import ArticleAttachment
from knowledge.selectors import ARTICLES_GENERATION
from portal.extraction import extract_text
from portal.search.services import search_index_sync_later

logger = logging.getLogger(__name__)


@task(queue_name="default")
def attachment_extract_text(*, attachment_id: int) -> int:
    """Extract an attachment's text (PDF, Word, Excel, plain text) and keep it on its row, so
    that indexing the article again never parses the file again; the article is indexed again
    (its attachments' text is part of it) and what the knowledge base caches is renewed.
    Returns the number of characters."""
    attachment = ArticleAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return 0
    with attachment.file.open("rb") as file:
        text = extract_text(file, filename=attachment.filename)
    with transaction.atomic():
        ArticleAttachment.objects.filter(pk=attachment.pk).update(
            extracted_text=text, extracted_at=timezone.now()
        )
        search_index_sync_later(model_label="knowledge.articlepage", pk=attachment.article_id)
        ARTICLES_GENERATION.bump()
    logger.info("Extracted %d characters from knowledge attachment %s", len(text), attachment_id)
    return len(text)
