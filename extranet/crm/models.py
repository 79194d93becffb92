"""Retailers (the CRM profile), the logins that act for them and the bulk imports of them."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet import rules
from extranet.catalogue.models import DeliveryRoute


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class VisitCycle(models.TextChoices):
    """How often the account manager visits a store (source 002: a dynamic item; source 000:
    weekly unless set otherwise)."""

    WEEKLY = "weekly", pgettext_lazy("visit cycle", "Weekly")
    FORTNIGHTLY = "fortnightly", pgettext_lazy("visit cycle", "Every two weeks")
    MONTHLY = "monthly", pgettext_lazy("visit cycle", "Monthly")


# Fortnights are counted from this Monday, so that every store on a two-week cycle shares the
# same fortnights.
FORTNIGHT_EPOCH = date(2024, 1, 1)


def visit_cycle_bounds(cycle: str, day: date) -> tuple[date, date]:
    """The first and last day of the visit cycle that contains `day`: the calendar week
    (Monday to Sunday), the fortnight (two such weeks counted from FORTNIGHT_EPOCH) or the
    calendar month."""
    if cycle == VisitCycle.MONTHLY:
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    monday = day - timedelta(days=day.weekday())
    if cycle == VisitCycle.FORTNIGHTLY:
        weeks = (monday - FORTNIGHT_EPOCH).days // 7
        start = monday - timedelta(weeks=weeks % 2)
        return start, start + timedelta(days=13)
    return monday, monday + timedelta(days=6)


class Retailer(models.Model):
    """A licensed tobacco retail store: one per licence, possibly several logins.

    The CRM profile has the five information groups of source 002 (basic, network,
    management, business, personal; `crm.services.INFORMATION_GROUPS` lists their 38 items).
    Each item is static or dynamic as 002 says: static items are edited by sales
    administrators, dynamic ones (status, phone, settlement method, route, order and visit
    cycle, the business and personal items) by the store's account manager too, and system
    data (the purchase figures, grade and value class) only by `grades_recompute`.
    """

    class Settlement(models.TextChoices):
        CASH = "cash", _("Cash on delivery")
        CREDIT = "credit", _("Credit")

    class ValueClass(models.TextChoices):
        CORE = "core", _("Core")
        GENERAL = "general", _("General")
        PROBLEM = "problem", _("Problem")

    class BusinessStatus(models.TextChoices):
        OPEN = "open", pgettext_lazy("business status", "Open")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", pgettext_lazy("business status", "Closed")

    class CustomerNature(models.TextChoices):
        INDIVIDUAL = "individual", pgettext_lazy("customer nature", "Individual business")
        ENTERPRISE = "enterprise", pgettext_lazy("customer nature", "Enterprise")
        CHAIN = "chain", pgettext_lazy("customer nature", "Chain store")
        OTHER = "other", pgettext_lazy("customer nature", "Other")

    class DisplayForm(models.TextChoices):
        COUNTER = "counter", pgettext_lazy("display form", "Counter")
        CABINET = "cabinet", pgettext_lazy("display form", "Cigarette cabinet")
        SHELF = "shelf", pgettext_lazy("display form", "Shelf")
        BACK_WALL = "back_wall", pgettext_lazy("display form", "Back wall display")
        OTHER = "other", pgettext_lazy("display form", "Other")

    class OrderFrequency(models.TextChoices):
        TWICE_WEEKLY = "twice_weekly", pgettext_lazy("order frequency", "Twice a week")
        WEEKLY = "weekly", pgettext_lazy("order frequency", "Once a week")
        FORTNIGHTLY = "fortnightly", _("Once every two weeks")
        MONTHLY = "monthly", pgettext_lazy("order frequency", "Once a month")

    class NetworkSize(models.TextChoices):
        LARGE = "large", pgettext_lazy("network size", "Large")
        MEDIUM = "medium", pgettext_lazy("network size", "Medium")
        SMALL = "small", pgettext_lazy("network size", "Small")

    class Compliance(models.TextChoices):
        CLEAN = "clean", pgettext_lazy("compliance", "No violations")
        WARNED = "warned", pgettext_lazy("compliance", "Warned")
        PENALISED = "penalised", pgettext_lazy("compliance", "Penalised")

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
        pgettext_lazy("retailer", "order day"), choices=Weekday.choices, null=True, blank=True
    )
    # Network
    business_area = models.CharField(_("business area"), max_length=64, blank=True)
    region = models.CharField(
        pgettext_lazy("retailer", "administrative region"), max_length=64, blank=True, db_index=True
    )
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
        verbose_name=pgettext_lazy("retailer", "delivery route"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retailers",
    )
    order_batch = models.CharField(_("order batch"), max_length=16, blank=True)
    visit_batch = models.CharField(_("visit batch"), max_length=16, blank=True)
    # Network items added with source 002's list (issue 16).
    customer_nature = models.CharField(
        _("nature of the customer"), max_length=16, choices=CustomerNature.choices, blank=True
    )
    registered_capital = models.DecimalField(
        _("registered capital (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    display_form = models.CharField(
        pgettext_lazy("retailer profile", "display form"),
        max_length=16,
        choices=DisplayForm.choices,
        blank=True,
    )
    phone_order_staff = models.CharField(_("telephone ordering staff"), max_length=64, blank=True)
    delivery_section = models.CharField(
        pgettext_lazy("retailer profile", "delivery section"),
        max_length=64,
        blank=True,
        help_text=_("The road or stop of the delivery route where the store is served."),
    )
    order_frequency = models.CharField(
        pgettext_lazy("retailer profile", "order frequency"),
        max_length=16,
        choices=OrderFrequency.choices,
        blank=True,
    )
    network_size = models.CharField(
        pgettext_lazy("retailer profile", "network size"),
        max_length=8,
        choices=NetworkSize.choices,
        blank=True,
    )
    visit_cycle = models.CharField(
        pgettext_lazy("retailer profile", "visit cycle"),
        max_length=16,
        choices=VisitCycle.choices,
        default=VisitCycle.WEEKLY,
    )
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
    compliance = models.CharField(
        pgettext_lazy("retailer profile", "compliance record"),
        max_length=16,
        choices=Compliance.choices,
        blank=True,
    )
    licensing_bureau = models.CharField(
        pgettext_lazy("retailer profile", "licensing bureau"), max_length=64, blank=True
    )
    monopoly_administrator = models.CharField(
        pgettext_lazy("retailer profile", "monopoly administrator"), max_length=64, blank=True
    )
    annual_review_on = models.DateField(_("annual review date"), null=True, blank=True)
    # Business (dynamic)
    business_status = models.CharField(
        _("business status"), max_length=16, choices=BusinessStatus.choices, default="open"
    )
    district_environment = models.CharField(_("district environment"), max_length=64, blank=True)
    business_characteristics = models.CharField(
        pgettext_lazy("retailer profile", "business characteristics"), max_length=200, blank=True
    )
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
    mailing_address = models.CharField(
        pgettext_lazy("retailer profile", "mailing address"), max_length=200, blank=True
    )
    # System data: computed from orders by grades_recompute, never typed.
    grade = models.PositiveSmallIntegerField(
        pgettext_lazy("retailer", "grade"), default=rules.LOWEST_GRADE, db_index=True
    )
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
    # The parts of the value score, each 0 to 1 ("contribution", "support", "credit",
    # "relationship", "influence"), kept so that staff see why a store is in its class.
    value_parts = models.JSONField(_("value score parts"), default=dict, blank=True)
    value_class = models.CharField(
        _("value class"), max_length=8, choices=ValueClass.choices, default=ValueClass.GENERAL
    )
    computed_at = models.DateTimeField(_("system data computed at"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("retailer", "retailer")
        verbose_name_plural = pgettext_lazy("retailer", "retailers")
        ordering = ["licence_number"]

    def __str__(self):
        return f"{self.store_name} ({self.licence_number})"

    VALUE_PART_LABELS = {
        "contribution": _("Contribution (rank of the monthly purchase among open stores)"),
        "support": _("Support for company policies"),
        "credit": _("Credit (integrity level)"),
        "relationship": _("Length of the relationship"),
        "influence": _("Influence"),
    }

    def value_breakdown(self):
        """The parts of the value score with their weights, for staff: (label, part, weight),
        parts and weights as fractions of 1. Empty until the first recomputation."""
        weights = rules.value_weights()
        total = sum(weights.values()) or Decimal("1")
        return [
            (label, Decimal(self.value_parts[key]), weights.get(key, Decimal("0")) / total)
            for key, label in self.VALUE_PART_LABELS.items()
            if key in self.value_parts
        ]

    @property
    def delivery_day(self) -> int | None:
        """The weekday of the delivery day (送货日) that follows the order day (订货日)."""
        return rules.delivery_weekday(self.order_day)

    def get_delivery_day_display(self) -> str:
        day = self.delivery_day
        return "" if day is None else Weekday(day).label


class RetailerLogin(models.Model):
    """Links an extranet user account to the retailer it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("retailer", "user"),
        on_delete=models.CASCADE,
        related_name="retailer_login",
    )
    retailer = models.ForeignKey(
        Retailer,
        verbose_name=pgettext_lazy("retailer", "retailer"),
        on_delete=models.CASCADE,
        related_name="logins",
    )

    class Meta:
        verbose_name = _("retailer login")
        verbose_name_plural = _("retailer logins")

    def __str__(self):
        return f"{self.user.username} → {self.retailer}"


class RetailerImport(models.Model):
    """A queued import of retailers from an uploaded Excel file. The worker checks every row
    and saves all of them or none; the status page follows it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing imported")

    file = models.FileField(pgettext_lazy("retailer", "file"), upload_to="extranet/imports/%Y/%m/")
    name = models.CharField(pgettext_lazy("retailer", "file name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("retailer", "by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("queued at"))
    status = models.CharField(
        pgettext_lazy("retailer", "status"),
        max_length=8,
        choices=Status.choices,
        default=Status.QUEUED,
    )
    started_at = models.DateTimeField(
        pgettext_lazy("retailer", "started at"), null=True, blank=True
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(pgettext_lazy("retailer", "created"), default=0)
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


class Visit(models.Model):
    """One contact of an account manager with a store (source 004: time, place, way, content,
    effect and next step): planned for a day (the week's plan, source 000: weekly visits),
    then recorded when done. A contact recorded without a plan has no planned date."""

    class Way(models.TextChoices):
        VISIT = "visit", pgettext_lazy("contact way", "Visit in person")
        PHONE = "phone", pgettext_lazy("contact way", "Phone call")
        WECHAT = "wechat", pgettext_lazy("contact way", "WeChat")
        SMS = "sms", pgettext_lazy("contact way", "Text message")
        OTHER = "other", pgettext_lazy("contact way", "Other")

    retailer = models.ForeignKey(
        Retailer,
        verbose_name=pgettext_lazy("retailer", "retailer"),
        on_delete=models.CASCADE,
        related_name="visits",
    )
    account_manager = models.ForeignKey(
        "portal.Employee",
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    planned_on = models.DateField(
        pgettext_lazy("visit", "planned for"), null=True, blank=True, db_index=True
    )
    done_at = models.DateTimeField(
        pgettext_lazy("visit", "done at"), null=True, blank=True, db_index=True
    )
    way = models.CharField(
        pgettext_lazy("visit", "way"), max_length=8, choices=Way.choices, default=Way.VISIT
    )
    place = models.CharField(pgettext_lazy("visit", "place"), max_length=200, blank=True)
    content = models.TextField(pgettext_lazy("visit", "content"), blank=True)
    outcome = models.TextField(pgettext_lazy("visit", "outcome"), blank=True)
    next_step = models.TextField(pgettext_lazy("visit", "next step"), blank=True)
    next_on = models.DateField(_("next contact on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("visit", "recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("visit", "created at"))

    class Meta:
        verbose_name = pgettext_lazy("visit", "visit")
        verbose_name_plural = pgettext_lazy("visit", "visits")
        ordering = ["-done_at", "-planned_on", "-pk"]
        indexes = [models.Index(fields=["retailer", "done_at"])]

    def __str__(self):
        when = self.done_at or self.planned_on
        return f"{self.retailer} · {self.get_way_display()} · {when}"

    @property
    def is_done(self):
        return self.done_at is not None
