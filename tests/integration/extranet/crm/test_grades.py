"""Grades and system data computed from orders; value class and the top list; the scheduled
and on-demand recomputation through the task queue."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from extranet.crm.selectors import top_retailers
from extranet.crm.services import grades_recompute
from extranet.models import Retailer
from portal import scheduling
from tests.conftest import make_role_user
from tests.factories.extranet import OrderFactory, OrderingRetailerFactory, ProductFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


SHANGHAI = ZoneInfo("Asia/Shanghai")
# Recomputed on 4 December: the window is September, October and November.
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=SHANGHAI)
LONG_AGO = date(2015, 1, 1)
FIVE_YEARS_AGO = date(2021, 12, 4)


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def store(**fields):
    fields.setdefault("customer_since", LONG_AGO)
    return OrderingRetailerFactory(**fields)


def order_cartons(retailer, cartons, *, placed_at=None, status="delivered", price="200.00"):
    product = ProductFactory(wholesale_price=Decimal(price))
    return OrderFactory(
        retailer=retailer,
        status=status,
        placed_at=placed_at or at(2026, 10, 15),
        lines=[(product, cartons)],
    )


def recomputed(retailer, now=NOW):
    grades_recompute(now=now)
    retailer.refresh_from_db()
    return retailer


@pytest.mark.parametrize(
    ("cartons", "grade"),
    [(15003, 1), (15000, 2), (10500, 3), (10501, 2), (751, 7), (750, 8), (0, 8)],
)
def test_grade_from_three_months_of_orders_at_the_band_boundaries(cartons, grade):
    retailer = store()
    if cartons:
        order_cartons(retailer, cartons)
    assert recomputed(retailer).grade == grade


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        ("submitted", False),
        ("cancelled", False),
        ("confirmed", True),
        ("picking", True),
        ("out_for_delivery", True),
        ("delivered", True),
    ],
)
def test_only_confirmed_and_later_orders_count_toward_the_grade(status, counts):
    """A store cannot raise its grade (and its allocation) with an order that may never
    happen: a big submitted order, cancelled after the nightly recompute, counts for nothing."""
    retailer = store()
    order_cartons(retailer, 3000, status=status)
    assert recomputed(retailer).grade == (6 if counts else 8)


def test_window_is_the_whole_calendar_months_before_this_one():
    retailer = store()
    order_cartons(retailer, 300, placed_at=at(2026, 8, 31, 23, 59))  # before the window
    order_cartons(retailer, 600, placed_at=at(2026, 9, 1, 0, 0))  # first minute of it
    order_cartons(retailer, 900, placed_at=at(2026, 12, 1, 0, 0))  # the month under way
    retailer = recomputed(retailer)
    assert retailer.monthly_cartons == Decimal("200.00")
    # Anywhere in December the window is the same three months, divided by three.
    for now in (at(2026, 12, 1, 0, 1), at(2026, 12, 31, 23, 59)):
        assert recomputed(retailer, now).monthly_cartons == Decimal("200.00")
    # In January, September leaves the window and December enters it.
    assert recomputed(retailer, at(2027, 1, 2)).monthly_cartons == Decimal("300.00")


def test_a_new_store_is_averaged_over_the_months_it_traded():
    """A store that became a customer on 20 November bought 10 cases in its first 11 days:
    its average is over one month (grade 4, 7–10 cases), not three (3.3 cases, grade 6)."""
    retailer = store(customer_since=date(2026, 11, 20))
    order_cartons(retailer, 2500, placed_at=at(2026, 11, 25))
    retailer = recomputed(retailer)
    assert retailer.monthly_cartons == Decimal("2500.00") and retailer.grade == 4
    # Without a customer-since date, the first order dates the start: October and November.
    unknown = store(customer_since=None)
    order_cartons(unknown, 3000, placed_at=at(2026, 10, 3))
    assert recomputed(unknown).monthly_cartons == Decimal("1500.00")


def test_cancelled_and_old_orders_do_not_count_and_figures_are_computed():
    retailer = store()
    order_cartons(retailer, 600, price="250.00")
    order_cartons(retailer, 9000, status="cancelled")
    order_cartons(retailer, 9000, placed_at=at(2026, 7, 1))
    retailer = recomputed(retailer)
    assert retailer.monthly_cartons == Decimal("200.00")
    assert retailer.monthly_amount == Decimal("50000.00")
    assert retailer.average_carton_price == Decimal("250.00")
    assert retailer.grade == 8 and retailer.computed_at == NOW


def test_window_and_case_size_are_configurable(settings):
    settings.EXTRANET_GRADE_WINDOW_MONTHS = 1
    settings.EXTRANET_CARTONS_PER_CASE = 100
    retailer = store()
    order_cartons(retailer, 2001, placed_at=at(2026, 11, 30))  # 20.01 cases in November
    assert recomputed(retailer).grade == 1


def test_value_class_and_top_twenty_percent():
    retailers = [store(support_score=5, influence_score=5) for _ in range(10)]
    best, worst = retailers[0], retailers[1]
    Retailer.objects.filter(pk=best.pk).update(
        support_score=10, influence_score=10, integrity_level=5
    )
    Retailer.objects.filter(pk=worst.pk).update(
        support_score=0, influence_score=0, integrity_level=1
    )
    order_cartons(best, 3000)
    order_cartons(retailers[2], 2000)
    grades_recompute(now=NOW)
    best.refresh_from_db()
    worst.refresh_from_db()
    assert best.value_class == "core" and worst.value_class == "problem"
    administrator = make_role_user("sales_administrator")
    top = list(top_retailers(user=administrator))
    assert len(top) == 2 and top[0] == best and top[1] == retailers[2]


def five_stores():
    """Five stores alike but for what they buy: 4, 6, 8, 10 and 12 cases a month."""
    alike = {"support_score": 5, "influence_score": 5, "integrity_level": 3}
    stores = [store(customer_since=FIVE_YEARS_AGO, **alike) for _ in range(5)]
    for cases, retailer in zip((4, 6, 8, 10, 12), stores, strict=True):
        order_cartons(retailer, cases * 250 * 3)
    return stores


def classes(stores):
    return [Retailer.objects.get(pk=retailer.pk).value_class for retailer in stores]


def test_contribution_is_a_rank_so_one_outlier_does_not_demote_everyone():
    stores = five_stores()
    grades_recompute(now=NOW)
    before = classes(stores)
    assert before == ["general", "general", "general", "core", "core"]
    # One store buying 21 cases a month (an outlier) joins: the others move by one rank at
    # most (measured against the biggest buyer, three of them fell from core to general).
    outlier = store(
        customer_since=FIVE_YEARS_AGO, support_score=5, influence_score=5, integrity_level=3
    )
    order_cartons(outlier, 21 * 250 * 3)
    grades_recompute(now=NOW)
    after = classes(stores)
    assert after[-1] == "core" and Retailer.objects.get(pk=outlier.pk).value_class == "core"
    parts = Retailer.objects.get(pk=stores[-1].pk).value_parts
    assert parts["contribution"] == "0.8333"  # 5 of the 6 open stores buy at most as much


def test_closed_stores_do_not_take_ranks_from_open_ones():
    stores = five_stores()
    closed = store(business_status="closed")
    order_cartons(closed, 50 * 250 * 3)
    grades_recompute(now=NOW)
    parts = Retailer.objects.get(pk=stores[-1].pk).value_parts
    assert Decimal(parts["contribution"]) == 1


def test_no_purchases_no_core_whatever_the_typed_scores():
    idle = store(support_score=10, influence_score=10, integrity_level=5)
    idle = recomputed(idle)
    assert idle.value_score >= Decimal("0.6")  # the typed parts alone would make it core
    assert idle.value_class == "general"
    assert idle.value_parts["contribution"] == "0.0000"
    assert set(idle.value_parts) == {
        "contribution",
        "support",
        "credit",
        "relationship",
        "influence",
    }


def test_staff_see_the_parts_of_the_value_score(client, intranet):
    retailer = five_stores()[-1]
    grades_recompute(now=NOW)
    client.force_login(make_role_user("sales_administrator"))
    page = client.get(reverse("sales:retailer", args=[retailer.pk])).content.decode()
    assert "value-parts" in page and "100%" in page  # contribution: the top rank


def test_recompute_is_idempotent():
    retailer = store()
    order_cartons(retailer, 4000)
    assert grades_recompute(now=NOW) >= 1
    assert grades_recompute(now=NOW) == 0


def test_staff_button_enqueues_recomputation_that_the_worker_runs(
    client, intranet, django_capture_on_commit_callbacks
):
    retailer = store()
    order_cartons(retailer, 15003, placed_at=timezone.now() - timedelta(days=40))
    order_cartons(retailer, 15003, placed_at=timezone.now() - timedelta(days=70))
    client.force_login(make_role_user("sales_administrator"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sales:grades_recompute"))
    assert response.status_code == 302
    retailer.refresh_from_db()
    assert retailer.grade == 8  # not inline
    run_worker("default")
    retailer.refresh_from_db()
    assert retailer.grade == 1


def test_account_manager_cannot_request_recomputation(client, intranet):
    client.force_login(make_role_user("account_manager"))
    assert client.post(reverse("sales:grades_recompute")).status_code == 403


def test_grades_are_registered_as_a_daily_periodic_task():
    periodic = scheduling.REGISTRY["extranet.grades_recompute"]
    assert periodic.daily_at.hour == 2
    assert periodic.task_path == "extranet.crm.tasks.grades_recompute_task"
