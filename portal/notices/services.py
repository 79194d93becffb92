"""Writes of mass notices: drafting, editing drafts, sending (queuing deliveries), discarding."""

import mimetypes

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.notices.models import Notice, NoticeAttachment, NoticeDelivery
from portal.notices.permissions import may_edit_notice, notice_refusal
from portal.notices.richtext import sanitise_html, text_to_html
from portal.notices.selectors import audience_label, audience_people
from portal.refusals import Refusal
from portal.services import audit_record


class NoticeRefused(Refusal):
    """The notice may not be saved or sent as composed; the message says why, for the sender.
    A notice already sent (or being sent) is refused with 409."""


def _already_sent() -> NoticeRefused:
    return NoticeRefused(_("This notice has been sent already."), status=409)


def _nobody() -> NoticeRefused:
    return NoticeRefused(_("Nobody with an email address matches the recipients you chose."))


def notice_body_html(body: str, body_format: str = Notice.BodyFormat.TEXT) -> str:
    """The body as sanitised HTML, from plain text with light formatting or from HTML."""
    if body_format == Notice.BodyFormat.HTML:
        return sanitise_html(body)
    return text_to_html(body)


def notice_body_source(body: str, body_format: str) -> str:
    """What is kept as written: plain text as typed, HTML only once sanitised."""
    return sanitise_html(body) if body_format == Notice.BodyFormat.HTML else body


def _check_draft(*, sender, audience: dict, files) -> None:
    people = audience_people(audience).exclude(user__email="")
    if not people.exists():
        raise _nobody()
    refusal = notice_refusal(user=sender, audience=audience, people=people)
    if refusal:
        raise NoticeRefused(refusal, status=403)
    for upload in files:
        if upload.size > settings.NOTICE_ATTACHMENT_MAX_BYTES:
            raise NoticeRefused(_("An attachment is too large."))


def _attach(notice: Notice, files) -> None:
    for upload in files:
        NoticeAttachment.objects.create(
            notice=notice,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            content_type=upload.content_type
            or mimetypes.guess_type(upload.name)[0]
            or "application/octet-stream",
        )


def notice_draft_create(
    *,
    sender,
    subject: str,
    body: str,
    audience: dict,
    files=(),
    body_format: str = Notice.BodyFormat.TEXT,
) -> Notice:
    """Keep a composed notice as a draft for the sender to confirm. Refused (nothing saved)
    when nobody would receive it, when the sender may not send to those chosen, or when an
    attachment is too large. An HTML body is sanitised before it is stored."""
    _check_draft(sender=sender, audience=audience, files=files)
    with transaction.atomic():
        notice = Notice.objects.create(
            sender=sender,
            subject=subject.strip(),
            body=notice_body_source(body, body_format),
            body_format=body_format,
            body_html=notice_body_html(body, body_format),
            audience=audience,
            audience_label=audience_label(audience),
        )
        _attach(notice, files)
        audit_record(actor=sender, action="notice.drafted", target=notice)
    return notice


def notice_draft_update(
    *,
    notice: Notice,
    actor,
    subject: str,
    body: str,
    audience: dict,
    body_format: str = Notice.BodyFormat.TEXT,
    files=(),
    remove_attachments=(),
) -> Notice:
    """Change a draft: subject, body, recipients, attachments (new ones added, the chosen ones
    removed). Only a draft its author may edit (`may_edit_notice`) changes; once sending has
    started it is refused (409), and every check of `notice_draft_create` applies again.
    Nothing changes when refused."""
    _check_draft(sender=actor, audience=audience, files=files)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != Notice.Status.DRAFT:
            raise _already_sent()
        if not may_edit_notice(actor, notice):
            raise NoticeRefused(_("Only the author of a draft may edit it."), status=403)
        removed = list(notice.attachments.filter(pk__in=[a.pk for a in remove_attachments]))
        kept = notice.attachments.count() - len(removed)
        if kept + len(files) > settings.NOTICE_ATTACHMENTS_MAX_COUNT:
            raise NoticeRefused(
                _("A notice has at most %(count)d attachments; remove some first.")
                % {"count": settings.NOTICE_ATTACHMENTS_MAX_COUNT}
            )
        notice.subject = subject.strip()
        notice.body = notice_body_source(body, body_format)
        notice.body_format = body_format
        notice.body_html = notice_body_html(body, body_format)
        notice.audience = audience
        notice.audience_label = audience_label(audience)
        notice.save(
            update_fields=[
                "subject",
                "body",
                "body_format",
                "body_html",
                "audience",
                "audience_label",
            ]
        )
        files_gone = [attachment.file for attachment in removed]
        NoticeAttachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        _attach(notice, files)
        audit_record(
            actor=actor,
            action="notice.edited",
            target=notice,
            data={"added": len(files), "removed": len(removed)},
        )
        transaction.on_commit(lambda: [file.delete(save=False) for file in files_gone])
    return notice


def notice_send(*, notice: Notice, actor) -> int:
    """Send a draft: the recipients are resolved and checked again now, one delivery row is
    made per person (unique, so nobody is queued twice) and the sending task is queued once the
    rows are committed. Returns the number of recipients."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != Notice.Status.DRAFT:
            raise _already_sent()
        people = audience_people(notice.audience).exclude(user__email="")
        refusal = notice_refusal(user=actor, audience=notice.audience, people=people)
        if refusal:
            raise NoticeRefused(refusal, status=403)
        rows = [
            NoticeDelivery(notice=notice, recipient_id=user_id, email=email)
            for user_id, email in people.values_list("user_id", "user__email")
        ]
        if not rows:
            raise _nobody()
        NoticeDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        notice.status = Notice.Status.SENDING
        notice.sent_at = timezone.now()
        notice.save(update_fields=["status", "sent_at"])
        audit_record(
            actor=actor, action="notice.sent", target=notice, data={"recipients": len(rows)}
        )
        transaction.on_commit(lambda: notice_deliveries_enqueue(notice_id=notice.pk))
    return len(rows)


def notice_deliveries_enqueue(*, notice_id: int, run_after=None) -> None:
    from portal.notices.tasks import notice_deliver

    task = notice_deliver.using(run_after=run_after) if run_after else notice_deliver
    task.enqueue(notice_id=notice_id)


def notice_discard(*, notice: Notice, actor) -> None:
    """Throw away a draft (a sent notice stays in the archive for good)."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != Notice.Status.DRAFT:
            raise _already_sent()
        files = [attachment.file for attachment in notice.attachments.all()]
        audit_record(actor=actor, action="notice.discarded", target=notice)
        notice.delete()
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])


def notice_reminder_send(*, sender, subject: str, body: str, recipients, audience) -> Notice:
    """A reminder of something already addressed to `audience` (e.g. a bulletin notice that
    must be acknowledged), mailed to `recipients` as a mass notice: archived with per-recipient
    delivery status like any other.

    The exception to the sender rule (`notice_refusal`): a department head may remind the whole
    audience of a notice they published on their board, even people outside their department.
    In return every recipient must belong to `audience` (a queryset of users the original was
    addressed to, resolved by the caller, which has checked that `sender` may remind it):
    anyone else refuses the whole reminder and nothing is saved."""
    from portal.models import User

    recipient_ids = {user.pk for user in recipients}
    people = User.objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="")
    outside = recipient_ids - set(
        audience.filter(pk__in=recipient_ids).values_list("pk", flat=True)
    )
    if outside:
        raise NoticeRefused(
            _("Some of the chosen recipients were not addressed by the original notice."),
            status=403,
        )
    rows = list(people.values_list("pk", "email", "employee__employee_number"))
    if not rows:
        raise _nobody()
    choice = {"people": sorted(number for _, _, number in rows if number), "reminder": True}
    with transaction.atomic():
        notice = Notice.objects.create(
            sender=sender,
            subject=subject.strip()[:200],
            body=body,
            body_html=notice_body_html(body),
            audience=choice,
            audience_label=audience_label(choice),
            status=Notice.Status.SENDING,
            sent_at=timezone.now(),
        )
        NoticeDelivery.objects.bulk_create(
            [NoticeDelivery(notice=notice, recipient_id=pk, email=email) for pk, email, _ in rows],
            batch_size=1000,
            ignore_conflicts=True,
        )
        audit_record(
            actor=sender,
            action="notice.reminder_sent",
            target=notice,
            data={"recipients": len(rows)},
        )
        transaction.on_commit(lambda: notice_deliveries_enqueue(notice_id=notice.pk))
    return notice
