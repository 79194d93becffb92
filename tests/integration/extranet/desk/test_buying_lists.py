"""The staff see the stores that may not buy and those whose licence expires soon: a filter
and a column on the retailer list, and the account manager's work list on the sales index."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, intranet):
    user = make_role_user("account_manager")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def stores(manager):
    today = timezone.localdate()
    employee = manager.user.employee
    return {
        "fine": OrderingRetailerFactory(
            account_manager=employee, store_name="正常店", licence_expires_on=today + timedelta(31)
        ),
        "expiring": OrderingRetailerFactory(
            account_manager=employee, store_name="将到期", licence_expires_on=today + timedelta(30)
        ),
        "last_day": OrderingRetailerFactory(
            account_manager=employee, store_name="最后一天店", licence_expires_on=today
        ),
        "expired": OrderingRetailerFactory(
            account_manager=employee,
            store_name="已过期店",
            licence_expires_on=today - timedelta(1),
        ),
        "suspended": OrderingRetailerFactory(
            account_manager=employee, store_name="停业店", business_status="suspended"
        ),
        "closed": OrderingRetailerFactory(
            account_manager=employee, store_name="歇业店", business_status="closed"
        ),
        "not_mine": OrderingRetailerFactory(
            store_name="别人的店", licence_expires_on=today - timedelta(1)
        ),
    }


def listed(client, buying):
    response = client.get(reverse("sales:retailers"), {"buying": buying})
    return {retailer.store_name for retailer in response.context["page"].object_list}


def test_retailer_list_filters_by_the_right_to_buy(manager, stores):
    assert listed(manager, "may_not_buy") == {"已过期店", "停业店", "歇业店"}
    assert listed(manager, "not_open") == {"停业店", "歇业店"}
    assert listed(manager, "expired") == {"已过期店"}
    assert listed(manager, "expiring") == {"将到期", "最后一天店"}
    assert len(listed(manager, "")) == 6


def test_retailer_list_shows_the_state(manager, stores):
    html = manager.get(reverse("sales:retailers")).content.decode()
    assert "Licence expired on" in html
    assert "Not open for business" in html
    assert "Licence expires on" in html


def test_a_bad_filter_value_is_ignored_not_an_error(manager, stores):
    response = manager.get(reverse("sales:retailers"), {"buying": "nonsense"})
    assert response.status_code == 200


def test_the_account_managers_work_list_shows_their_stores_needing_attention(manager, stores):
    response = manager.get(reverse("sales:index"))
    shown = {retailer.store_name for retailer in response.context["attention"]["stores"]}
    assert shown == {"将到期", "最后一天店", "已过期店", "停业店", "歇业店"}
    assert "别人的店" not in response.content.decode()


def test_the_index_queries_do_not_grow(manager):
    employee = manager.user.employee

    def grow(size):
        for _ in range(size):
            OrderingRetailerFactory(account_manager=employee, business_status="closed")

    assert_bounded_queries(manager, reverse("sales:index"), grow, max_queries=12)


def test_the_staff_profile_shows_the_right_to_buy_and_both_days(manager, stores):
    store = stores["expired"]
    store.order_day = 6  # Sunday: delivered on Monday
    store.save()
    html = manager.get(reverse("sales:retailer", args=[store.pk])).content.decode()
    assert "Licence expired on" in html
    assert "Order day Sunday, delivery day Monday" in html
