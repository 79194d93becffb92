"""Background tasks of the portal: sending mail."""

import logging

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="default")
def email_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one message through the configured backend (SMTP in production). A failure raises,
    so the task is recorded as failed rather than lost."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or {}
    )
    if html:
        message.attach_alternative(html, "text/html")
    sent = message.send()
    logger.info("Sent mail %r to %d recipient(s)", subject, len(to))
    return sent


@task(queue_name="default")
def import_files_sweep_task() -> int:
    """Delete the sheets of import previews that were never confirmed, once a day old."""
    from portal.import_files import import_files_sweep

    removed = import_files_sweep()
    logger.info("Deleted %d unconfirmed import file(s)", removed)
    return removed
