"""Background tasks of the extranet."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="default")
def grades_recompute_task() -> int:
    """Recompute grades and system data (scheduled daily and on a staff's request). Idempotent,
    so a duplicate enqueue after a scheduler restart does no harm."""
    from extranet.services import grades_recompute

    changed = grades_recompute()
    logger.info("Recomputed grades: %d retailers changed", changed)
    return changed


@task(queue_name="default")
def feedback_alerts_task() -> list[int]:
    """Call-back warnings and overdue alerts (scheduled every 15 minutes). Each alert is sent
    once, so running it again is harmless."""
    from extranet.services import feedback_alerts_send

    warned, alerted = feedback_alerts_send()
    logger.info("Feedback alerts: %d warnings, %d overdue", warned, alerted)
    return [warned, alerted]


@task(queue_name="default")
def retailer_import_task(*, import_id: int) -> str:
    """Import retailers from a queued spreadsheet: all rows or none. A retry after a crash runs
    the import again from the start (the interrupted run was rolled back)."""
    from extranet.services import retailer_import_run

    job = retailer_import_run(import_id=import_id)
    return job.status if job is not None else "missing"
