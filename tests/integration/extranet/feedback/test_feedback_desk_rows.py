"""The feedback desk's list and figures read with written-out SQL (extranet.feedback.desk_rows):
the same rows and figures as the ORM selectors they mirror for each role and filter, and the
list page built from two statements instead of the ORM's four."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from extranet.feedback.desk_rows import FIELDS, FeedbackRows, desk_figures
from extranet.feedback.selectors import (
    callback_rates_by_month,
    feedback_filtered,
    overdue_by_account_manager,
)
from tests.conftest import make_role_user
from tests.factories.extranet import FeedbackFactory, OrderingRetailerFactory

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
        overdue, rates = desk_figures(user=user, now=NOW)
        assert overdue == overdue_by_account_manager(user=user, now=NOW)
        assert rates == callback_rates_by_month(user=user, now=NOW)
    mine = FeedbackRows(user=first, now=NOW)[0:50]
    assert mine and {row["assigned_to__name"] for row in mine} == {first.employee.name}
    overdue, rates = desk_figures(user=administrator, now=NOW)
    assert len(overdue) == 3 and len(rates) == 2  # both managers and the unassigned item
    assert FeedbackRows(user=employee, now=NOW)[0:50] == []
    assert desk_figures(user=employee, now=NOW) == ([], [])


def test_list_page_reads_rows_and_figures_in_written_out_statements(client, intranet, managers):
    first, second = managers
    client.force_login(first)
    url = reverse("sales:feedback") + "?overdue=on"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    reads = [query["sql"] for query in queries if "extranet_feedback" in query["sql"]]
    # The page with the count, and the figures.
    assert len(reads) == 2
    assert all('"extranet_feedback" f' in sql for sql in reads)
    expected = feedback_filtered(user=first, overdue=True)
    assert len(response.context["page"].object_list) == expected.count() > 0
