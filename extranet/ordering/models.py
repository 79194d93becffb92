"""Orders, their lines and their status history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet import rules
from extranet.catalogue.models import Product
from extranet.crm.models import Retailer


class Order(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("order", "Submitted")
        CONFIRMED = "confirmed", _("Confirmed")
        PICKING = "picking", pgettext_lazy("order", "Picking")
        OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    retailer = models.ForeignKey(
        Retailer,
        verbose_name=pgettext_lazy("order", "retailer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    cycle = models.DateField(pgettext_lazy("order", "order day"), db_index=True)
    status = models.CharField(
        pgettext_lazy("order", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
    )
    idempotency_key = models.CharField(
        max_length=64, verbose_name=pgettext_lazy("order", "submission key")
    )
    placed_at = models.DateTimeField(_("placed at"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total_cartons = models.PositiveIntegerField(pgettext_lazy("order", "cartons"))
    total_amount = models.DecimalField(
        pgettext_lazy("order", "amount"), max_digits=14, decimal_places=2
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    reorder_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("order", "reorder of"),
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
            # The staff's order list, newest first (extranet/desk/order_rows.py): its page is
            # read through this index instead of sorting every order.
            models.Index(fields=["-placed_at", "-id"], name="extranet_order_newest"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self):
        return self.number_of(self.pk)

    @staticmethod
    def number_of(pk: int) -> str:
        """The order number shown to people for the order with this id (D0000042)."""
        return f"D{pk:07d}"

    @property
    def order_date(self):
        """The order day (订货日) the order was placed for: its cycle."""
        return self.cycle

    @property
    def delivery_date(self):
        """The delivery day (送货日) that follows the order day (`rules.delivery_date`)."""
        return rules.delivery_date(self.cycle)


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    product = models.ForeignKey(
        Product,
        verbose_name=pgettext_lazy("order", "product"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(pgettext_lazy("order", "cartons"))
    unit_price = models.DecimalField(_("price per carton"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(pgettext_lazy("order", "amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = pgettext_lazy("order", "order lines")
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
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="history", verbose_name=_("order")
    )
    status = models.CharField(
        pgettext_lazy("order", "status"), max_length=20, choices=Order.Status.choices
    )
    changed_at = models.DateTimeField(pgettext_lazy("order", "at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("order", "changed by"),
    )
    note = models.CharField(pgettext_lazy("order", "note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("order status change")
        verbose_name_plural = _("order status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.status}"
