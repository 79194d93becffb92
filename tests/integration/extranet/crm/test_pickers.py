"""Pickers instead of selects of every row: the profile's account manager and route are typed
keys with suggestions from a bounded JSON lookup; the admin's per-retailer allocation uses a
searchable retailer chooser. No page renders a select of all retailers or employees."""

import pytest
from django.urls import reverse

from extranet.crm.selectors import LOOKUP_LIMIT
from extranet.models import Retailer
from portal.models import AuditEntry
from tests.conftest import make_role_user
from tests.factories.extranet import DeliveryRouteFactory, OrderingRetailerFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


def role_client(client, role):
    user = make_role_user(role)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def administrator(client, intranet):
    return role_client(client, "sales_administrator")


def add_account_managers(count):
    return [make_role_user("account_manager").employee for _ in range(count)]


def test_lookup_is_bounded_permission_checked_and_limited_to_visible_retailers(client, intranet):
    manager = role_client(client, "account_manager")
    mine = [
        OrderingRetailerFactory(licence_number=f"99{n:04d}", account_manager=manager.user.employee)
        for n in range(LOOKUP_LIMIT + 5)
    ]
    OrderingRetailerFactory(licence_number="990999")  # not theirs
    url = reverse("sales:lookup", args=["retailers"])
    results = manager.get(url, {"q": "99"}).json()["results"]
    assert len(results) == LOOKUP_LIMIT
    assert results[0] == {
        "value": mine[0].licence_number,
        "label": f"{mine[0].store_name} (990000)",
    }
    assert manager.get(url, {"q": "990999"}).json()["results"] == []
    assert manager.get(url, {"q": ""}).json()["results"] == []
    assert manager.get(reverse("sales:lookup", args=["nothing"])).status_code == 404
    client.force_login(make_role_user("employee"))
    assert client.get(url, {"q": "99"}).status_code == 403


def test_employee_and_route_lookups(administrator):
    first, _second = add_account_managers(2)
    make_role_user("employee")  # not an account manager: never suggested
    results = administrator.get(
        reverse("sales:lookup", args=["employees"]), {"q": first.employee_number}
    ).json()["results"]
    assert [row["value"] for row in results] == [first.employee_number]
    route = DeliveryRouteFactory(code="W7", name="西线")
    results = administrator.get(reverse("sales:lookup", args=["routes"]), {"q": "西"}).json()
    assert results["results"] == [{"value": "W7", "label": f"W7 {route.name}"}]


def _form_data(page):
    data = {
        name: field.value() if field.value() is not None else ""
        for name, field in ((f.name, f) for f in page.context["form"])
    }
    return {key: value for key, value in data.items() if value is not False}


def test_profile_form_takes_keys_and_refuses_unknown_ones(administrator):
    manager = add_account_managers(1)[0]
    route = DeliveryRouteFactory(code="W8")
    retailer = OrderingRetailerFactory(store_name="店")
    url = reverse("sales:retailer_edit", args=[retailer.pk, "static"])
    data = _form_data(administrator.get(url))
    data.update({"account_manager": "NOBODY"})
    response = administrator.post(url, data)
    assert response.status_code == 200
    assert "No account manager has the employee number NOBODY" in response.content.decode()
    data["account_manager"] = manager.employee_number
    assert administrator.post(url, data).status_code == 302
    # The route is a dynamic item (source 002): the dynamic form's picker.
    dynamic = reverse("sales:retailer_edit", args=[retailer.pk, "dynamic"])
    data = _form_data(administrator.get(dynamic))
    data["route"] = "W8"
    assert administrator.post(dynamic, data).status_code == 302
    retailer.refresh_from_db()
    assert retailer.account_manager == manager and retailer.route == route
    entry = AuditEntry.objects.get(action="retailer.static_changed")
    assert set(entry.data["changes"]) == {"account_manager"}
    entry = AuditEntry.objects.get(action="retailer.dynamic_changed")
    assert set(entry.data["changes"]) == {"route"}
    # The edit page shows the keys, not the ids.
    form = administrator.get(url).context["form"]
    assert form["account_manager"].value() in (manager.employee_number, manager.pk)
    assert f'value="{manager.employee_number}"' in administrator.get(url).content.decode()


def test_profile_edit_page_has_no_select_of_employees_or_routes(administrator):
    retailer = OrderingRetailerFactory()
    url = reverse("sales:retailer_edit", args=[retailer.pk, "static"])

    def grow(size):
        add_account_managers(size)
        for _ in range(size):
            DeliveryRouteFactory()

    assert_bounded_queries(administrator, url, grow, max_queries=14, sizes=(2, 20))
    html = administrator.get(url).content.decode()
    assert 'name="account_manager"' in html and 'data-lookup="/sales/lookup/employees/"' in html
    assert html.count("<option") < 40  # settlement, order day etc., not 20 managers + 20 routes


def test_admin_retailer_allocation_uses_a_chooser_not_a_select(administrator):
    url = "/admin/retailerallocation/new/"

    def grow(size):
        while Retailer.objects.count() < size:
            OrderingRetailerFactory()

    assert_bounded_queries(administrator, url, grow, max_queries=40, sizes=(2, 40))
    html = administrator.get(url).content.decode()
    last = Retailer.objects.order_by("-pk").first()
    assert last.store_name not in html  # no option per retailer
    chooser = administrator.get(
        "/admin/extranet_retailer_chooser/results/", {"q": last.licence_number}
    )
    assert chooser.status_code == 200 and last.store_name in chooser.content.decode()


def test_retailer_chooser_is_for_sales_administrators_only(client, intranet):
    role_client(client, "document_manager")
    # Wagtail admin turns a refusal into a redirect to the dashboard with a message.
    for url in ("/admin/extranet_retailer_chooser/", "/admin/extranet_retailer_chooser/results/"):
        response = client.get(url, {"q": "3301"})
        assert response.status_code == 302 and response["Location"] == "/admin/"
