"""The feedback desk's list and figures read with written-out SQL (extranet.feedback.desk_rows):
the same rows, figures and list length as the ORM selectors they mirror for each role and filter,
and the list page built from two statements instead of the ORM's four (one once the figures are
kept: test_feedback_desk_kept)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from extranet import permissions
from extranet.feedback.desk_rows import FIELDS, FeedbackRows, desk_figures, listed_where
from extranet.feedback.models import Feedback
from extranet.feedback.selectors import (
    callback_rates_by_month,
    feedback_filtered,
    feedback_forget,
    overdue_by_account_manager,
)
from portal.selectors import employee_of
from tests.conftest import make_role_user
from tests.factories.extranet import FeedbackFactory, OrderingRetailerFactory
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture
def managers():
    """Two account managers' feedback over two months (one submitted early on a month's first
    morning, local time: October in UTC), called back in time, late or not at all; one
    unassigned item."""
    first = make_role_user("account_manager")
    second = make_role_user("account_manager")
    for index in range(14):
        owner = first if index % 3 else second
        retailer = OrderingRetailerFactory(account_manager=owner.employee)
        submitted = NOW - timedelta(days=3 * index, hours=index)
        if index == 5:
            submitted = datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI)
        item = FeedbackFactory(
            retailer=retailer,
            submitted_at=submitted,
            kind="complaint" if index % 2 else "suggestion",
            is_effective_complaint=index % 4 == 0,
        )
        if index % 3 == 1:
            item.called_back_at = item.submitted_at + timedelta(hours=2)
        elif index % 5 == 2:
            item.called_back_at = item.submitted_at + timedelta(hours=40)
        if index % 6 == 0:
            item.status = "resolved"
        item.save()
    FeedbackFactory(
        retailer=OrderingRetailerFactory(account_manager=None),
        submitted_at=NOW - timedelta(days=2),
        assigned_to=None,
    )
    return first, second


def test_rows_and_figures_are_the_selectors_for_each_role_and_filter(managers):
    first, second = managers
    administrator = make_role_user("sales_administrator")
    employee = make_role_user("employee")
    for user in (first, second, administrator, employee):
        for filters in (
            {},
            {"overdue": True},
            {"kind": "complaint"},
            {"status": "resolved", "overdue": True},
        ):
            expected = list(feedback_filtered(user=user, now=NOW, **filters).values(*FIELDS))
            rows = FeedbackRows(user=user, now=NOW, **filters)
            assert rows.count() == len(expected)
            pages = Paginator(rows, 4)
            assert [row for number in pages.page_range for row in pages.page(number)] == expected
            # The list's length read with the figures.
            listed = listed_where(user=user, now=NOW, **filters)
            assert desk_figures(user=user, now=NOW, listed=listed).count == len(expected)
        figures = desk_figures(user=user, now=NOW)
        assert figures.overdue_by_manager == overdue_by_account_manager(user=user, now=NOW)
        assert figures.rates == callback_rates_by_month(user=user, now=NOW)
    mine = FeedbackRows(user=first, now=NOW)[0:50]
    assert mine and {row["assigned_to__name"] for row in mine} == {first.employee.name}
    figures = desk_figures(user=administrator, now=NOW)
    # Both managers and the unassigned item.
    assert len(figures.overdue_by_manager) == 3 and len(figures.rates) == 2
    assert FeedbackRows(user=employee, now=NOW)[0:50] == []
    figures = desk_figures(user=employee, now=NOW)
    assert (figures.overdue_by_manager, figures.rates, figures.count) == ([], [], 0)


def test_figures_say_until_when_they_hold(managers):
    """The first due time after now of a call-back not made, whoever's: at that moment an item
    becomes overdue and the figures change."""
    first, second = managers
    pending = FeedbackFactory(
        retailer=OrderingRetailerFactory(account_manager=second.employee),
        submitted_at=NOW - timedelta(hours=2),
        assigned_to=second.employee,
    )
    FeedbackFactory(  # called back already: nothing changes when it falls due
        retailer=OrderingRetailerFactory(),
        submitted_at=NOW - timedelta(hours=3),
        called_back_at=NOW - timedelta(hours=1),
    )
    figures = desk_figures(user=first, now=NOW)
    assert figures.until == pending.callback_due_at > NOW
    assert figures.read_at == NOW and figures.hold_at(NOW)
    assert figures.hold_at(pending.callback_due_at - timedelta(microseconds=1))
    assert not figures.hold_at(pending.callback_due_at)
    assert not figures.hold_at(NOW - timedelta(seconds=1))  # read for a later moment
    # Then the item is overdue; the figures hold until the next one falls due, or for ever.
    due = pending.callback_due_at
    listed = listed_where(user=second, overdue=True, now=due)
    later = desk_figures(user=second, now=due, listed=listed)
    assert later.count == feedback_filtered(user=second, overdue=True, now=due).count()
    assert pending in feedback_filtered(user=second, overdue=True, now=due)
    assert later.overdue_by_manager == overdue_by_account_manager(user=second, now=due)
    after = Feedback.objects.filter(called_back_at__isnull=True, callback_due_at__gt=due)
    assert later.until == min(item.callback_due_at for item in after)
    for item in after:
        item.called_back_at = due
        item.save()
    assert desk_figures(user=second, now=due).until is None
    assert desk_figures(user=second, now=due).hold_at(due + timedelta(days=365))


def test_list_page_reads_rows_and_figures_in_written_out_statements(client, intranet, managers):
    first, second = managers
    client.force_login(first)
    url = reverse("sales:feedback") + "?overdue=on"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    reads = [query["sql"] for query in queries if "extranet_feedback" in query["sql"]]
    # The page, the figures kept with the list's length (read with them on the first request).
    assert len(reads) == 1
    assert all('"extranet_feedback" f' in sql for sql in reads)
    expected = feedback_filtered(user=first, overdue=True)
    assert len(response.context["page"].object_list) == expected.count() > 0
    assert response.context["page"].paginator.count == expected.count()


def _headed(code, user):
    department = DepartmentFactory(code=code)
    department.head = user.employee
    department.save()
    return department


def _fresh(user):
    """The user as a new request has it: nothing known yet of the departments it heads."""
    return type(user).objects.get(pk=user.pk)


def test_the_sales_head_sees_all_read_inside_the_desks_statements(managers):
    first, second = managers
    head_manager = make_role_user("account_manager")
    other_head = make_role_user("employee")
    sales = _headed("sales", head_manager)
    _headed("quality", other_head)
    for user, sees_all in ((head_manager, True), (other_head, False), (first, False)):
        for filters in ({}, {"overdue": True}):
            expected = feedback_filtered(user=_fresh(user), now=NOW, **filters)
            expected = list(expected.values(*FIELDS))
            pages = Paginator(FeedbackRows(user=_fresh(user), now=NOW, **filters), 4)
            got = [row for number in pages.page_range for row in pages.page(number)]
            assert got == expected, (user, filters)
        reader = _fresh(user)
        permissions.is_sales_staff(reader)  # the roles and the employee, read with the user
        employee_of(reader)
        with CaptureQueriesContext(connection) as queries:
            figures = desk_figures(user=reader, now=NOW)
            known = permissions.may_see_all_feedback(reader)
        assert (figures.overdue_by_manager, figures.rates) == (
            overdue_by_account_manager(user=_fresh(user), now=NOW),
            callback_rates_by_month(user=_fresh(user), now=NOW),
        )
        assert figures.heads is sees_all
        # Whether the reader heads the sales department came with the figures.
        assert known is sees_all and len(queries) == 1, user
    assert len(FeedbackRows(user=_fresh(head_manager), now=NOW)[0:50]) == 15
    assert FeedbackRows(user=_fresh(other_head), now=NOW)[0:50] == []
    # No longer the head: the account manager's own items only (none).
    sales.head = None
    sales.save()
    assert FeedbackRows(user=_fresh(head_manager), now=NOW)[0:50] == []


def test_list_page_of_the_sales_head_asks_no_query_of_its_own(client, intranet, managers):
    head_manager = make_role_user("account_manager")
    _headed("sales", head_manager)
    client.force_login(head_manager)
    url = reverse("sales:feedback")
    client.get(url)
    # Once the feedback changed, a request reads the figures (and whether the user heads sales)
    # and the page; the next one finds them kept, with the answer.
    feedback_forget()
    for reads_expected in (2, 1):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and response.context["sees_all"]
        reads = [query["sql"] for query in queries]
        assert not [sql for sql in reads if "department" in sql and "extranet_feedback" not in sql]
        assert len([sql for sql in reads if "extranet_feedback" in sql]) == reads_expected
        assert len(response.context["page"].object_list) == 15  # every item
