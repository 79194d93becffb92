"""The acknowledgement report's department counts and pages of people are kept in the cache
(counting a factory-wide notice's audience reads every employee): what a kept copy shows is
always what reading afresh shows, whatever changed in between — a read, an acknowledgement, an
employee, their account, a department or the notice's audience."""

import pytest
from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins import acknowledgements
from bulletins.acknowledgements import (
    REPORT_PAGE_SIZE,
    _report_counts_sql,
    acknowledgement_report,
    report_counts,
    report_key,
    report_people,
)
from bulletins.report_people import ReportPeopleRows
from bulletins.selectors import STAFF_GENERATION
from bulletins.services import notice_acknowledge, notice_read_record
from bulletins.views import _listed
from portal.models import User
from portal.services import employee_deactivate, employee_reactivate
from tests.factories.bulletins import NoticeFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

PEOPLE_FIELDS = ("name", "department_id", "read_at", "acknowledged_at")


def counted_afresh(notice):
    with connection.cursor() as cursor:
        cursor.execute(*_report_counts_sql(notice))
        return [tuple(row) for row in cursor.fetchall()]


def totals(notice):
    """{department code: (people, read, acknowledged)} of the kept counts, checked against
    counting afresh."""
    kept = report_counts(notice=notice)
    assert kept == counted_afresh(notice)
    code = [field.attname for field in acknowledgements.Department._meta.concrete_fields].index(
        "code"
    )
    return {row[code]: tuple(row[-3:]) for row in kept}


@pytest.fixture
def notice(sales, quality, sales_board):
    """A must-acknowledge notice to sales (with its section), three people in each department
    and a section of sales."""
    section = DepartmentFactory(code="sales-east", name="销售一组", parent=sales, sort_order=5)
    for department in (sales, section, quality):
        for _index in range(3):
            EmployeeFactory(department=department)
    return NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])


def test_the_counts_are_counted_once_and_kept(notice):
    def counting_queries():
        with CaptureQueriesContext(connection) as captured:
            report_counts(notice=notice)
        return [query for query in captured if "COUNT(" in query["sql"]]

    assert len(counting_queries()) == 1
    assert counting_queries() == []


def test_a_read_or_an_acknowledgement_is_counted_at_once(notice, sales):
    reader, acknowledging = (e.user for e in sales.members.all()[:2])
    assert totals(notice)["sales"] == (3, 0, 0)
    notice_read_record(notice=notice, user=reader)
    assert totals(notice)["sales"] == (3, 1, 0)
    notice_acknowledge(notice=notice, user=acknowledging)
    assert totals(notice)["sales"] == (3, 2, 1)


def test_a_change_of_the_staff_is_counted_at_once(notice, sales, quality):
    before = totals(notice)
    assert before["sales"] == (3, 0, 0) and before["sales-east"] == (3, 0, 0)
    assert "quality" not in before
    # Someone joins sales.
    newcomer = EmployeeFactory(department=sales)
    notice_read_record(notice=notice, user=newcomer.user)
    assert totals(notice)["sales"] == (4, 1, 0)
    # They leave (their account deactivated), and come back.
    employee_deactivate(employee=newcomer, actor=None)
    assert totals(notice)["sales"] == (3, 0, 0)
    employee_reactivate(employee=newcomer, actor=None)
    assert totals(notice)["sales"] == (4, 1, 0)
    # They move to quality, outside the audience.
    newcomer.department = quality
    newcomer.save()
    assert totals(notice)["sales"] == (3, 0, 0) and "quality" not in totals(notice)
    # The section leaves sales: no longer addressed through its parent.
    section = sales.sections.get()
    section.parent = None
    section.save()
    assert "sales-east" not in totals(notice)
    # A department's order changes the report's order.
    section.parent = sales
    section.sort_order = 0
    section.save()
    sales.sort_order = 9
    sales.save()
    assert list(totals(notice)) == ["sales-east", "sales"]
    # Someone's directory entry deleted.
    sales.members.first().delete()
    assert totals(notice)["sales"] == (2, 0, 0)


def test_a_change_of_the_audience_is_counted_at_once(notice, sales, quality):
    assert set(totals(notice)) == {"sales", "sales-east"}
    notice.audience_departments = [quality]
    notice.save()
    assert set(totals(notice)) == {"quality"}
    notice.audience_all = True
    notice.save()
    assert len(totals(notice)) >= 3


def test_signing_in_keeps_the_counts(notice, sales, rf):
    """A sign-in saves the user's last sign-in time alone: no employee changes."""
    totals(notice)
    before = STAFF_GENERATION.current()
    user = sales.members.first().user
    user_logged_in.send(sender=User, request=rf.get("/"), user=user)
    user.set_password("another password 123")
    user.save(update_fields=["password"])
    assert STAFF_GENERATION.current() == before
    user.is_active = False
    user.save(update_fields=["is_active", "last_login"])
    assert STAFF_GENERATION.current() != before


def people_page(notice, show=""):
    """The report page's first page of people (its rows without their departments), as the
    report view reads it: kept under the notice's report key."""
    key = report_key(notice=notice)
    report = acknowledgement_report(notice=notice, inline=False, key=key)
    departments = [
        (row["department"].pk, _listed(row, show=show, must_acknowledge=notice.must_acknowledge))
        for row in report["departments"]
    ]
    rows = ReportPeopleRows(
        notice=notice,
        count=sum(listed for _pk, listed in departments),
        show=show,
        departments=departments,
        kept_key=key,
    )
    return rows[0:REPORT_PAGE_SIZE]


def read_afresh(notice, show=""):
    people = report_people(notice=notice, show=show)
    return list(people.values(*PEOPLE_FIELDS)[:REPORT_PAGE_SIZE])


def test_a_kept_page_of_people_is_the_page_read_afresh(notice, sales):
    def same(show=""):
        page = people_page(notice, show)
        assert page == read_afresh(notice, show)
        return page

    first = same()
    with CaptureQueriesContext(connection) as captured:
        assert people_page(notice) == first
    assert captured.captured_queries == []  # the counts and the page are kept
    member = sales.members.order_by("name_pinyin").first()
    notice_read_record(notice=notice, user=member.user)
    assert same() != first
    notice_acknowledge(notice=notice, user=member.user)
    assert len(same("done")) == 1
    member.name = "改名"
    member.save()
    assert "改名" in [row["name"] for row in same()]
    employee_deactivate(employee=member, actor=None)
    assert "改名" not in [row["name"] for row in same()] and same("done") == []
    notice.audience_all = True
    notice.save()
    assert len(same()) > len(first)
