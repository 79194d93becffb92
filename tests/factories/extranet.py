"""Factories for the catalogue, stock, allocations and orders of the extranet."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from extranet.models import (
    Allocation,
    Brand,
    DeliveryRoute,
    Order,
    OrderLine,
    OrderStatusChange,
    Product,
    RetailerAllocation,
    Stock,
)
from tests.factories.people import RetailerFactory, RetailerLoginFactory  # noqa: F401


def open_order_day(now=None):
    """An order day whose window is open at `now`: the store orders on its order day, so
    today's weekday (in the factory's time zone)."""
    local = timezone.localtime(now or timezone.now())
    return local.weekday()


class DeliveryRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryRoute
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"线路{n}")


class OrderingRetailerFactory(RetailerFactory):
    """A retailer whose ordering window is open now."""

    order_day = factory.LazyFunction(open_order_day)
    route = factory.SubFactory(DeliveryRouteFactory)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Iterator(["利群", "中华", "玉溪", "黄鹤楼", "芙蓉王"])


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"新版{n}")
    code = factory.Sequence(lambda n: f"P{n:05d}")
    barcode = factory.Sequence(lambda n: f"69012{n:08d}")
    tar_mg = Decimal("10.0")
    nicotine_mg = Decimal("1.00")
    carbon_monoxide_mg = Decimal("11.0")
    wholesale_price = Decimal("200.00")
    retail_price = Decimal("250.00")

    @factory.post_generation
    def stock(self, create, extracted, **kwargs):
        if create:
            Stock.objects.create(product=self, available=1000 if extracted is None else extracted)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    product = factory.SubFactory(ProductFactory, is_scarce=True)
    grade = 8
    cartons = 5


class RetailerAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetailerAllocation

    product = factory.SubFactory(ProductFactory, is_scarce=True)
    retailer = factory.SubFactory(OrderingRetailerFactory)
    cartons = 10


class OrderFactory(factory.django.DjangoModelFactory):
    """An order written directly (history data for pages and grades; not through order_place)."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    retailer = factory.SubFactory(OrderingRetailerFactory)
    cycle = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")
    placed_at = factory.LazyFunction(timezone.now)
    total_cartons = 0
    total_amount = Decimal("0")

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        """lines=[(product, quantity), ...]"""
        if not create:
            return
        for product, quantity in extracted or []:
            OrderLine.objects.create(
                order=self,
                product=product,
                quantity=quantity,
                unit_price=product.wholesale_price,
                amount=product.wholesale_price * quantity,
            )
            self.total_cartons += quantity
            self.total_amount += product.wholesale_price * quantity
        self.save()
        OrderStatusChange.objects.create(order=self, status=self.status, changed_at=self.placed_at)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """Feedback written directly, due 24 hours after `submitted_at`."""

    class Meta:
        model = "extranet.Feedback"

    retailer = factory.SubFactory(OrderingRetailerFactory)
    kind = "complaint"
    text = factory.Sequence(lambda n: f"反馈内容{n}")
    submitted_at = factory.LazyFunction(timezone.now)
    callback_due_at = factory.LazyAttribute(lambda o: o.submitted_at + timedelta(hours=24))
    assigned_to = factory.LazyAttribute(lambda o: o.retailer.account_manager)
