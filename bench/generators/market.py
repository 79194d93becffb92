"""Market information and grade history: one market report per five retailers over the last
four months (mostly approved shelf prices of catalogue products, the rest other types, a few
restricted), and one grade change per two retailers (the history the grades dashboard reads)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bench.generators import generator
from extranet.market.models import GradeChange, MarketReport
from extranet.models import Product, Retailer

BATCH = 2000
PREFIX = "[bench] "


@generator("market")
def market(scale, rng):
    now = timezone.now()
    retailers = list(Retailer.objects.order_by("pk").values_list("pk", "region"))
    if not retailers:
        return
    products = list(Product.objects.values_list("pk", "retail_price"))
    kinds = [choice for choice, _label in MarketReport.Kind.choices]
    statuses = ["approved"] * 7 + ["submitted", "rejected", "info_requested"]
    wanted = scale.retailers // 5
    number = MarketReport.objects.filter(description__startswith=PREFIX).count()
    while number < wanted:
        batch = []
        for _ in range(min(BATCH, wanted - number)):
            retailer_id, region = retailers[number % len(retailers)]
            kind = "shelf_price" if rng.random() < 0.7 else rng.choice(kinds)
            product_id, retail = rng.choice(products) if products else (None, None)
            submitted = now - timedelta(minutes=rng.randrange(120 * 24 * 60))
            price = None
            if kind == "shelf_price" and retail:
                price = (Decimal(retail) * Decimal(rng.uniform(0.85, 1.15))).quantize(
                    Decimal("0.01")
                )
            batch.append(
                MarketReport(
                    kind=kind,
                    is_restricted=kind == "counterfeit",
                    status=rng.choice(statuses),
                    retailer_id=retailer_id,
                    submitted_at=submitted,
                    observed_on=timezone.localdate(submitted),
                    location=f"{region}市场{number}",
                    region=region,
                    product_id=product_id if kind in ("shelf_price", "competitor") else None,
                    price=price,
                    description=f"{PREFIX}市场观察 {number}",
                )
            )
            number += 1
        with transaction.atomic():
            MarketReport.objects.bulk_create(batch)
    wanted_changes = scale.retailers // 2
    done = GradeChange.objects.count()
    while done < wanted_changes:
        batch = []
        for _ in range(min(BATCH, wanted_changes - done)):
            retailer_id, _region = retailers[done % len(retailers)]
            old = rng.randint(1, 8)
            new = min(8, max(1, old + rng.choice([-2, -1, 1, 2])))
            batch.append(
                GradeChange(
                    retailer_id=retailer_id,
                    old_grade=old,
                    new_grade=new,
                    changed_at=now - timedelta(days=rng.randrange(120)),
                )
            )
            done += 1
        with transaction.atomic():
            GradeChange.objects.bulk_create(batch)
