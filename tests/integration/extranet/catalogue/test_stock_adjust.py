"""Stock is changed only through `stock_adjust` (row lock, audit, never below zero); the
Wagtail admin never writes an absolute value."""

import pytest
from django.urls import reverse

from extranet.catalogue.services import stock_adjust
from extranet.models import Stock
from extranet.ordering.services import order_place
from portal.models import AuditEntry
from portal.refusals import Refusal
from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, intranet):
    user = make_role_user("sales_administrator")
    client.force_login(user)
    client.user = user
    return client


def test_adjust_by_delta_and_to_a_counted_value_is_audited():
    actor = make_role_user("sales_administrator")
    product = ProductFactory(stock=10)
    assert (
        stock_adjust(product=product, delta=5, reason="goods received", actor=actor).available == 15
    )
    stock = stock_adjust(product=product, counted=12, seen=15, reason="count", actor=actor)
    assert stock.available == 12 == Stock.objects.get(product=product).available
    entries = AuditEntry.objects.filter(action="stock.adjusted").order_by("pk")
    assert [(e.data["old"], e.data["new"], e.reason) for e in entries] == [
        (10, 15, "goods received"),
        (15, 12, "count"),
    ]


def test_adjust_refuses_going_below_zero_and_a_stale_count():
    actor = make_role_user("sales_administrator")
    product = ProductFactory(stock=3)
    with pytest.raises(Refusal, match="below zero: 3 cartons are available"):
        stock_adjust(product=product, delta=-4, reason="damaged", actor=actor)
    # An order took 2 cartons after the person saw 3: a count typed against 3 is refused.
    order_place(retailer=OrderingRetailerFactory(), lines=[(product.pk, 2)], idempotency_key="a")
    with pytest.raises(Refusal, match="changed from 3 to 1"):
        stock_adjust(product=product, counted=10, seen=3, reason="count", actor=actor)
    with pytest.raises(Refusal, match="reason"):
        stock_adjust(product=product, delta=1, reason=" ", actor=actor)
    assert Stock.objects.get(product=product).available == 1
    assert not AuditEntry.objects.filter(action="stock.adjusted").exists()


def test_adjust_creates_a_missing_stock_row():
    product = ProductFactory(stock=0)
    Stock.objects.filter(product=product).delete()
    stock_adjust(product=product, delta=7, reason="first delivery", actor=None)
    assert Stock.objects.get(product=product).available == 7


def test_staff_page_adjusts_and_shows_errors(administrator):
    product = ProductFactory(stock=5)
    url = reverse("sales:stock_adjust", args=[product.pk])
    page = administrator.get(url)
    assert page.status_code == 200 and page.context["available"] == 5
    response = administrator.post(
        url, {"kind": "delta", "quantity": "-6", "reason": "damaged", "seen": "5"}
    )
    assert response.status_code == 409
    assert "below zero" in response.content.decode()
    response = administrator.post(url, {"kind": "delta", "quantity": "abc", "reason": "x"})
    assert response.status_code == 400
    response = administrator.post(
        url, {"kind": "delta", "quantity": "-2", "reason": "damaged", "seen": "5"}
    )
    assert response.status_code == 302
    assert Stock.objects.get(product=product).available == 3
    history = administrator.get(url).context["history"]
    assert [(e["data"]["old"], e["data"]["new"]) for e in history] == [(5, 3)]


def test_account_manager_may_not_adjust(client, intranet):
    client.force_login(make_role_user("account_manager"))
    product = ProductFactory(stock=5)
    url = reverse("sales:stock_adjust", args=[product.pk])
    response = client.post(url, {"kind": "delta", "quantity": "5", "reason": "x"})
    assert response.status_code == 403
    assert Stock.objects.get(product=product).available == 5


def test_wagtail_admin_has_no_available_field_and_edit_goes_to_adjust(administrator):
    product = ProductFactory(stock=5)
    stock = Stock.objects.get(product=product)
    response = administrator.get(f"/admin/stock/edit/{stock.pk}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:stock_adjust", args=[product.pk])
    response = administrator.post(
        f"/admin/stock/edit/{stock.pk}/", {"product": product.pk, "available": "999"}
    )
    assert Stock.objects.get(product=product).available == 5
    add = administrator.get("/admin/stock/new/")
    assert add.status_code == 200
    assert 'name="available"' not in add.content.decode()


def test_adjust_page_query_count(administrator):
    product = ProductFactory(stock=5)

    def grow(size):
        for index in range(size):
            stock_adjust(product=product, delta=1, reason=f"r{index}", actor=administrator.user)

    assert_bounded_queries(
        administrator, reverse("sales:stock_adjust", args=[product.pk]), grow, max_queries=3
    )


def test_recent_changes_name_who_adjusted_not_their_login_id(client, intranet):
    from tests.factories.people import EmployeeFactory

    clerk = EmployeeFactory(name="赵敏", employee_number="E09100").user
    clerk.groups.add(*make_role_user("sales_administrator").groups.all())
    product = ProductFactory(stock=5)
    stock_adjust(product=product, delta=2, reason="goods received", actor=clerk)
    client.force_login(make_role_user("sales_administrator"))
    page = client.get(reverse("sales:stock_adjust", args=[product.pk])).content.decode()
    assert "<td>赵敏</td>" in page
    assert "E09100" not in page


def test_the_kept_form_shows_the_stock_seen_now_and_a_missing_row_as_zero(administrator):
    product = ProductFactory(stock=5)
    url = reverse("sales:stock_adjust", args=[product.pk])
    assert 'name="seen" value="5"' in administrator.get(url).content.decode()
    stock_adjust(product=product, delta=2, reason="goods received", actor=None)
    assert 'name="seen" value="7"' in administrator.get(url).content.decode()
    Stock.objects.filter(product=product).delete()
    page = administrator.get(url)
    assert page.context["available"] == 0
    assert 'name="seen" value="0"' in page.content.decode()
