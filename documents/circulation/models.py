"""Report circulation: report types and their routes, the reports on their way between
departments, each report's steps and attachments, and the notifications of who must act."""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.circulation.report_fields import validate_report_schema
from documents.storage import report_attachment_path
from portal.models import BilingualName


class ReportType(BilingualName):
    """A kind of report and its route: who drafts it (source), who receives it (one or more
    destinations, each deciding on its own), and how long a destination may take to decide."""

    code = models.SlugField(pgettext_lazy("report", "code"), max_length=64, unique=True)
    source = models.ForeignKey(
        "portal.Department",
        verbose_name=_("source department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    destinations = models.ManyToManyField(
        "portal.Department",
        verbose_name=_("destination departments"),
        related_name="+",
        help_text=_("Each destination receives the report and accepts or returns it."),
    )
    due_hours = models.PositiveIntegerField(
        _("due within (hours)"),
        default=72,
        help_text=_("A sent report not decided within this time is marked overdue."),
    )
    guidance = models.TextField(
        _("what to include"), blank=True, help_text=_("Shown to the drafter above the form.")
    )
    fields = models.JSONField(
        _("form fields"),
        default=list,
        blank=True,
        validators=[validate_report_schema],
        help_text=_(
            "The report's own fields, as a JSON list. Each field: "
            '{"name": "batch", "label": "批次", "label_en": "Batch", "kind": "text", '
            '"required": true}. Kinds: text, textarea, number, date, choice (with "choices": '
            '["…", …]) and table (with "columns": [{"name", "label", "label_en", "kind": '
            "text, number or date}]). Leave it as [] for the generic form (content only)."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveIntegerField(pgettext_lazy("report", "sort order"), default=0)

    @admin.display(description=_("destination departments"))
    def destination_list(self) -> str:
        return ", ".join(d.display_name for d in self.destinations.all())

    class Meta:
        verbose_name = _("report type")
        verbose_name_plural = _("report types")
        ordering = ["sort_order", "name"]


class CircularReport(models.Model):
    """A report on its way from the source department to its destination departments.

    The report's status is its drafter's view: draft, awaiting approval, returned to the
    drafter, sent (some destination still to decide), accepted (every destination accepted) or
    returned (every destination decided and at least one returned it). Each destination's own
    decision is its `ReportDelivery`."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED_TO_DRAFTER = "returned_to_drafter", _("Returned to drafter")
        SENT = "sent", pgettext_lazy("report", "Sent")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with comments")

    report_type = models.ForeignKey(
        ReportType, verbose_name=_("report type"), on_delete=models.PROTECT, related_name="reports"
    )
    # Copied from the type when drafted: a later change of route does not move old reports.
    source = models.ForeignKey(
        "portal.Department",
        verbose_name=_("source department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(pgettext_lazy("report", "title"), max_length=200)
    period = models.CharField(_("period"), max_length=32, blank=True, help_text=_("e.g. 2026-11"))
    body = models.TextField(_("content"), blank=True)
    # The answers to the type's form fields (see documents.circulation.report_fields).
    data = models.JSONField(_("form data"), default=dict, blank=True)
    status = models.CharField(
        pgettext_lazy("report", "status"),
        max_length=24,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafter"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("report", "created"), default=timezone.now)
    sent_at = models.DateTimeField(pgettext_lazy("report", "sent"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The local day of the last overdue reminder: at most one a day per report.
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("circulated report")
        verbose_name_plural = _("circulated reports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["source", "status", "-created_at"], name="reports_outbox"),
            # A box's page walks the reports newest first and stops after one page, rather
            # than sorting every report the department ever received.
            models.Index(fields=["-created_at", "-id"], name="reports_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(due_at__isnull=False),
                name="reports_sent_have_due_time",
            )
        ]

    def __str__(self):
        return self.title

    def destination_names(self) -> str:
        """The destinations' names, joined (needs `deliveries` loaded for a list)."""
        return ", ".join(d.destination.display_name for d in self.deliveries.all())

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.SENT and self.due_at is not None and self.due_at < now


class ReportDelivery(models.Model):
    """The report at one of its destination departments: waiting (not yet sent), sent (to
    decide), accepted or returned. Copied from the type's route when the report is drafted;
    approval sends it to every destination that has not accepted it yet."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Not yet sent")
        SENT = "sent", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with comments")

    report = models.ForeignKey(
        CircularReport,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=pgettext_lazy("report", "report"),
    )
    destination = models.ForeignKey(
        "portal.Department",
        verbose_name=_("destination department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        pgettext_lazy("report", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.WAITING,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("report", "decided by"),
    )

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "destination"], name="reports_one_delivery_per_destination"
            )
        ]
        indexes = [models.Index(fields=["destination", "status"], name="reports_inbox_delivery")]

    def __str__(self):
        return f"{self.report_id} → {self.destination_id}: {self.status}"


class ReportStep(models.Model):
    """One step of a report's history: who did what, when, with what comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("Drafted")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved and sent")
        RETURNED_TO_DRAFTER = "returned_to_drafter", _("Returned to the drafter")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with comments")

    report = models.ForeignKey(
        CircularReport,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=pgettext_lazy("report", "report"),
    )
    action = models.CharField(
        pgettext_lazy("report", "action"), max_length=24, choices=Action.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("report", "actor"),
    )
    # The destination that decided (accepting and returning steps).
    department = models.ForeignKey(
        "portal.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("report", "department"),
    )
    comment = models.TextField(pgettext_lazy("report", "comment"), blank=True)
    at = models.DateTimeField(pgettext_lazy("report", "time"), default=timezone.now)

    class Meta:
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.action}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        CircularReport,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=pgettext_lazy("report", "report"),
    )
    file = models.FileField(
        pgettext_lazy("report", "file"), upload_to=report_attachment_path, max_length=200
    )
    original_name = models.CharField(pgettext_lazy("report", "file name"), max_length=200)
    size = models.PositiveBigIntegerField(pgettext_lazy("report", "size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("report", "uploaded by"),
    )
    uploaded_at = models.DateTimeField(pgettext_lazy("report", "uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class ReportNotification(models.Model):
    """A note on the portal to someone who must act on a report (or should know its outcome).
    The same note is mailed through the task queue."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("A report awaits your approval")
        SENT = "sent", _("A report arrived for your department")
        RETURNED_TO_DRAFTER = "returned_to_drafter", _("Your report was returned to you")
        ACCEPTED = "accepted", _("Your report was accepted")
        RETURNED = "returned", _("A report was returned with comments")
        OVERDUE = "overdue", _("A report is overdue")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("report", "recipient"),
    )
    report = models.ForeignKey(
        CircularReport,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=pgettext_lazy("report", "report"),
    )
    kind = models.CharField(pgettext_lazy("report", "kind"), max_length=24, choices=Kind.choices)
    # The destination the note is about (sent, accepted, returned, overdue there).
    department = models.ForeignKey(
        "portal.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("report", "department"),
    )
    created_at = models.DateTimeField(pgettext_lazy("report", "time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("report notification")
        verbose_name_plural = _("report notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="report_notifications_list"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="report_notifications_unread",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.report_id} → {self.recipient_id}"
