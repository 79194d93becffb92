"""The account managers' visit and contact log (issue 16, sources 000, 002, 004): the week's
plan, recording a visit or call, the stores not visited this cycle, the log and its export, the
log on the store's staff profile, and the store seeing who its account manager is."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from extranet.crm.visits import visit_record, visits_plan_week
from extranet.models import Retailer, Visit
from portal.models import AuditEntry
from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory
from tests.factories.people import RetailerLoginFactory
from tests.querycount import assert_bounded_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, intranet):
    user = make_role_user("account_manager")
    client.force_login(user)
    client.user = user
    client.employee = user.employee
    return client


@pytest.fixture
def administrator(client, intranet):
    user = make_role_user("sales_administrator")
    client.force_login(user)
    client.user = user
    return client


def done(retailer, *, days_ago=0, outcome="订了 5 条", way="visit"):
    return visit_record(
        retailer=retailer,
        actor=None,
        done_at=timezone.now() - timedelta(days=days_ago),
        way=way,
        content="检查陈列",
        outcome=outcome,
    )


def test_plan_week_plans_one_visit_per_own_open_store_once(manager):
    mine = OrderingRetailerFactory(account_manager=manager.employee)
    visited = OrderingRetailerFactory(account_manager=manager.employee)
    closed = OrderingRetailerFactory(
        account_manager=manager.employee, business_status=Retailer.BusinessStatus.CLOSED
    )
    others = OrderingRetailerFactory(account_manager=make_role_user("account_manager").employee)
    done(visited)
    response = manager.post(reverse("sales:visits_plan_week"))
    assert response.status_code == 302
    planned = Visit.objects.filter(done_at__isnull=True)
    assert list(planned.values_list("retailer", flat=True)) == [mine.pk]
    visit = planned.get()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    assert today <= visit.planned_on <= monday + timedelta(days=6)
    assert visit.account_manager == manager.employee
    # Again: nothing new; a closed store and another manager's store are never planned.
    assert visits_plan_week(manager=manager.employee, actor=manager.user) == 0
    assert not Visit.objects.filter(retailer__in=[closed, others]).exists()
    page = manager.get(reverse("sales:visits"))
    assert mine.store_name in page.content.decode()


def test_a_monthly_store_visited_this_month_is_not_planned_again(manager):
    store = OrderingRetailerFactory(account_manager=manager.employee, visit_cycle="monthly")
    done(store)
    assert visits_plan_week(manager=manager.employee, actor=manager.user) == 0


def test_record_a_visit_on_the_phone_form_and_see_it_on_the_profile(manager):
    store = OrderingRetailerFactory(account_manager=manager.employee)
    url = reverse("sales:visit_new") + f"?retailer={store.pk}"
    page = manager.get(url)
    html = page.content.decode()
    assert 'type="datetime-local"' in html and 'type="radio"' in html
    when = timezone.localtime() - timedelta(hours=1)
    response = manager.post(
        url,
        {
            "retailer": store.licence_number,
            "way": "phone",
            "done_at": when.strftime("%Y-%m-%dT%H:%M"),
            "place": "",
            "content": "提醒订货",
            "outcome": "同意周三订中华 2 条",
            "next_step": "周三前再确认",
            "next_on": (when.date() + timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.way == "phone" and visit.outcome == "同意周三订中华 2 条"
    assert visit.recorded_by == manager.user and visit.account_manager == manager.employee
    assert AuditEntry.objects.filter(action="retailer.visit_recorded").exists()
    profile = manager.get(reverse("sales:retailer", args=[store.pk])).content.decode()
    assert "同意周三订中华 2 条" in profile and "周三前再确认" in profile


def test_bad_contact_input_is_refused_with_400_and_nothing_saved(manager):
    store = OrderingRetailerFactory(account_manager=manager.employee)
    url = reverse("sales:visit_new")
    future = timezone.localtime() + timedelta(days=1)
    base = {"retailer": store.licence_number, "way": "visit", "outcome": "好"}
    response = manager.post(url, {**base, "done_at": future.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400
    assert "ahead of time" in response.content.decode()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert manager.post(url, {**base, "done_at": now, "outcome": ""}).status_code == 400
    assert manager.post(url, {**base, "done_at": "yesterday"}).status_code == 400
    assert not Visit.objects.exists()


def test_account_manager_cannot_touch_another_managers_store(manager):
    other = OrderingRetailerFactory(account_manager=make_role_user("account_manager").employee)
    visit = done(other, outcome="别人的")
    assert manager.get(reverse("sales:visit", args=[visit.pk])).status_code == 404
    assert manager.get(reverse("sales:visit_cancel", args=[visit.pk])).status_code == 404
    assert manager.get(reverse("sales:visit_new") + f"?retailer={other.pk}").status_code == 404
    response = manager.post(
        reverse("sales:visit_new"),
        {
            "retailer": other.licence_number,
            "way": "visit",
            "done_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "outcome": "x",
        },
    )
    assert response.status_code == 400 and Visit.objects.count() == 1
    assert "别人的" not in manager.get(reverse("sales:visits_log")).content.decode()
    export = manager.get(reverse("sales:visits_export"))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only


def test_not_visited_lists_the_stores_without_a_contact_in_their_cycle(manager):
    visited = OrderingRetailerFactory(account_manager=manager.employee, store_name="已访店")
    waiting = OrderingRetailerFactory(account_manager=manager.employee, store_name="待访店")
    stale = OrderingRetailerFactory(account_manager=manager.employee, store_name="上周店")
    OrderingRetailerFactory(
        account_manager=manager.employee,
        store_name="歇业店",
        business_status=Retailer.BusinessStatus.CLOSED,
    )
    done(visited)
    done(stale, days_ago=7)  # last week: this week's cycle has no contact
    page = manager.get(reverse("sales:visits_not_visited"))
    assert page.context["page"].paginator.count == 2
    rows = page.context["rows"]
    assert waiting.store_name in rows and stale.store_name in rows
    assert visited.store_name not in rows and "歇业店" not in rows


def test_export_has_the_log_rows(administrator):
    store = OrderingRetailerFactory()
    done(store, outcome="补货")
    response = administrator.get(reverse("sales:visits_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "补货" in rows[1]
    bad = administrator.get(
        reverse("sales:visits_export"), {"start": "2026-12-09", "end": "2026-12-01"}
    )
    assert bad.status_code == 400


def test_a_planned_visit_is_dropped_after_confirmation_a_recorded_one_stays(manager):
    store = OrderingRetailerFactory(account_manager=manager.employee)
    visits_plan_week(manager=manager.employee, actor=manager.user)
    planned = Visit.objects.get()
    url = reverse("sales:visit_cancel", args=[planned.pk])
    assert manager.get(url).status_code == 200 and Visit.objects.exists()
    assert manager.post(url).status_code == 302
    assert not Visit.objects.exists()
    recorded = done(store)
    manager.post(reverse("sales:visit_cancel", args=[recorded.pk]))
    assert Visit.objects.filter(pk=recorded.pk).exists()


def test_the_store_sees_its_account_managers_name_and_work_phone_only(client, extranet):
    manager = make_role_user("account_manager").employee
    login = RetailerLoginFactory(retailer=OrderingRetailerFactory(account_manager=manager))
    manager.user.email = "private@example.com"
    manager.user.save()
    client.force_login(login.user)
    html = client.get(reverse("shop:profile")).content.decode()
    assert manager.name in html and manager.phone in html and manager.extension in html
    assert "private@example.com" not in html and manager.employee_number not in html
    assert manager.office not in html


def test_profile_shows_the_five_groups_with_dynamic_marks(administrator):
    store = OrderingRetailerFactory(
        customer_nature="chain", display_form="shelf", licensing_bureau="杭州市烟草专卖局"
    )
    response = administrator.get(reverse("sales:retailer", args=[store.pk]))
    groups = response.context["groups"]
    assert [group["key"] for group in groups] == [
        "basic",
        "network",
        "management",
        "business",
        "personal",
    ]
    items = {str(label): (value, kind) for group in groups for label, value, kind in group["items"]}
    assert sum(len(group["items"]) for group in groups) >= 38
    assert items["settlement method"][1] == "dynamic" and items["visit cycle"][1] == "dynamic"
    assert items["store name"][1] == "static"
    assert str(items["nature of the customer"][0]) == "Chain store"
    assert items["licensing bureau"][0] == "杭州市烟草专卖局"


def _grow_visits(manager_employee):
    def grow(size):
        for _ in range(size):
            store = OrderingRetailerFactory(account_manager=manager_employee)
            done(store)
            Visit.objects.create(
                retailer=store,
                account_manager=manager_employee,
                planned_on=timezone.localdate(),
                created_at=timezone.now(),
            )
            OrderingRetailerFactory(account_manager=manager_employee)

    return grow


@pytest.mark.parametrize("name", ["sales:visits", "sales:visits_not_visited", "sales:visits_log"])
def test_visit_pages_have_bounded_queries(manager, name):
    assert_bounded_queries(manager, reverse(name), _grow_visits(manager.employee), max_queries=16)


def test_profile_with_visits_has_bounded_queries(manager):
    store = OrderingRetailerFactory(account_manager=manager.employee)

    def grow(size):
        for _ in range(size):
            done(store)

    assert_bounded_queries(
        manager, reverse("sales:retailer", args=[store.pk]), grow, max_queries=25
    )


def test_import_takes_the_new_items_optionally_and_refuses_unknown_choices():
    from extranet.crm.imports import retailers_import

    rows = [
        {
            "licence_number": "330199000001",
            "store_name": "新店",
            "customer_nature": "Chain store",
            "display_form": "shelf",
            "visit_cycle": "monthly",
            "registered_capital": "100000",
            "annual_review_on": "2027-03-15",
            "mailing_address": "信箱 9 号",
        },
        {"licence_number": "330199000002", "store_name": "老店"},
    ]
    result = retailers_import(rows=rows, actor=None, apply=True)
    assert [row.action for row in result] == ["create", "create"]
    new = Retailer.objects.get(licence_number="330199000001")
    assert (new.customer_nature, new.display_form, new.visit_cycle) == ("chain", "shelf", "monthly")
    assert str(new.registered_capital) == "100000.00" and new.mailing_address == "信箱 9 号"
    assert new.annual_review_on.isoformat() == "2027-03-15"
    assert Retailer.objects.get(licence_number="330199000002").visit_cycle == "weekly"
    # An update keeps what the file does not name, and refuses an unknown choice whole.
    bad = [{"licence_number": "330199000001", "store_name": "新店", "display_form": "floor"}]
    result = retailers_import(rows=bad, actor=None, apply=True)
    assert result[0].action == "error"
    new.refresh_from_db()
    assert new.display_form == "shelf"
    update = [{"licence_number": "330199000001", "store_name": "新店", "settlement": "credit"}]
    assert retailers_import(rows=update, actor=None, apply=True)[0].action == "update"
    new.refresh_from_db()
    assert new.settlement == "credit" and new.customer_nature == "chain"


def test_the_intranet_home_lists_the_managers_visits_this_week(manager):
    store = OrderingRetailerFactory(account_manager=manager.employee, store_name="首页店")
    visits_plan_week(manager=manager.employee, actor=manager.user)
    html = manager.get("/").content.decode()
    assert "home-visits" in html and "首页店" in html
    manager.force_login(make_role_user("employee"))
    assert "home-visits" not in manager.get("/").content.decode()
    assert store.pk


def test_intranet_home_with_the_visits_panel_has_bounded_queries(manager):
    assert_bounded_queries(manager, "/", _grow_visits(manager.employee), max_queries=40)


@pytest.mark.parametrize("cycle", ["weekly", "fortnightly", "monthly"])
def test_the_due_a_visit_count_agrees_with_the_list_for_each_role(manager, cycle):
    from extranet.crm.selectors import retailers_due_a_visit, retailers_due_a_visit_count

    mine = [
        OrderingRetailerFactory(account_manager=manager.employee, visit_cycle=cycle)
        for _index in range(4)
    ]
    other = make_role_user("account_manager").employee
    OrderingRetailerFactory(account_manager=other, visit_cycle=cycle)
    OrderingRetailerFactory(
        account_manager=manager.employee,
        visit_cycle=cycle,
        business_status=Retailer.BusinessStatus.CLOSED,
    )
    done(mine[0])
    done(mine[1], days_ago=8)
    done(mine[2], days_ago=40)
    today = timezone.localdate()
    employee = make_role_user("employee")
    administrator = make_role_user("sales_administrator")
    for user, manager_filter in [
        (manager.user, None),
        (manager.user, manager.employee),
        (administrator, None),
        (administrator, other),
        (employee, None),
    ]:
        expected = retailers_due_a_visit(user=user, today=today, manager=manager_filter).count()
        assert (
            retailers_due_a_visit_count(user=user, today=today, manager=manager_filter) == expected
        )
    assert retailers_due_a_visit_count(user=manager.user, today=today) >= 2
    assert retailers_due_a_visit_count(user=employee, today=today) == 0
