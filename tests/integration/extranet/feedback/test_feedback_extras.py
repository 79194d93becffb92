"""Feedback extras: the Excel export (with the staff list's filters), the effective complaints
page, and the status mail to the retailer when its feedback is called back or resolved."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from extranet.feedback.services import feedback_callback_record, feedback_resolve
from portal.permissions import Role
from tests.factories.extranet import FeedbackFactory, OrderingRetailerFactory
from tests.factories.people import EmployeeFactory, RetailerLoginFactory, UserFactory
from tests.querycount import assert_bounded_queries
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def staff(role):
    return EmployeeFactory(user=UserFactory(roles=[role]))


def rows_of(response):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_follows_the_filters_and_what_the_user_may_see(client, intranet):
    am = staff(Role.ACCOUNT_MANAGER)
    mine = OrderingRetailerFactory(account_manager=am, region="西湖区")
    complaint = FeedbackFactory(retailer=mine, text="=HYPERLINK(1)")
    praise = FeedbackFactory(retailer=mine, kind="praise")
    others = FeedbackFactory()
    client.force_login(am.user)
    url = reverse("sales:feedback_export")
    rows = rows_of(client.get(url))
    numbers = [row[0] for row in rows[1:]]
    assert sorted(numbers) == sorted([complaint.number, praise.number])
    assert others.number not in numbers
    assert "'=HYPERLINK(1)" in rows[1] + rows[2]  # formulas neutralised
    rows = rows_of(client.get(url + "?kind=praise"))
    assert [row[0] for row in rows[1:]] == [praise.number]
    assert client.get(url + "?kind=nonsense").status_code == 400
    client.force_login(staff(Role.SALES_ADMINISTRATOR).user)
    assert len(rows_of(client.get(url))) == 4
    client.force_login(EmployeeFactory().user)
    assert client.get(url).status_code == 403


def test_effective_complaints_page_for_the_sales_department(client, intranet):
    retailer = OrderingRetailerFactory()
    flagged = [FeedbackFactory(retailer=retailer, is_effective_complaint=True) for _ in range(2)]
    plain = FeedbackFactory(retailer=retailer)
    old = FeedbackFactory(
        is_effective_complaint=True, submitted_at=timezone.now() - timedelta(days=400)
    )
    client.force_login(staff(Role.SALES_ADMINISTRATOR).user)
    url = reverse("sales:feedback_effective")
    html = client.get(url).content.decode()
    assert all(item.number in html for item in flagged) and old.number in html
    assert plain.number not in html
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = client.get(url + f"?start={since}")
    html = response.content.decode()
    assert old.number not in html
    assert response.context["per_retailer"][0]["count"] == 2
    assert client.get(url + "?start=not-a-date").status_code == 400
    client.force_login(staff(Role.ACCOUNT_MANAGER).user)
    assert client.get(url).status_code == 403


def test_effective_page_runs_a_bounded_number_of_queries(client, intranet):
    client.force_login(staff(Role.SALES_ADMINISTRATOR).user)

    def grow(size):
        from extranet.models import Feedback

        while Feedback.objects.count() < size:
            FeedbackFactory(is_effective_complaint=True)

    assert_bounded_queries(client, reverse("sales:feedback_effective"), grow, max_queries=12)


def test_retailer_is_mailed_when_called_back_and_when_resolved(django_capture_on_commit_callbacks):
    am = staff(Role.ACCOUNT_MANAGER)
    retailer = OrderingRetailerFactory(account_manager=am)
    login = RetailerLoginFactory(retailer=retailer)
    RetailerLoginFactory(retailer=retailer, user__email="", user__username="second")  # no address
    feedback = FeedbackFactory(retailer=retailer, submitted_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        feedback_callback_record(
            feedback=feedback,
            actor=am.user,
            called_at=timezone.now() - timedelta(hours=1),
            method="phone",
            summary="已电话联系",
        )
    assert not mail.outbox  # queued, not sent in the request
    run_worker("default")
    assert [m.to for m in mail.outbox] == [[login.user.email]]
    assert feedback.number in mail.outbox[0].subject and "已电话联系" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        feedback_resolve(feedback=feedback, actor=am.user, resolution="已补发货")
    run_worker("default")
    assert len(mail.outbox) == 2 and "已补发货" in mail.outbox[1].body
