"""A notice sent to many colleagues by mail, kept on the server with per-recipient delivery.

The tables keep the names they were created with in the `portal` app (`db_table`), so that
indexes and constraints keep their names too."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notice(models.Model):
    """What was sent, by whom, to whom (as chosen), and how far sending has got."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("mass notice", "Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("mass notice", "Sent")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.PROTECT,
        related_name="notices_sent",
    )

    class BodyFormat(models.TextChoices):
        TEXT = "text", _("Plain text")
        HTML = "html", _("Rich text")

    subject = models.CharField(_("subject"), max_length=200)
    # As written: plain text with light formatting (notices before the editor, reminders,
    # bodies typed without JavaScript) or the editor's HTML, already sanitised. `body_html`
    # is what pages and mails show: always sanitised (`portal.notices.richtext`).
    body = models.TextField(pgettext_lazy("mass notice", "body"))
    body_format = models.CharField(
        _("body format"), max_length=8, choices=BodyFormat.choices, default=BodyFormat.TEXT
    )
    body_html = models.TextField(_("body (HTML)"), editable=False)
    # The choice as the sender made it ("all staff", departments, roles, individuals), kept for
    # the archive; the resolved recipients are the delivery rows.
    audience = models.JSONField(_("recipients chosen"), default=dict)
    audience_label = models.CharField(_("recipients"), max_length=500, blank=True)
    status = models.CharField(
        pgettext_lazy("mass notice", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    created_at = models.DateTimeField(
        pgettext_lazy("mass notice", "created"), default=timezone.now, db_index=True
    )
    sent_at = models.DateTimeField(pgettext_lazy("mass notice", "sent"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        db_table = "portal_notice"
        verbose_name = pgettext_lazy("mass notice", "notice")
        verbose_name_plural = pgettext_lazy("mass notice", "notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sender", "-created_at"])]

    def __str__(self):
        return self.subject


def attachment_path(instance, filename):
    return f"notices/{timezone.now():%Y/%m}/{filename}"


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(
        Notice,
        verbose_name=pgettext_lazy("mass notice", "notice"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        pgettext_lazy("mass notice", "file"), upload_to=attachment_path, max_length=300
    )
    name = models.CharField(pgettext_lazy("mass notice", "file name"), max_length=200)
    size = models.PositiveBigIntegerField(pgettext_lazy("mass notice", "size"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta:
        db_table = "portal_noticeattachment"
        verbose_name = pgettext_lazy("mass notice", "attachment")
        verbose_name_plural = pgettext_lazy("mass notice", "attachments")
        ordering = ["id"]

    def __str__(self):
        return self.name


class NoticeDelivery(models.Model):
    """The notice's mail to one recipient. A row moves pending → sending (claimed, committed
    before the mail goes out) → sent or failed; a temporary failure puts it back to pending
    with a later `next_attempt_at`. A row left in "sending" by a worker that died is never
    sent again (at most once): it is reported as failed, "interrupted" (`INTERRUPTED`), as
    soon as the sweep finds the claiming task dead (`claimed_by`), or once it is stale."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("mass notice", "Sent")
        FAILED = "failed", _("Failed")

    # The error of a row whose mail may have gone when its worker died (kept in English in the
    # row, shown translated by `interrupted`).
    INTERRUPTED = "Interrupted while sending; not sent again to avoid a duplicate."

    notice = models.ForeignKey(
        Notice,
        verbose_name=pgettext_lazy("mass notice", "notice"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="notice_deliveries",
    )
    email = models.EmailField(pgettext_lazy("mass notice", "email address"))
    status = models.CharField(
        pgettext_lazy("mass notice", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # The task (DBTaskResult id) that claimed the row: when the sweep finds that task's worker
    # dead, the rows it left in "sending" are the interrupted ones.
    claimed_by = models.UUIDField(_("claimed by task"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(pgettext_lazy("mass notice", "sent"), null=True, blank=True)

    class Meta:
        db_table = "portal_noticedelivery"
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "recipient"], name="portal_delivery_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["notice", "status"]),
            models.Index(fields=["recipient", "notice"]),
        ]

    def __str__(self):
        return f"{self.notice_id} → {self.email}: {self.status}"

    @property
    def interrupted(self) -> bool:
        return self.status == self.Status.FAILED and self.last_error == self.INTERRUPTED
