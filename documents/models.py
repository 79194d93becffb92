"""Policy documents (the register, its files, who may read them, who has acknowledged them) and
reports circulated between departments."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from documents.report_fields import validate_report_schema
from portal.models import BilingualName


def _stored_name(folder: str, filename: str) -> str:
    # The original name is kept in the row, never in the path: a stored name gives nothing away.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def document_file_path(instance, filename):
    return _stored_name("documents", filename)


def report_attachment_path(instance, filename):
    return _stored_name("reports", filename)


class Category(BilingualName):
    """A kind of regulation (safety, quality, finance, …), kept by document managers."""

    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("document category")
        verbose_name_plural = _("document categories")
        ordering = ["sort_order", "name"]


class PolicyDocument(models.Model):
    """A regulation or notice in the register, numbered like `厂办〔2026〕12号`."""

    class Level(models.TextChoices):
        FACTORY = "factory", _("Factory level")
        DEPARTMENT = "department", _("Department level")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Superseded")
        REPEALED = "repealed", _("Repealed")

    issuing_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("issuing department"),
        on_delete=models.PROTECT,
        related_name="policy_documents",
    )
    number_prefix = models.CharField(
        _("number prefix"),
        max_length=20,
        help_text=_("The issuing department's abbreviation in the number, e.g. 厂办."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    signing_date = models.DateField(_("signing date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    is_restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only people the head of the issuing department authorises may read it."),
    )
    requires_acknowledgement = models.BooleanField(_("requires acknowledgement"), default=False)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    official_file = models.ForeignKey(
        "DocumentFile",
        verbose_name=_("official file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repeal_reason = models.TextField(_("reason for repeal"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["-year", "-sequence", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_department", "year", "sequence"],
                name="documents_number_unique_per_department_and_year",
                violation_error_message=_(
                    "This department already issued a document with this number this year."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["-year", "-sequence", "-id"], name="documents_register_order"),
            models.Index(fields=["status", "is_restricted"], name="documents_status_restricted"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"{self.number_prefix}〔{self.year}〕{self.sequence}号"


class DocumentFile(models.Model):
    """A stored file of a document: a version of its official file, or an attachment. Its text
    is extracted once, in the background, and kept here for the search index."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official file")
        ATTACHMENT = "attachment", _("Attachment")

    document = models.ForeignKey(
        PolicyDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to=document_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_extracted = models.BooleanField(default=False, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["kind", "-version", "pk"]

    def __str__(self):
        return self.original_name


class PolicyDocumentUserObjectPermission(UserObjectPermissionBase):
    """guardian's per-person grants, with a real foreign key to the document so that the
    visibility check is an indexed join rather than a text comparison of object ids."""

    content_object = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("person allowed to read a document")
        verbose_name_plural = _("people allowed to read documents")


class PolicyDocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group allowed to read a document")
        verbose_name_plural = _("groups allowed to read documents")


class DepartmentGrant(models.Model):
    """A department allowed to read a restricted document (departments are not Django groups
    in this portal), optionally with its sections."""

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="department_grants"
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="document_grants",
    )
    include_sections = models.BooleanField(_("including its sections"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("department allowed to read a document")
        verbose_name_plural = _("departments allowed to read documents")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "department"], name="documents_one_grant_per_department"
            )
        ]

    def __str__(self):
        return f"{self.document_id} → {self.department_id}"


class Acknowledgement(models.Model):
    """Someone confirmed having read a document that asks for it."""

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="documents_acknowledged_once")
        ]

    def __str__(self):
        return f"{self.document_id} ✓ {self.user_id}"


# Report circulation


class ReportType(BilingualName):
    """A kind of report and its route: who drafts it (source), who receives it (destination),
    and how long the destination may take to decide."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    source = models.ForeignKey(
        "portal.Department",
        verbose_name=_("source department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    destination = models.ForeignKey(
        "portal.Department",
        verbose_name=_("destination department"),
        on_delete=models.PROTECT,
        related_name="+",
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
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("report type")
        verbose_name_plural = _("report types")
        ordering = ["sort_order", "name"]


class CircularReport(models.Model):
    """A report on its way from the source department to the destination department."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED_TO_DRAFTER = "returned_to_drafter", _("Returned to drafter")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with comments")

    report_type = models.ForeignKey(
        ReportType, verbose_name=_("report type"), on_delete=models.PROTECT, related_name="reports"
    )
    # Copied from the type when drafted: a later change of route does not move old reports.
    source = models.ForeignKey(
        "portal.Department", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey(
        "portal.Department", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=32, blank=True, help_text=_("e.g. 2026-11"))
    body = models.TextField(_("content"), blank=True)
    # The answers to the type's form fields (see documents.report_fields).
    data = models.JSONField(_("form data"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafter"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The local day of the last overdue reminder: at most one a day per report.
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("circulated report")
        verbose_name_plural = _("circulated reports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["destination", "status", "-created_at"], name="reports_inbox"),
            models.Index(fields=["source", "status", "-created_at"], name="reports_outbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(due_at__isnull=False),
                name="reports_sent_have_due_time",
            )
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.SENT and self.due_at is not None and self.due_at < now


class ReportStep(models.Model):
    """One step of a report's history: who did what, when, with what comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("Drafted")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved and sent")
        RETURNED_TO_DRAFTER = "returned_to_drafter", _("Returned to the drafter")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with comments")

    report = models.ForeignKey(CircularReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.action}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(CircularReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=report_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        CircularReport, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
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
