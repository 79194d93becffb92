"""Visits and contacts (issue 16): for every retailer, a recorded contact over the last four
weeks for about two in three, and a planned visit this week for about half, so that the
account manager's week, not-visited list and log have their size."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bench.generators import generator
from extranet.models import Retailer, Visit

BATCH = 2000
PREFIX = "[bench] "


@generator("visits")
def visits(scale, rng):
    if Visit.objects.filter(content__startswith=PREFIX).exists():
        return
    retailers = list(Retailer.objects.order_by("pk").values_list("pk", "account_manager_id"))
    now = timezone.now()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    ways = [choice for choice, _label in Visit.Way.choices]
    rows = []
    for number, (retailer_id, manager_id) in enumerate(retailers):
        if rng.random() < 0.66:
            rows.append(
                Visit(
                    retailer_id=retailer_id,
                    account_manager_id=manager_id,
                    done_at=now - timedelta(minutes=rng.randrange(28 * 24 * 60)),
                    way=rng.choice(ways),
                    content=f"{PREFIX}拜访 {number}",
                    outcome="已沟通订货和陈列",
                    created_at=now,
                )
            )
        if rng.random() < 0.5:
            rows.append(
                Visit(
                    retailer_id=retailer_id,
                    account_manager_id=manager_id,
                    planned_on=monday + timedelta(days=rng.randrange(7)),
                    content=f"{PREFIX}计划 {number}",
                    created_at=now,
                )
            )
    with transaction.atomic():
        Visit.objects.bulk_create(rows, batch_size=BATCH)
