"""The feedback desk's figures and list length kept in the cache (extranet.feedback.desk_kept):
the same as when read, no statement but the page's rows once kept, forgotten at once when an
item, an account manager or the head of sales changes, read again the moment a call-back not
made falls due, and never shown to a reader who sees other items."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from extranet.feedback.desk_kept import feedback_desk
from extranet.feedback.desk_rows import FIELDS
from extranet.feedback.selectors import (
    callback_rates_by_month,
    feedback_filtered,
    overdue_by_account_manager,
)
from extranet.feedback.services import feedback_callback_record, feedback_reassign, feedback_submit
from tests.conftest import make_role_user
from tests.factories.extranet import FeedbackFactory, OrderingRetailerFactory
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


# A fixed moment, in the middle of a month's day: the months of the rates stay the same around
# it (they start from a day 341 days back).
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def desk():
    """Two account managers' items, some overdue, some called back, one falling due an hour
    after `NOW`."""
    now = NOW
    first = make_role_user("account_manager")
    second = make_role_user("account_manager")
    items = []
    for index in range(8):
        owner = first if index % 2 else second
        item = FeedbackFactory(
            retailer=OrderingRetailerFactory(account_manager=owner.employee),
            submitted_at=now - timedelta(days=index, hours=30),
        )
        if index % 3 == 0:
            item.called_back_at = item.submitted_at + timedelta(hours=index * 10)
            item.save()
        items.append(item)
    pending = FeedbackFactory(
        retailer=OrderingRetailerFactory(account_manager=first.employee),
        submitted_at=now - timedelta(hours=23),
    )
    return first, second, items, pending


def _expected(user, now, **filters):
    return (
        overdue_by_account_manager(user=user, now=now),
        callback_rates_by_month(user=user, now=now),
        feedback_filtered(user=user, now=now, **filters).count(),
    )


def _fresh(user):
    """The user as a new request has it: nothing known yet of the departments it heads."""
    return type(user).objects.get(pk=user.pk)


def _got(user, now, **filters):
    found = feedback_desk(user=_fresh(user), now=now, **filters)
    page = found.rows.page(1, 50)
    return (
        found.figures.overdue_by_manager,
        found.figures.rates,
        page.paginator.count,
    ), page


def _feedback_reads(queries) -> list[str]:
    return [query["sql"] for query in queries if "extranet_feedback" in query["sql"]]


def test_kept_figures_are_those_read_and_only_the_rows_are_read_again(desk):
    first, second, items, pending = desk
    administrator = make_role_user("sales_administrator")
    now = NOW
    for user in (first, second, administrator):
        for filters in ({}, {"overdue": True}, {"kind": "complaint", "status": "open"}):
            with CaptureQueriesContext(connection) as queries:
                got, page = _got(user, now, **filters)
            assert len(_feedback_reads(queries)) == 2  # the figures, the rows
            assert got == _expected(user, now, **filters)
            rows = list(feedback_filtered(user=user, now=now, **filters).values(*FIELDS))
            assert list(page.object_list) == rows
            later = now + timedelta(seconds=1)
            with CaptureQueriesContext(connection) as queries:
                again, page = _got(user, later, **filters)
            assert len(_feedback_reads(queries)) == 1  # the rows only
            assert again == got == _expected(user, later, **filters)
            assert list(page.object_list) == rows


def test_a_call_back_falling_due_is_counted_at_that_moment(desk):
    first, second, items, pending = desk
    now = NOW
    due = pending.callback_due_at
    before, _page = _got(first, now, overdue=True)
    with CaptureQueriesContext(connection) as queries:
        just_before, _page = _got(first, due - timedelta(microseconds=1), overdue=True)
    assert len(_feedback_reads(queries)) == 1 and just_before == before
    with CaptureQueriesContext(connection) as queries:
        at_due, page = _got(first, due, overdue=True)
    assert len(_feedback_reads(queries)) == 2
    assert at_due == _expected(first, due, overdue=True)
    assert at_due[2] == before[2] + 1
    assert pending.pk in [row["pk"] for row in page.object_list]


def test_a_call_back_recorded_a_new_item_or_a_reassignment_shows_at_once(desk):
    first, second, items, pending = desk
    administrator = make_role_user("sales_administrator")
    overdue = next(item for item in items if item.called_back_at is None)
    _got(administrator, timezone.now(), overdue=True)

    def check():
        now = timezone.now()
        assert _got(administrator, now, overdue=True)[0] == _expected(
            administrator, now, overdue=True
        )

    feedback_callback_record(
        feedback=overdue,
        actor=administrator,
        called_at=timezone.now() - timedelta(minutes=1),
        method="phone",
        summary="已回访",
    )
    check()
    feedback_submit(
        retailer=OrderingRetailerFactory(account_manager=first.employee),
        user=None,
        kind="complaint",
        text="送货晚了",
        now=timezone.now() - timedelta(days=2),
    )
    check()
    late = next(item for item in items if item.called_back_at is None and item.pk != overdue.pk)
    feedback_reassign(feedback=late, actor=administrator, employee=first.employee)
    check()


def test_an_account_managers_new_name_shows_at_once(desk):
    first, second, items, pending = desk
    administrator = make_role_user("sales_administrator")
    _got(administrator, timezone.now())
    first.employee.name = "新名字"
    first.employee.save()
    got, _page = _got(administrator, timezone.now())
    assert "新名字" in [row["assigned_to__name"] for row in got[0]]


def test_the_head_of_sales_sees_all_at_once(desk):
    first, second, items, pending = desk
    now = timezone.now()
    assert _got(first, now)[0] == _expected(first, now)
    sales = DepartmentFactory(code="sales")
    sales.head = first.employee
    sales.save()
    got, page = _got(first, now)
    assert got[2] == len(items) + 1  # every item
    assert got == _expected(_fresh(first), now)


def test_the_alerts_marks_keep_the_figures(desk):
    first, second, items, pending = desk
    now = timezone.now()
    _got(first, now)
    pending.warned_at = now
    pending.save(update_fields=["warned_at"])
    with CaptureQueriesContext(connection) as queries:
        _got(first, now)
    assert len(_feedback_reads(queries)) == 1


def test_the_list_page_shows_the_kept_figures(client, intranet, desk):
    first, second, items, pending = desk
    client.force_login(first)
    url = reverse("sales:feedback") + "?overdue=on"
    first_response = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert len(_feedback_reads(queries)) == 1
    for key in ("overdue_by_manager", "rates"):
        assert again.context[key] == first_response.context[key]
    assert again.context["page"].paginator.count == (
        feedback_filtered(user=first, overdue=True).count()
    )
    assert again.context["overdue_by_manager"] == overdue_by_account_manager(user=first)
