"""The week's and the log's rows kept in the cache (extranet.desk.visits_kept): the same page as
when it was read, no statement over the visits once kept, and forgotten at once when a visit, a
plan, a store or an account manager changes; never shown to a reader who sees other stores."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from extranet.crm.models import Visit
from extranet.crm.visits import visit_cancel, visit_plan, visit_record, visits_plan_week
from extranet.desk.views import PAGE_SIZE
from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory

pytestmark = pytest.mark.django_db

URL = reverse("sales:visits")


@pytest.fixture
def manager(client, intranet):
    user = make_role_user("account_manager")
    client.force_login(user)
    client.user = user
    return client


def _record(store, *, outcome="订了 5 条"):
    return visit_record(
        retailer=store,
        actor=None,
        done_at=timezone.now(),
        way="visit",
        content="检查陈列",
        outcome=outcome,
    )


_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]*"')


def _html(response) -> str:
    """The page with its masked CSRF tokens (new on every request) blanked."""
    return _TOKEN.sub(r'\1""', response.content.decode())


def _visit_reads(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "extranet_visit" in query["sql"] or '"extranet_retailer" r' in query["sql"]
    ]


def test_the_kept_page_is_the_page_read_and_asks_no_statement(manager):
    store = OrderingRetailerFactory(account_manager=manager.user.employee)
    _record(store)
    with CaptureQueriesContext(connection) as queries:
        first = manager.get(URL)
    assert _visit_reads(queries)
    with CaptureQueriesContext(connection) as queries:
        again = manager.get(URL)
    assert again.status_code == 200
    assert _visit_reads(queries) == []
    assert _html(again) == _html(first)
    assert store.store_name in again.content.decode()
    # A cache cleared: read again, the same page.
    cache.clear()
    assert _html(manager.get(URL)) == _html(first)


def test_a_new_visit_shows_at_once(manager):
    store = OrderingRetailerFactory(account_manager=manager.user.employee)
    other = OrderingRetailerFactory(account_manager=manager.user.employee)
    manager.get(URL)
    assert other.store_name not in manager.get(URL).content.decode()
    _record(other, outcome="新的结果")
    assert "新的结果" in manager.get(URL).content.decode()
    # A plan, its drop, the week's plans in bulk and a store renamed, each seen at once.
    planned = visit_plan(retailer=store, planned_on=timezone.localdate(), actor=None)
    html = manager.get(URL).content.decode()
    assert f"/sales/visits/{planned.pk}/cancel/" in html
    visit_cancel(visit=planned, actor=manager.user)
    assert f"/sales/visits/{planned.pk}/cancel/" not in manager.get(URL).content.decode()
    third = OrderingRetailerFactory(account_manager=manager.user.employee, store_name="第三家店")
    manager.get(URL)
    assert visits_plan_week(manager=manager.user.employee, actor=manager.user) > 0
    assert "第三家店" in manager.get(URL).content.decode()
    third.store_name = "改名的店"
    third.save()
    assert "改名的店" in manager.get(URL).content.decode()


def test_the_not_visited_count_follows_a_recorded_visit(manager):
    store = OrderingRetailerFactory(account_manager=manager.user.employee)
    assert manager.get(URL).context["not_visited"] == 1
    _record(store)
    assert manager.get(URL).context["not_visited"] == 0


def test_another_manager_never_sees_the_kept_rows(client, intranet):
    first = make_role_user("account_manager")
    second = make_role_user("account_manager")
    mine = OrderingRetailerFactory(account_manager=first.employee, store_name="甲的店")
    theirs = OrderingRetailerFactory(account_manager=second.employee, store_name="乙的店")
    _record(mine)
    _record(theirs)
    client.force_login(first)
    assert "甲的店" in client.get(URL).content.decode()
    client.force_login(second)
    html = client.get(URL).content.decode()
    assert "乙的店" in html and "甲的店" not in html
    # The store reassigned: its visits leave the first manager's week at once.
    client.force_login(first)
    assert "甲的店" in client.get(URL).content.decode()
    mine.account_manager = second.employee
    mine.save()
    assert "甲的店" not in client.get(URL).content.decode()


def test_kept_pages_are_the_paginators_pages(manager):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for _ in range(PAGE_SIZE + 3):
        store = OrderingRetailerFactory(account_manager=manager.user.employee)
        Visit.objects.create(
            retailer=store,
            account_manager=manager.user.employee,
            planned_on=monday,
            created_at=timezone.now(),
        )
    for _ in range(2):  # read, then kept
        for number, (shown, rows) in {
            "1": (1, PAGE_SIZE),
            "2": (2, 3),
            "3": (2, 3),
            "0": (2, 3),
            "x": (1, PAGE_SIZE),
        }.items():
            response = manager.get(URL, {"page": number})
            page = response.context["page"]
            assert (page.number, page.paginator.count) == (shown, PAGE_SIZE + 3), number
            assert response.content.decode().count("/cancel/") == rows, number


def test_the_log_keeps_its_page_and_shows_a_new_contact_at_once(manager):
    log = reverse("sales:visits_log")
    store = OrderingRetailerFactory(account_manager=manager.user.employee)
    _record(store, outcome="第一次")
    first = manager.get(log)
    with CaptureQueriesContext(connection) as queries:
        again = manager.get(log)
    assert _visit_reads(queries) == [] and _html(again) == _html(first)
    _record(store, outcome="第二次")
    html = manager.get(log).content.decode()
    assert "第一次" in html and "第二次" in html
    # A filter is its own entry: the way asked for only.
    phone = manager.get(log, {"way": "phone"}).content.decode()
    assert "第二次" not in phone
    manager.employee = manager.user.employee
    manager.employee.name = "新名字"
    manager.employee.save()
    assert "新名字" in manager.get(log).content.decode()


def test_the_stores_not_visited_are_kept_and_follow_a_contact_at_once(manager):
    not_visited = reverse("sales:visits_not_visited")
    store = OrderingRetailerFactory(account_manager=manager.user.employee, store_name="未访店")
    other = OrderingRetailerFactory(account_manager=manager.user.employee, store_name="另一家")
    first = manager.get(not_visited)
    assert "未访店" in first.content.decode() and first.context["page"].paginator.count == 2
    with CaptureQueriesContext(connection) as queries:
        again = manager.get(not_visited)
    assert _visit_reads(queries) == [] and _html(again) == _html(first)
    # A contact recorded, a visit planned, a store renamed: each seen at once.
    _record(store)
    html = manager.get(not_visited).content.decode()
    assert "未访店" not in html and "另一家" in html
    planned = visit_plan(retailer=other, planned_on=timezone.localdate(), actor=None)
    assert f"/sales/visits/{planned.pk}/" in manager.get(not_visited).content.decode()
    other.store_name = "改名的店"
    other.save()
    assert "改名的店" in manager.get(not_visited).content.decode()
    # Another manager never sees them.
    someone = make_role_user("account_manager")
    manager.force_login(someone)
    assert "改名的店" not in manager.get(not_visited).content.decode()
