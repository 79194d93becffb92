"""The document register: policy documents, their files, who may read a restricted one, and
who has acknowledged one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from documents.storage import document_file_path
from portal.models import BilingualName


class Category(BilingualName):
    """A kind of regulation (safety, quality, finance, …), kept by document managers."""

    sort_order = models.PositiveIntegerField(
        pgettext_lazy("policy document", "sort order"), default=0
    )

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
        DRAFT = "draft", pgettext_lazy("policy document", "Draft")
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
    title = models.CharField(pgettext_lazy("policy document", "title"), max_length=200)
    level = models.CharField(
        pgettext_lazy("policy document", "level"), max_length=16, choices=Level.choices
    )
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
        pgettext_lazy("policy document", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    summary = models.TextField(pgettext_lazy("policy document", "summary"), blank=True)
    is_restricted = models.BooleanField(
        pgettext_lazy("policy document", "restricted"),
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
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("policy document", "registered by"),
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    published_at = models.DateTimeField(
        pgettext_lazy("policy document", "published"), null=True, blank=True
    )

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
        OFFICIAL = "official", pgettext_lazy("policy document", "Official file")
        ATTACHMENT = "attachment", pgettext_lazy("policy document", "Attachment")

    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=pgettext_lazy("policy document", "document"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    kind = models.CharField(
        pgettext_lazy("policy document", "kind"), max_length=16, choices=Kind.choices
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(
        pgettext_lazy("policy document", "file"), upload_to=document_file_path, max_length=200
    )
    original_name = models.CharField(pgettext_lazy("policy document", "file name"), max_length=200)
    size = models.PositiveBigIntegerField(pgettext_lazy("policy document", "size"), default=0)
    note = models.CharField(pgettext_lazy("policy document", "note"), max_length=200, blank=True)
    text = models.TextField(
        pgettext_lazy("policy document", "extracted text"), blank=True, editable=False
    )
    text_extracted = models.BooleanField(
        default=False,
        editable=False,
        verbose_name=pgettext_lazy("policy document", "text extracted"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("policy document", "uploaded by"),
    )
    uploaded_at = models.DateTimeField(
        pgettext_lazy("policy document", "uploaded"), default=timezone.now
    )

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["kind", "-version", "pk"]

    def __str__(self):
        return self.original_name


class PolicyDocumentUserObjectPermission(UserObjectPermissionBase):
    """guardian's per-person grants, with a real foreign key to the document so that the
    visibility check is an indexed join rather than a text comparison of object ids."""

    content_object = models.ForeignKey(
        PolicyDocument,
        on_delete=models.CASCADE,
        verbose_name=pgettext_lazy("policy document", "document"),
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("person allowed to read a document")
        verbose_name_plural = _("people allowed to read documents")


class PolicyDocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        PolicyDocument,
        on_delete=models.CASCADE,
        verbose_name=pgettext_lazy("policy document", "document"),
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group allowed to read a document")
        verbose_name_plural = _("groups allowed to read documents")


class DepartmentGrant(models.Model):
    """A department allowed to read a restricted document (departments are not Django groups
    in this portal), optionally with its sections."""

    document = models.ForeignKey(
        PolicyDocument,
        on_delete=models.CASCADE,
        related_name="department_grants",
        verbose_name=pgettext_lazy("policy document", "document"),
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=pgettext_lazy("policy document", "department"),
        on_delete=models.CASCADE,
        related_name="document_grants",
    )
    include_sections = models.BooleanField(_("including its sections"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("policy document", "granted by"),
    )
    granted_at = models.DateTimeField(
        default=timezone.now, verbose_name=pgettext_lazy("policy document", "granted at")
    )

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
        PolicyDocument,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=pgettext_lazy("policy document", "document"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("policy document", "acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("policy document", "acknowledgement")
        verbose_name_plural = pgettext_lazy("policy document", "acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="documents_acknowledged_once")
        ]

    def __str__(self):
        return f"{self.document_id} ✓ {self.user_id}"
