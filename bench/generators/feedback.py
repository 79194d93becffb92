"""Feedback and complaints: as many items as there are retailers, over the last four months,
the retailers with logins first (so that the bench's retailer pages show a history); most are
called back in time, some late, a few still open."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bench.generators import generator
from extranet.models import Feedback, Retailer

BATCH = 2000
PREFIX = "[bench] "


@generator("feedback")
def feedback(scale, rng):
    done = Feedback.objects.filter(text__startswith=PREFIX).count()
    wanted = scale.retailers
    if done >= wanted:
        return
    with_logins = Retailer.objects.filter(logins__isnull=False).distinct()
    retailers = list(with_logins.order_by("pk").values_list("pk", "account_manager_id"))
    retailers += list(
        Retailer.objects.filter(logins__isnull=True)
        .order_by("pk")
        .values_list("pk", "account_manager_id")
    )
    now = timezone.now()
    kinds = [choice for choice, _label in Feedback.Kind.choices]
    number = done
    while number < wanted:
        batch = []
        for _ in range(min(BATCH, wanted - number)):
            retailer_id, manager_id = retailers[number % len(retailers)]
            submitted = now - timedelta(minutes=rng.randrange(120 * 24 * 60))
            due = submitted + timedelta(hours=24)
            fate = rng.choices(["on_time", "late", "open"], weights=[85, 10, 5])[0]
            called = None
            if fate == "on_time":
                called = submitted + timedelta(minutes=rng.randrange(60, 23 * 60))
            elif fate == "late":
                called = due + timedelta(minutes=rng.randrange(10, 48 * 60))
            if called and called > now:
                called = None
            batch.append(
                Feedback(
                    retailer_id=retailer_id,
                    assigned_to_id=manager_id,
                    kind=rng.choice(kinds),
                    text=f"{PREFIX}反馈 {number}",
                    submitted_at=submitted,
                    callback_due_at=due,
                    called_back_at=called,
                    callback_method="phone" if called else "",
                    status="resolved" if called else "open",
                    resolved_at=called,
                )
            )
            number += 1
        with transaction.atomic():
            Feedback.objects.bulk_create(batch)
