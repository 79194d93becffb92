"""Background tasks of feedback and complaints."""

import logging

from django_tasks import task

from extranet.feedback.services import feedback_alerts_send

logger = logging.getLogger(__name__)


@task(queue_name="default")
def feedback_alerts_task() -> list[int]:
    """Call-back warnings and overdue alerts (scheduled every 15 minutes). Each alert is sent
    once, so running it again is harmless."""
    warned, alerted = feedback_alerts_send()
    logger.info("Feedback alerts: %d warnings, %d overdue", warned, alerted)
    return [warned, alerted]
