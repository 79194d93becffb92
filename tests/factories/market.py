"""Factories for market information (extranet/market/)."""

import factory
from django.utils import timezone

from extranet.market.models import MarketReport
from tests.factories.extranet import OrderingRetailerFactory


class MarketReportFactory(factory.django.DjangoModelFactory):
    """A report written directly (not through report_submit), by a retailer."""

    class Meta:
        model = MarketReport

    kind = "competitor"
    is_restricted = factory.LazyAttribute(lambda o: o.kind == "counterfeit")
    retailer = factory.SubFactory(OrderingRetailerFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    observed_on = factory.LazyFunction(timezone.localdate)
    location = factory.Sequence(lambda n: f"解放路{n}号")
    region = factory.LazyAttribute(lambda o: o.retailer.region if o.retailer else "")
    description = factory.Sequence(lambda n: f"市场观察{n}")
