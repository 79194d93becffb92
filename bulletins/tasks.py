"""Background work of the bulletins: Wagtail's scheduled publishing. (Reminders to acknowledge a
notice go out as mass notices: `portal.notices`.)"""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="default")
def scheduled_publish() -> bool:
    """Run Wagtail's scheduled publishing: pages whose `go_live_at` has come go live, pages whose
    `expire_at` has passed are unpublished. Meant to be run every minute by the portal's
    periodic-task scheduler (register it there); safe to run at any time, and twice in a row."""
    from django.core.management import call_command

    call_command("publish_scheduled")
    logger.info("Scheduled publishing ran")
    return True
