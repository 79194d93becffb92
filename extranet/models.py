"""Retailers (the CRM profile), the catalogue, stock and allocations, and orders."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from extranet.bases import AttachedPhoto, HistoryEvent
from portal.models import FaceHomePage


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DeliveryRoute(models.Model):
    """A delivery route: the retailers on it are picked and delivered together."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    delivery_staff = models.CharField(_("delivery staff"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("delivery route")
        verbose_name_plural = _("delivery routes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Retailer(models.Model):
    """A licensed tobacco retail store: one per licence, possibly several logins.

    The CRM profile has five groups (DESIGN.md): basic, network, management, business and
    personal. Static data (basic, network, management) is edited by sales administrators,
    dynamic data (business, personal, value inputs) by the retailer's account manager, and
    system data (the purchase figures, grade and value class) only by `grades_recompute`.
    """

    class Settlement(models.TextChoices):
        CASH = "cash", _("Cash on delivery")
        CREDIT = "credit", _("Credit")

    class ValueClass(models.TextChoices):
        CORE = "core", _("Core")
        GENERAL = "general", _("General")
        PROBLEM = "problem", _("Problem")

    class BusinessStatus(models.TextChoices):
        OPEN = "open", _("Open")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    # Basic
    licence_number = models.CharField(_("licence number"), max_length=32, unique=True)
    store_name = models.CharField(_("store name"), max_length=128)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    settlement = models.CharField(
        _("settlement method"), max_length=8, choices=Settlement.choices, default=Settlement.CASH
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    order_day = models.PositiveSmallIntegerField(
        _("order day"), choices=Weekday.choices, null=True, blank=True
    )
    # Network
    business_area = models.CharField(_("business area"), max_length=64, blank=True)
    region = models.CharField(_("administrative region"), max_length=64, blank=True, db_index=True)
    account_manager = models.ForeignKey(
        "portal.Employee",
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retailers",
    )
    route = models.ForeignKey(
        DeliveryRoute,
        verbose_name=_("delivery route"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retailers",
    )
    order_batch = models.CharField(_("order batch"), max_length=16, blank=True)
    visit_batch = models.CharField(_("visit batch"), max_length=16, blank=True)
    # Management
    licence_type = models.CharField(_("licence type"), max_length=32, blank=True)
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_expires_on = models.DateField(_("licence expires on"), null=True, blank=True)
    integrity_level = models.PositiveSmallIntegerField(
        _("integrity level"), default=3, help_text=_("1 (poor) to 5 (excellent)")
    )
    customer_class = models.CharField(_("customer class"), max_length=32, blank=True)
    is_model_household = models.BooleanField(_("model household"), default=False)
    is_monitored_household = models.BooleanField(_("monitored household"), default=False)
    customer_since = models.DateField(_("customer since"), null=True, blank=True)
    # Business (dynamic)
    business_status = models.CharField(
        _("business status"), max_length=16, choices=BusinessStatus.choices, default="open"
    )
    district_environment = models.CharField(_("district environment"), max_length=64, blank=True)
    support_score = models.PositiveSmallIntegerField(
        _("support for company policies"), default=5, help_text=_("0 to 10")
    )
    influence_score = models.PositiveSmallIntegerField(
        _("influence"), default=5, help_text=_("0 to 10")
    )
    # Personal (dynamic)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_notes = models.TextField(_("personal notes"), blank=True)
    # System data: computed from orders by grades_recompute, never typed.
    grade = models.PositiveSmallIntegerField(_("grade"), default=8, db_index=True)
    monthly_cartons = models.DecimalField(
        _("monthly purchase (cartons)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    monthly_amount = models.DecimalField(
        _("monthly purchase amount"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    average_carton_price = models.DecimalField(
        _("average price per carton"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    value_score = models.DecimalField(
        _("value score"), max_digits=6, decimal_places=4, default=Decimal("0"), db_index=True
    )
    value_class = models.CharField(
        _("value class"), max_length=8, choices=ValueClass.choices, default=ValueClass.GENERAL
    )
    computed_at = models.DateTimeField(_("system data computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retailer")
        verbose_name_plural = _("retailers")
        ordering = ["licence_number"]

    def __str__(self):
        return f"{self.store_name} ({self.licence_number})"


class RetailerLogin(models.Model):
    """Links an extranet user account to the retailer it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="retailer_login",
    )
    retailer = models.ForeignKey(
        Retailer, verbose_name=_("retailer"), on_delete=models.CASCADE, related_name="logins"
    )

    class Meta:
        verbose_name = _("retailer login")
        verbose_name_plural = _("retailer logins")

    def __str__(self):
        return f"{self.user.username} → {self.retailer}"


class ExtranetHomePage(FaceHomePage):
    """The root of the retailers' site."""

    class Meta:
        verbose_name = _("extranet home page")
        verbose_name_plural = _("extranet home pages")

    def get_context(self, request, *args, **kwargs):
        from extranet.selectors import retailer_of

        context = super().get_context(request, *args, **kwargs)
        context["retailer"] = retailer_of(request.user)
        return context


# Catalogue ------------------------------------------------------------------------------------


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(models.Model):
    """A cigarette product sold by the carton."""

    class Status(models.TextChoices):
        ON_SALE = "on_sale", _("On sale")
        NEW = "new", _("New")
        DISCONTINUED = "discontinued", _("Discontinued")

    class PackType(models.TextChoices):
        HARD = "hard", _("Hard pack")
        SOFT = "soft", _("Soft pack")
        SLIM = "slim", _("Slim")

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=64)
    code = models.CharField(_("product code"), max_length=16, unique=True)
    barcode = models.CharField(_("barcode"), max_length=20, unique=True)
    pack_type = models.CharField(
        _("pack type"), max_length=8, choices=PackType.choices, default=PackType.HARD
    )
    sticks_per_pack = models.PositiveSmallIntegerField(_("sticks per pack"), default=20)
    tar_mg = models.DecimalField(_("tar (mg)"), max_digits=4, decimal_places=1)
    nicotine_mg = models.DecimalField(_("nicotine (mg)"), max_digits=4, decimal_places=2)
    carbon_monoxide_mg = models.DecimalField(
        _("carbon monoxide (mg)"), max_digits=4, decimal_places=1
    )
    length_mm = models.PositiveSmallIntegerField(_("length (mm)"), default=84)
    wholesale_price = models.DecimalField(
        _("wholesale price per carton"), max_digits=10, decimal_places=2
    )
    retail_price = models.DecimalField(
        _("suggested retail price per carton"), max_digits=10, decimal_places=2
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ON_SALE, db_index=True
    )
    is_scarce = models.BooleanField(
        _("scarce (allocated by grade)"),
        default=False,
        help_text=_("Retailers may order only their allocation per cycle."),
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["brand__name", "name"]

    def __str__(self):
        return f"{self.brand.name if self.brand_id else ''} {self.name}".strip()

    @property
    def is_orderable(self):
        return self.status != self.Status.DISCONTINUED


class SalesPolicy(models.Model):
    """A dated sales policy for a product (promotions, price rules, ordering rules)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="policies"
    )
    title = models.CharField(_("title"), max_length=128)
    body = RichTextField(_("text"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sales policy")
        verbose_name_plural = _("sales policies")
        ordering = ["-valid_from"]

    def __str__(self):
        return self.title


class Stock(models.Model):
    """Cartons of a product available for ordering; orders decrement it under a row lock."""

    product = models.OneToOneField(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="stock"
    )
    available = models.PositiveIntegerField(_("available cartons"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available__gte=0), name="extranet_stock_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.product}: {self.available}"


class Allocation(models.Model):
    """How many cartons of a scarce product a retailer of a grade may order per cycle."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="allocations"
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), choices=[(grade, str(grade)) for grade in range(1, 9)]
    )
    cartons = models.PositiveIntegerField(_("cartons per cycle"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["product", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["product", "grade"], name="extranet_allocation_unique")
        ]

    def __str__(self):
        return f"{self.product} · {self.grade}: {self.cartons}"


class RetailerAllocation(models.Model):
    """A per-retailer limit that overrides the grade's allocation."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    retailer = models.ForeignKey(
        Retailer,
        verbose_name=_("retailer"),
        on_delete=models.CASCADE,
        related_name="allocation_overrides",
    )
    cartons = models.PositiveIntegerField(_("cartons per cycle"))

    class Meta:
        verbose_name = _("retailer allocation")
        verbose_name_plural = _("retailer allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "retailer"], name="extranet_retailer_allocation_unique"
            )
        ]

    def __str__(self):
        return f"{self.product} · {self.retailer}: {self.cartons}"


class AllocationUsage(models.Model):
    """Cartons of a scarce product a retailer has ordered in one cycle; locked with the stock."""

    retailer = models.ForeignKey(Retailer, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    cycle = models.DateField()
    cartons = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["retailer", "product", "cycle"], name="extranet_usage_unique"
            )
        ]

    def __str__(self):
        return f"{self.retailer_id}/{self.product_id}/{self.cycle}: {self.cartons}"


# Orders ---------------------------------------------------------------------------------------


class Order(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed")
        PICKING = "picking", _("Picking")
        OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    retailer = models.ForeignKey(
        Retailer, verbose_name=_("retailer"), on_delete=models.PROTECT, related_name="orders"
    )
    cycle = models.DateField(_("order day"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    idempotency_key = models.CharField(max_length=64)
    placed_at = models.DateTimeField(_("placed at"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total_cartons = models.PositiveIntegerField(_("cartons"))
    total_amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    reorder_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["retailer", "idempotency_key"], name="extranet_order_idempotency"
            )
        ]
        indexes = [
            models.Index(fields=["retailer", "-placed_at"], name="extranet_order_history"),
            models.Index(fields=["cycle", "status"], name="extranet_order_cycle_status"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self):
        return f"D{self.pk:07d}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("cartons"))
    unit_price = models.DecimalField(_("price per carton"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="extranet_line_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="extranet_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_id}"


class OrderStatusChange(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=Order.Status.choices)
    changed_at = models.DateTimeField(_("at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.status}"


# Feedback and complaints --------------------------------------------------------------------


class Feedback(models.Model):
    """A retailer's complaint, suggestion, inquiry or praise. The company promises a call-back
    within 24 hours: `callback_due_at` is fixed at submission; the alerts remember when they
    were sent (`warned_at`, `overdue_alerted_at`) so that each goes out once."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        INQUIRY = "inquiry", _("Inquiry")
        PRAISE = "praise", _("Praise")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting call-back")
        CALLED_BACK = "called_back", _("Called back")
        RESOLVED = "resolved", _("Resolved")

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")

    retailer = models.ForeignKey(
        Retailer, verbose_name=_("retailer"), on_delete=models.CASCADE, related_name="feedback"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    assigned_to = models.ForeignKey(
        "portal.Employee",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_assigned",
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    callback_due_at = models.DateTimeField(_("call-back due at"), db_index=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_method = models.CharField(
        _("call-back method"), max_length=8, choices=Method.choices, blank=True
    )
    callback_summary = models.TextField(_("what was said"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    is_effective_complaint = models.BooleanField(_("effective complaint"), default=False)
    warned_at = models.DateTimeField(_("due-soon warning sent at"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(_("overdue alert sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="extranet_feedback_rating_1_to_5",
            )
        ]
        indexes = [models.Index(fields=["assigned_to", "status"])]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def number(self):
        return f"FB{self.pk:06d}"

    def is_overdue(self, now) -> bool:
        return self.called_back_at is None and now >= self.callback_due_at


class FeedbackPhoto(AttachedPhoto):
    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("photo"), upload_to="extranet/feedback/%Y/%m/")

    class Meta(AttachedPhoto.Meta):
        verbose_name = _("feedback photo")
        verbose_name_plural = _("feedback photos")


class FeedbackEvent(HistoryEvent):
    """One line of a feedback item's history. Internal notes (`is_internal`) are never shown
    to the retailer."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CALLBACK = "callback", _("Called back")
        RESOLVED = "resolved", _("Resolved")
        RATED = "rated", _("Rated")
        NOTE = "note", _("Internal note")
        REASSIGNED = "reassigned", _("Reassigned")
        FLAGGED = "flagged", _("Effective complaint flag changed")

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    is_internal = models.BooleanField(_("internal"), default=False)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")


# Bulk import of retailers -------------------------------------------------------------------


class RetailerImport(models.Model):
    """A queued import of retailers from an uploaded Excel file. The worker checks every row
    and saves all of them or none; the status page follows it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing imported")

    file = models.FileField(_("file"), upload_to="extranet/imports/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("queued at"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        verbose_name = _("retailer import")
        verbose_name_plural = _("retailer imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


# Market information and grade history (extranet/market/) -------------------------------------

from extranet.market.models import (  # noqa: E402, F401
    GradeChange,
    MarketReport,
    MarketReportEvent,
    MarketReportPhoto,
)
from extranet.market.sales_summary import SalesSummary, SalesSummaryMonth  # noqa: E402, F401

# Surveys (models in extranet/surveys/models.py, imported here so that Django sees them).
from extranet.surveys.models import (  # noqa: E402, F401
    Answer,
    Choice,
    Question,
    Survey,
    SurveyResponse,
    SurveyTarget,
)
