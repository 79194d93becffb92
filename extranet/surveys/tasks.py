"""Background tasks of surveys: telling the addressed retailers that a survey is open."""

import logging

from django_tasks import task

from extranet.surveys.notices import survey_notices_due, survey_notices_send

logger = logging.getLogger(__name__)


@task(queue_name="default")
def survey_notices_task(*, survey_id: int) -> int:
    """Notify the audience of one survey (queued when it is published or changed while open).
    Each retailer is notified once, so a repeated run is harmless."""
    notified = survey_notices_send(survey_id=survey_id)
    logger.info("Survey %d: %d retailers notified", survey_id, notified)
    return notified


@task(queue_name="default")
def survey_notices_due_task() -> int:
    """Notify the audiences of surveys that have opened (scheduled every 5 minutes)."""
    surveys = survey_notices_due()
    logger.info("Survey notices: %d surveys", surveys)
    return surveys
