"""The extranet's demo data: catalogue, stock, allocations and a history of orders placed
through the ordering service; idempotent."""

import pytest
from django.core.management import call_command

from extranet.models import Feedback, Order, Product, Retailer

pytestmark = pytest.mark.django_db


def test_demo_orders_and_catalogue_are_seeded_once():
    call_command("seed_demo", verbosity=0)
    counts = (Product.objects.count(), Order.objects.count())
    assert counts[0] >= 10 and counts[1] == 20
    assert Order.objects.filter(status="delivered").count() == 20
    assert Retailer.objects.filter(order_day__isnull=False, route__isnull=False).count() == 5
    feedback = Feedback.objects.count()
    assert feedback > 0 and Feedback.objects.filter(status="resolved").count() == feedback / 2
    call_command("seed_demo", verbosity=0)
    assert (Product.objects.count(), Order.objects.count()) == counts
    assert Feedback.objects.count() == feedback
