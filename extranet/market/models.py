"""Market observations, their photos and history, the retailers' grade history, and the
monthly sales summary that the sales dashboard reads."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet.bases import AttachedPhoto, HistoryEvent


class MarketReport(models.Model):
    """One observation from the market. Suspected counterfeit or smuggled goods are restricted:
    only the sales department head and administrators (and the submitter) ever see them."""

    class Kind(models.TextChoices):
        SHELF_PRICE = "shelf_price", _("Shelf price of a product")
        COMPETITOR = "competitor", _("Competitor activity")
        COUNTERFEIT = "counterfeit", _("Suspected counterfeit or smuggled goods")
        DEMAND = "demand", _("Demand for a brand not in the catalogue")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        INFO_REQUESTED = "info_requested", _("More information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("market report", "Rejected")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    is_restricted = models.BooleanField(
        pgettext_lazy("market report", "restricted"), default=False, db_index=True
    )
    status = models.CharField(
        pgettext_lazy("market report", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    retailer = models.ForeignKey(
        "extranet.Retailer",
        verbose_name=pgettext_lazy("market report", "retailer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="market_reports",
        help_text=_("The retailer that submitted it (none when an account manager did)."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("market report", "submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(
        pgettext_lazy("market report", "submitted at"), db_index=True
    )
    observed_on = models.DateField(_("observed on"))
    location = models.CharField(_("location"), max_length=200)
    region = models.CharField(_("region"), max_length=64, blank=True, db_index=True)
    product = models.ForeignKey(
        "extranet.Product",
        verbose_name=pgettext_lazy("market report", "product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="market_reports",
    )
    brand_name = models.CharField(_("brand or product name"), max_length=128, blank=True)
    price = models.DecimalField(
        _("price per carton"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    quantity = models.PositiveIntegerField(_("quantity (cartons)"), null=True, blank=True)
    description = models.TextField(pgettext_lazy("market report", "description"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("reason or question"), blank=True)

    class Meta:
        verbose_name = _("market report")
        verbose_name_plural = _("market reports")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gt=0),
                name="extranet_market_price_positive",
            )
        ]
        indexes = [models.Index(fields=["kind", "status"], name="extranet_market_kind_status")]

    def __str__(self):
        return self.number

    @property
    def number(self):
        return f"MI{self.pk:06d}"


class MarketReportPhoto(AttachedPhoto):
    report = models.ForeignKey(
        MarketReport,
        verbose_name=_("market report"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    file = models.FileField(
        pgettext_lazy("market report", "photo"), upload_to="extranet/market/%Y/%m/"
    )

    class Meta(AttachedPhoto.Meta):
        verbose_name = _("market report photo")
        verbose_name_plural = _("market report photos")


class MarketReportEvent(HistoryEvent):
    """One line of a report's history, shown to the submitter."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("market report", "Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("market report", "Rejected")
        INFO_REQUESTED = "info_requested", _("More information requested")
        RESUBMITTED = "resubmitted", _("Information added")

    report = models.ForeignKey(
        MarketReport,
        verbose_name=_("market report"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(
        pgettext_lazy("market report", "kind"), max_length=16, choices=Kind.choices
    )

    class Meta(HistoryEvent.Meta):
        verbose_name = _("market report event")
        verbose_name_plural = _("market report events")


class GradeChange(models.Model):
    """A retailer's grade moved from one value to another in a recomputation."""

    retailer = models.ForeignKey(
        "extranet.Retailer",
        verbose_name=pgettext_lazy("market report", "retailer"),
        on_delete=models.CASCADE,
        related_name="grade_changes",
    )
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    old_grade = models.PositiveSmallIntegerField(_("old grade"))
    new_grade = models.PositiveSmallIntegerField(_("new grade"))

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.retailer_id}: {self.old_grade} → {self.new_grade}"


class SalesSummary(models.Model):
    """Cartons, amount and order lines of one local month, product, region and grade (orders
    that were not cancelled; the retailer's region and grade when the month was refreshed)."""

    month = models.DateField(_("month"))  # the first day of the local month
    product = models.ForeignKey(
        "extranet.Product",
        verbose_name=pgettext_lazy("market report", "product"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.CharField(
        pgettext_lazy("market report", "administrative region"), max_length=64, blank=True
    )
    grade = models.PositiveSmallIntegerField(pgettext_lazy("market report", "grade"))
    cartons = models.PositiveBigIntegerField(pgettext_lazy("market report", "cartons"), default=0)
    amount = models.DecimalField(
        pgettext_lazy("market report", "amount"), max_digits=16, decimal_places=2, default=0
    )
    lines = models.PositiveIntegerField(pgettext_lazy("market report", "order lines"), default=0)

    class Meta:
        verbose_name = _("monthly sales summary")
        verbose_name_plural = _("monthly sales summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "product", "region", "grade"],
                name="extranet_sales_summary_unique",
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.product_id} {self.region} {self.grade}"


class SalesSummaryMonth(models.Model):
    """The state of one month of the summary: when it was refreshed and the first and last
    order it counted."""

    month = models.DateField(_("month"), unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    # The first and last order counted by the refresh (None: the month had none).
    first_placed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("sales summary", "first order placed at")
    )
    last_placed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("sales summary", "last order placed at")
    )
    # A refresh is waiting in the task queue: order changes do not queue another.
    refresh_queued = models.BooleanField(
        default=False, verbose_name=pgettext_lazy("sales summary", "refresh queued")
    )

    class Meta:
        verbose_name = _("sales summary month")
        verbose_name_plural = _("sales summary months")
        ordering = ["month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"
