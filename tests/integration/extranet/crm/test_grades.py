"""Grades and system data computed from orders; value class and the top list; the scheduled
and on-demand recomputation through the task queue."""

from datetime import timedelta
from decimal import Decimal

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


def order_cartons(retailer, cartons, *, days_ago=10, status="delivered", price="200.00"):
    product = ProductFactory(wholesale_price=Decimal(price))
    return OrderFactory(
        retailer=retailer,
        status=status,
        placed_at=timezone.now() - timedelta(days=days_ago),
        lines=[(product, cartons)],
    )


@pytest.mark.parametrize(
    ("cartons", "grade"),
    [(15003, 1), (15000, 2), (10500, 3), (10501, 2), (751, 7), (750, 8), (0, 8)],
)
def test_grade_from_three_months_of_orders_at_the_band_boundaries(cartons, grade):
    retailer = OrderingRetailerFactory()
    if cartons:
        order_cartons(retailer, cartons)
    grades_recompute()
    retailer.refresh_from_db()
    assert retailer.grade == grade


def test_cancelled_and_old_orders_do_not_count_and_figures_are_computed():
    retailer = OrderingRetailerFactory()
    order_cartons(retailer, 600, price="250.00")
    order_cartons(retailer, 9000, status="cancelled")
    order_cartons(retailer, 9000, days_ago=120)
    grades_recompute()
    retailer.refresh_from_db()
    assert retailer.monthly_cartons == Decimal("200.00")
    assert retailer.monthly_amount == Decimal("50000.00")
    assert retailer.average_carton_price == Decimal("250.00")
    assert retailer.grade == 8 and retailer.computed_at is not None


def test_window_and_case_size_are_configurable(settings):
    settings.EXTRANET_GRADE_WINDOW_MONTHS = 1
    settings.EXTRANET_CARTONS_PER_CASE = 100
    retailer = OrderingRetailerFactory()
    order_cartons(retailer, 2001)  # 20.01 cases in one month
    grades_recompute()
    retailer.refresh_from_db()
    assert retailer.grade == 1


def test_value_class_and_top_twenty_percent():
    retailers = [OrderingRetailerFactory(support_score=5, influence_score=5) for _ in range(10)]
    best, worst = retailers[0], retailers[1]
    Retailer.objects.filter(pk=best.pk).update(
        support_score=10, influence_score=10, integrity_level=5
    )
    Retailer.objects.filter(pk=worst.pk).update(
        support_score=0, influence_score=0, integrity_level=1
    )
    order_cartons(best, 3000)
    order_cartons(retailers[2], 2000)
    grades_recompute()
    best.refresh_from_db()
    worst.refresh_from_db()
    assert best.value_class == "core" and worst.value_class == "problem"
    administrator = make_role_user("sales_administrator")
    top = list(top_retailers(user=administrator))
    assert len(top) == 2 and top[0] == best and top[1] == retailers[2]


def test_recompute_is_idempotent():
    retailer = OrderingRetailerFactory()
    order_cartons(retailer, 4000)
    assert grades_recompute() >= 1
    assert grades_recompute() == 0


def test_staff_button_enqueues_recomputation_that_the_worker_runs(
    client, intranet, django_capture_on_commit_callbacks
):
    retailer = OrderingRetailerFactory()
    order_cartons(retailer, 15003)
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
