"""The catalogue: brands, products and their sales policies, stock, the allocations of scarce
products, and the delivery routes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.fields import RichTextField

from extranet import rules


class DeliveryRoute(models.Model):
    """A delivery route: the retailers on it are picked and delivered together."""

    code = models.CharField(pgettext_lazy("catalogue", "code"), max_length=16, unique=True)
    name = models.CharField(pgettext_lazy("catalogue", "name"), max_length=64)
    delivery_staff = models.CharField(_("delivery staff"), max_length=64, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("catalogue", "delivery route")
        verbose_name_plural = _("delivery routes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Brand(models.Model):
    name = models.CharField(pgettext_lazy("catalogue", "name"), max_length=64, unique=True)
    description = models.TextField(pgettext_lazy("catalogue", "description"), blank=True)

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
        NEW = "new", pgettext_lazy("product status", "New")
        DISCONTINUED = "discontinued", _("Discontinued")

    class PackType(models.TextChoices):
        HARD = "hard", _("Hard pack")
        SOFT = "soft", _("Soft pack")
        SLIM = "slim", _("Slim")

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(pgettext_lazy("catalogue", "name"), max_length=64)
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
        verbose_name=pgettext_lazy("catalogue", "image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(pgettext_lazy("catalogue", "description"), blank=True)
    status = models.CharField(
        pgettext_lazy("catalogue", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.ON_SALE,
        db_index=True,
    )
    is_scarce = models.BooleanField(
        _("scarce (allocated by grade)"),
        default=False,
        help_text=_("Retailers may order only their allocation per cycle."),
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("catalogue", "product")
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
        Product,
        verbose_name=pgettext_lazy("catalogue", "product"),
        on_delete=models.CASCADE,
        related_name="policies",
    )
    title = models.CharField(pgettext_lazy("catalogue", "title"), max_length=128)
    body = RichTextField(pgettext_lazy("catalogue", "text"), blank=True)
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
        Product,
        verbose_name=pgettext_lazy("catalogue", "product"),
        on_delete=models.CASCADE,
        related_name="stock",
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
        Product,
        verbose_name=pgettext_lazy("catalogue", "product"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    grade = models.PositiveSmallIntegerField(
        pgettext_lazy("catalogue", "grade"), choices=[(grade, str(grade)) for grade in rules.GRADES]
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
        Product,
        verbose_name=pgettext_lazy("catalogue", "product"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    retailer = models.ForeignKey(
        "extranet.Retailer",
        verbose_name=pgettext_lazy("catalogue", "retailer"),
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

    retailer = models.ForeignKey(
        "extranet.Retailer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("catalogue", "retailer"),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("catalogue", "product"),
    )
    cycle = models.DateField(verbose_name=pgettext_lazy("catalogue", "order cycle"))
    cartons = models.PositiveIntegerField(
        default=0, verbose_name=pgettext_lazy("catalogue", "cartons ordered")
    )

    class Meta:
        verbose_name = _("allocation usage")
        verbose_name_plural = _("allocation usages")
        constraints = [
            models.UniqueConstraint(
                fields=["retailer", "product", "cycle"], name="extranet_usage_unique"
            )
        ]

    def __str__(self):
        return f"{self.retailer_id}/{self.product_id}/{self.cycle}: {self.cartons}"
