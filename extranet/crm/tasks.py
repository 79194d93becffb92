"""Background tasks of the CRM. The services they run are imported when they run: the services
enqueue these tasks, so this module must not import them at load time."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="default")
def grades_recompute_task() -> int:
    """Recompute grades and system data (scheduled daily and on a staff's request). Idempotent,
    so a duplicate enqueue after a scheduler restart does no harm."""
    from extranet.crm.services import grades_recompute

    changed = grades_recompute()
    logger.info("Recomputed grades: %d retailers changed", changed)
    return changed


@task(queue_name="default")
def retailer_import_task(*, import_id: int) -> str:
    """Import retailers from a queued spreadsheet: all rows or none. A retry after a crash runs
    the import again from the start (the interrupted run was rolled back)."""
    from extranet.crm.imports import retailer_import_run

    job = retailer_import_run(import_id=import_id)
    return job.status if job is not None else "missing"
