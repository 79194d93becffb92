"""Background work of report circulation: the daily reminder of overdue reports."""

import logging

from django_tasks import task

from documents.circulation.notifications import reports_remind_overdue

logger = logging.getLogger(__name__)


@task(queue_name="default")
def reports_overdue_remind_task() -> int:
    """Remind destinations of overdue reports (scheduled daily; at most one reminder per report
    and day, so a repeated run is harmless)."""
    reminded = reports_remind_overdue()
    logger.info("Overdue reports reminded: %d", reminded)
    return reminded
