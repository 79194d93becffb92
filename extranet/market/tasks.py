"""Background tasks of market analysis: the monthly sales summary."""

import logging
from datetime import date

from django_tasks import task

from extranet.market.services import sales_summary_rebuild, sales_summary_refresh

logger = logging.getLogger(__name__)


@task(queue_name="default")
def sales_summary_refresh_task(*, month: str) -> int:
    """Refresh one month of the sales summary (queued after an order change). Idempotent."""
    rows = sales_summary_refresh(month=date.fromisoformat(month))
    logger.info("Sales summary of %s refreshed: %d rows", month[:7], rows)
    return rows


@task(queue_name="default")
def sales_summary_rebuild_task() -> int:
    """Refresh every month of the sales summary (nightly, and after grades or regions change).
    Idempotent."""
    months = sales_summary_rebuild()
    logger.info("Sales summary rebuilt: %d months", months)
    return months
