"""The visit pages' lists read with written-out SQL (extranet.crm.visit_rows): the same rows
as the ORM's `retailers_not_visited` and `week_visits` for each role and filter, paged, and the
pages built without the ORM's queries."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from extranet.crm.selectors import retailers_not_visited, visits_filtered, week_visits
from extranet.crm.visit_rows import (
    FIELDS,
    LOG_FIELDS,
    WEEK_FIELDS,
    VisitLogRows,
    WeekVisitRows,
    retailers_not_visited_rows,
)
from extranet.crm.visits import visit_plan, visit_record, visits_forget, week_start_of
from extranet.models import Retailer
from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory

pytestmark = pytest.mark.django_db


def _done(retailer, days_ago):
    visit_record(
        retailer=retailer,
        actor=None,
        done_at=timezone.now() - timedelta(days=days_ago),
        way="visit",
        content="检查陈列",
        outcome="",
    )


@pytest.fixture
def stores():
    """Two account managers' stores of every cycle, some visited long ago, some planned, one
    closed."""
    first = make_role_user("account_manager")
    second = make_role_user("account_manager")
    today = timezone.localdate()
    stores = []
    for index, cycle in enumerate(["weekly", "fortnightly", "monthly"] * 3):
        owner = first if index % 2 == 0 else second
        store = OrderingRetailerFactory(account_manager=owner.employee, visit_cycle=cycle)
        stores.append(store)
        if index % 3 == 1:
            _done(store, days_ago=45 + index)
            _done(store, days_ago=60 + index)
        if index % 4 == 0:
            visit_plan(retailer=store, planned_on=today + timedelta(days=index), actor=None)
            visit_plan(retailer=store, planned_on=today + timedelta(days=index + 2), actor=None)
    _done(stores[0], days_ago=0)
    OrderingRetailerFactory(
        account_manager=first.employee, business_status=Retailer.BusinessStatus.CLOSED
    )
    OrderingRetailerFactory(account_manager=None)
    return first, second


def test_not_visited_rows_are_the_orm_rows_for_each_role(stores):
    first, second = stores
    today = timezone.localdate()
    administrator = make_role_user("sales_administrator")
    employee = make_role_user("employee")
    for user, manager in [
        (first, first.employee),
        (first, None),
        (second, second.employee),
        (administrator, None),
        (administrator, second.employee),
        (employee, None),
    ]:
        expected = list(
            retailers_not_visited(user=user, today=today, manager=manager).values(*FIELDS)
        )
        rows = retailers_not_visited_rows(user=user, today=today, manager=manager)
        assert rows.count() == len(expected)
        assert rows[0 : len(expected) + 5] == expected
        # Paged: the pages together are the list.
        pages = Paginator(rows, 3)
        assert [row for number in pages.page_range for row in pages.page(number)] == expected
    mine = retailers_not_visited_rows(user=first, today=today, manager=first.employee)
    assert {row["account_manager__name"] for row in mine[0:50]} == {first.employee.name}
    assert any(row["last_contact_at"] for row in mine[0:50])
    assert any(row["next_planned_id"] for row in mine[0:50])
    assert retailers_not_visited_rows(user=employee, today=today)[0:50] == []


def test_not_visited_page_reads_its_rows_without_the_orm_query(client, intranet, stores):
    first, second = stores
    client.force_login(first)
    url = reverse("sales:visits_not_visited")
    client.get(url)
    visits_forget()  # what was kept of the first request forgotten: read again
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    retailer_queries = [query["sql"] for query in queries if "extranet_retailer" in query["sql"]]
    # The page with the count, one written-out statement over the retailers `r`.
    assert len(retailer_queries) == 1
    assert all('"extranet_retailer" r ' in sql for sql in retailer_queries)
    # Then kept (extranet.desk.visits_kept).
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).context["rows"] == response.context["rows"]
    assert not [query for query in queries if "extranet_retailer" in query["sql"]]
    html = response.content.decode()
    expected = retailers_not_visited(
        user=first, today=timezone.localdate(), manager=first.employee
    ).values_list("store_name", flat=True)
    assert expected and all(name in html for name in expected)


def test_week_rows_are_the_orm_rows_for_each_role_and_week(stores):
    first, second = stores
    today = timezone.localdate()
    # Contacts done late in the evening and early in the morning (local time) of the week's
    # edges, and planned ones, in this week and the next.
    last_monday = week_start_of(today) - timedelta(days=7)
    midnight = timezone.make_aware(datetime.combine(last_monday, datetime.min.time()))
    for store in Retailer.objects.exclude(account_manager=None)[:6]:
        for hours in (-1, 1, 23, 24 * 7 - 1, 24 * 7 + 1):
            visit_record(
                retailer=store,
                actor=None,
                done_at=midnight + timedelta(hours=hours),
                way="phone",
                content="电话",
                outcome="",
                now=midnight + timedelta(days=30),
            )
    administrator = make_role_user("sales_administrator")
    employee = make_role_user("employee")
    for monday in (last_monday, week_start_of(today), week_start_of(today) + timedelta(days=7)):
        for user, manager in [
            (first, first.employee),
            (first, None),
            (second, None),
            (administrator, None),
            (administrator, second.employee),
            (employee, None),
        ]:
            visits = week_visits(user=user, monday=monday, manager=manager)
            expected = list(visits.values(*WEEK_FIELDS))
            rows = WeekVisitRows(user=user, monday=monday, manager=manager)
            assert rows.count() == len(expected)
            pages = Paginator(rows, 4)
            assert [row for number in pages.page_range for row in pages.page(number)] == expected
    mine = WeekVisitRows(user=first, monday=week_start_of(today))[0:100]
    assert mine and all(row["retailer_id"] in _stores_of(first) for row in mine)


def _stores_of(user):
    return set(Retailer.objects.filter(account_manager=user.employee).values_list("pk", flat=True))


def test_week_page_reads_its_rows_without_the_orm_query(client, intranet, stores):
    first, second = stores
    client.force_login(first)
    url = reverse("sales:visits")
    client.get(url)
    cache.clear()  # what the page keeps (extranet.desk.visits_kept): read here
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    visit_queries = [query["sql"] for query in queries if "extranet_visit" in query["sql"]]
    # The page with the count, and the due-a-visit count, each one written-out statement.
    assert len(visit_queries) == 2
    assert all('extranet_visit" v' in sql or 'extranet_retailer" r' in sql for sql in visit_queries)
    html = response.content.decode()
    expected = week_visits(user=first, monday=week_start_of(timezone.localdate()))
    assert expected and all(visit.retailer.store_name in html for visit in expected)


def test_log_rows_are_the_orm_rows_for_each_role_and_filter(stores):
    first, second = stores
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    for store in Retailer.objects.exclude(account_manager=None)[:4]:
        for hours in (-1, 1, 23):
            visit_record(
                retailer=store,
                actor=None,
                done_at=midnight - timedelta(days=3, hours=hours),
                way="phone",
                content="电话\r\n回访",
                outcome="<b>好</b>",
                now=midnight,
            )
    administrator = make_role_user("sales_administrator")
    employee = make_role_user("employee")
    store = Retailer.objects.filter(account_manager=first.employee).first()
    filters = [
        {},
        {"retailer": store},
        {"manager": second.employee},
        {"way": "phone"},
        {"way": "visit", "state": "done"},
        {"state": "planned"},
        {"start": today - timedelta(days=3)},
        {"end": today - timedelta(days=3)},
        {"start": today - timedelta(days=50), "end": today + timedelta(days=3)},
    ]
    for user in (first, second, administrator, employee):
        for given in filters:
            expected = list(visits_filtered(user=user, **given).values(*LOG_FIELDS))
            rows = VisitLogRows(user=user, **given)
            assert rows.count() == len(expected), (user, given)
            pages = Paginator(rows, 4)
            got = [row for number in pages.page_range for row in pages.page(number)]
            assert got == expected, (user, given)
    assert VisitLogRows(user=administrator, none=True).count() == 0
    mine = VisitLogRows(user=first)[0:100]
    assert mine and all(row["retailer_id"] in _stores_of(first) for row in mine)


def test_log_page_reads_its_rows_without_the_orm_query(client, intranet, stores):
    first, second = stores
    client.force_login(first)
    url = reverse("sales:visits_log")
    client.get(url)
    cache.clear()  # what the page keeps (extranet.desk.visits_kept): read here
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    visit_queries = [query["sql"] for query in queries if "extranet_visit" in query["sql"]]
    # The page with the count, one written-out statement.
    assert len(visit_queries) == 1
    assert all('extranet_visit" v' in sql for sql in visit_queries)
    html = response.content.decode()
    expected = visits_filtered(user=first)
    assert expected and all(visit.retailer.store_name in html for visit in expected)
    assert not any(visit.retailer.store_name in html for visit in visits_filtered(user=second))
    assert client.get(url, {"start": "2020-02-02", "end": "2020-01-01"}).status_code == 400
