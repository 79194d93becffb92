"""Sending a mass notice, batch by batch, through Django's email backend.

Delivery is **at most once** per recipient: each delivery row is claimed (pending → sending)
in its own committed UPDATE before its mail goes out, and only a row this worker claimed is
sent. A worker that dies between the claim and the SMTP server's answer leaves the row in
"sending"; it is never sent again, and is reported as failed with `INTERRUPTED` as its error
so that the sender can follow up: as soon as the scheduler's sweep finds the worker dead
(`notice_deliver_resume`, registered with `portal.tasks_lease`, which also queues the rest of
the notice again), or, for a claim without a known task, once it is
NOTICE_STALE_CLAIM_SECONDS old. We chose this over at-least-once because a duplicate notice in
every mailbox after a restart is worse, for a factory's official notices, than one recipient
the sender is told about.

Temporary failures (SMTP 4xx, a lost connection) put the row back to pending with a later
attempt time (exponential backoff), up to NOTICE_MAX_ATTEMPTS; permanent ones (5xx, a rejected
recipient) fail the row at once. Each task sends one batch and queues the next, so a long
notice neither holds a worker for an hour nor loses its progress when a worker restarts.
"""

import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Min, Q
from django.utils import timezone
from django_tasks import TaskContext, task

from portal.notices.models import Notice, NoticeDelivery
from portal.notices.richtext import html_to_text, sanitise_html

logger = logging.getLogger(__name__)

TEMPORARY, PERMANENT = "temporary", "permanent"
INTERRUPTED = NoticeDelivery.INTERRUPTED


def classify_failure(error: Exception) -> tuple[str, str]:
    """(temporary|permanent, a short description) for a failed send."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        kind = TEMPORARY if 400 <= code < 500 else PERMANENT
        return kind, f"{code} {_text(text)}"
    if isinstance(error, smtplib.SMTPResponseException):
        kind = TEMPORARY if 400 <= error.smtp_code < 500 else PERMANENT
        return kind, f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected | socket.timeout | OSError):
        return TEMPORARY, f"{type(error).__name__}: {error}"
    return PERMANENT, f"{type(error).__name__}: {error}"


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def mail_bodies(notice) -> tuple[str, str]:
    """(text/plain, text/html) of a notice's mail: the stored HTML sanitised once more on the
    way out (so a row written around the services cannot carry markup), and the plain text
    derived from it."""
    html = sanitise_html(notice.body_html)
    return html_to_text(html), html


def _message(notice, bodies, attachments, email, connection) -> EmailMultiAlternatives:
    text, html = bodies
    message = EmailMultiAlternatives(
        subject=notice.subject,
        body=text,
        to=[email],
        connection=connection,
        headers={"X-Portal-Notice": str(notice.pk)},
    )
    message.attach_alternative(html, "text/html")
    for name, content, content_type in attachments:
        message.attach(name, content, content_type)
    return message


@task(queue_name="default", takes_context=True)
def notice_deliver(context: TaskContext, *, notice_id: int) -> dict:
    """Send the next batch of a notice's pending deliveries, then queue what remains."""
    from portal.notices.services import notice_deliveries_enqueue

    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or notice.status == Notice.Status.DRAFT:
        return {"sent": 0, "failed": 0}
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTICE_STALE_CLAIM_SECONDS)
    NoticeDelivery.objects.filter(
        notice_id=notice_id, status=NoticeDelivery.Status.SENDING, claimed_at__lt=stale
    ).update(status=NoticeDelivery.Status.FAILED, last_error=INTERRUPTED)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    batch = list(
        NoticeDelivery.objects.filter(notice_id=notice_id, status=NoticeDelivery.Status.PENDING)
        .filter(due)
        .order_by("pk")
        .values_list("pk", "email")[: settings.NOTICE_BATCH_SIZE]
    )
    attachments = []
    bodies = mail_bodies(notice) if batch else ("", "")
    if batch:
        for attachment in notice.attachments.all():
            with attachment.file.open("rb") as handle:
                attachments.append((attachment.name, handle.read(), attachment.content_type))
    connection = get_connection(fail_silently=False)
    sent = failed = 0
    try:
        for pk, email in batch:
            # The claim: committed on its own (autocommit) before the mail goes out.
            claimed = NoticeDelivery.objects.filter(
                pk=pk, status=NoticeDelivery.Status.PENDING
            ).update(
                status=NoticeDelivery.Status.SENDING,
                claimed_at=timezone.now(),
                claimed_by=context.task_result.id,
                attempts=F("attempts") + 1,
            )
            if not claimed:
                continue
            try:
                _message(notice, bodies, attachments, email, connection).send()
            except Exception as error:  # classified below: every failure is recorded
                kind, description = classify_failure(error)
                failed += _record_failure(pk, kind, description)
                connection.close()
                continue
            NoticeDelivery.objects.filter(pk=pk).update(
                status=NoticeDelivery.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    finally:
        connection.close()
    _continue_or_finish(notice, enqueue=notice_deliveries_enqueue)
    logger.info("Notice %s: sent %d, failed %d in this batch", notice_id, sent, failed)
    return {"sent": sent, "failed": failed}


def _record_failure(pk: int, kind: str, description: str) -> int:
    delivery = NoticeDelivery.objects.get(pk=pk)
    if kind == TEMPORARY and delivery.attempts < settings.NOTICE_MAX_ATTEMPTS:
        delay = settings.NOTICE_RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1)
        NoticeDelivery.objects.filter(pk=pk).update(
            status=NoticeDelivery.Status.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            last_error=description[:500],
        )
        return 0
    NoticeDelivery.objects.filter(pk=pk).update(
        status=NoticeDelivery.Status.FAILED, last_error=description[:500]
    )
    return 1


def _continue_or_finish(notice, *, enqueue) -> None:
    pending = NoticeDelivery.objects.filter(
        notice_id=notice.pk, status=NoticeDelivery.Status.PENDING
    )
    now = timezone.now()
    if pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).exists():
        enqueue(notice_id=notice.pk)
        return
    retry_at = pending.aggregate(at=Min("next_attempt_at"))["at"]
    if retry_at is not None:
        enqueue(notice_id=notice.pk, run_after=retry_at)
        return
    claimed_at = NoticeDelivery.objects.filter(
        notice_id=notice.pk, status=NoticeDelivery.Status.SENDING
    ).aggregate(at=Min("claimed_at"))["at"]
    if claimed_at is not None:
        # Claimed by a worker that is sending now or died: look again once such a claim is
        # stale, so that the notice is finished either way.
        stale_after = timedelta(seconds=settings.NOTICE_STALE_CLAIM_SECONDS + 1)
        enqueue(notice_id=notice.pk, run_after=max(claimed_at + stale_after, now))
    else:
        Notice.objects.filter(pk=notice.pk, status=Notice.Status.SENDING).update(
            status=Notice.Status.SENT, finished_at=now
        )


def notice_deliver_resume(interrupted) -> None:
    """The sweep found a `notice_deliver` task whose worker died (`portal.tasks_lease`): the
    rows it left in "sending" are reported interrupted (their mail may have gone: never sent
    again), and the notice's sending is queued again for the pending rows, unless a
    `notice_deliver` for it is already waiting. Progress is kept in the delivery rows, so no
    limit on resumes is needed: each run either sends rows or marks them interrupted."""
    from portal.tasks_lease import requeue

    notice_id = interrupted.kwargs["notice_id"]
    NoticeDelivery.objects.filter(
        notice_id=notice_id,
        status=NoticeDelivery.Status.SENDING,
        claimed_by=interrupted.task_id,
    ).update(status=NoticeDelivery.Status.FAILED, last_error=INTERRUPTED)
    if not requeue(interrupted, limit=False):
        logger.info("Notice %s: its sending is already queued", notice_id)
