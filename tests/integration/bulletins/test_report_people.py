"""The report's people, read a page at a time in one written-out SQL statement
(bulletins.report_people), are exactly those `report_people` lists, in the same order, with the
same times: for notices to all staff or to departments (with their sections), with and without
acknowledgement, of every department or one, under every filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.acknowledgements import acknowledgement_report, report_people
from bulletins.report_people import ReportPeopleRows
from bulletins.services import notice_acknowledge, notice_read_record
from bulletins.views import _listed
from tests.factories.bulletins import NoticeFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELDS = ("name", "department_id", "read_at", "acknowledged_at")


@pytest.fixture
def audience(sales, quality, sales_board):
    section = DepartmentFactory(code="sales-east", name="销售一组", parent=sales, sort_order=5)
    other = DepartmentFactory(code="canteen", name="食堂", sort_order=1)
    people = [
        EmployeeFactory(department=department, name=name)
        for department, name in [
            (sales, "王芳"),
            (sales, "李强"),
            (sales, "Anna"),
            (section, "赵敏"),
            (section, "钱多"),
            (quality, "孙悦"),
            (quality, "周杰"),
            (other, "吴倩"),
        ]
    ]
    EmployeeFactory(department=sales, name="郑离", user=UserFactory(is_active=False))
    notices = [
        NoticeFactory(board=sales_board, must_acknowledge=True),
        NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales]),
        NoticeFactory(board=sales_board, must_acknowledge=False, departments=[quality, other]),
    ]
    for notice in notices:
        for person in people[::2]:
            notice_read_record(notice=notice, user=person.user)
        for person in people[::4]:
            notice_acknowledge(notice=notice, user=person.user)
    return notices, [sales, section, quality, other]


def test_every_filter_lists_the_people_the_selector_lists(audience):
    notices, departments = audience
    both = 0  # rows with both times: the times are compared too
    for notice in notices:
        for department_id in [None, *(department.pk for department in departments)]:
            for show in ("", "done", "pending"):
                expected = list(
                    report_people(notice=notice, department_id=department_id, show=show).values(
                        *FIELDS
                    )
                )
                rows = ReportPeopleRows(
                    notice=notice, count=len(expected), department_id=department_id, show=show
                )
                case = (notice.pk, department_id, show)
                assert len(rows) == len(expected), case
                assert rows[0:100] == expected, case
                assert rows[2:4] == expected[2:4], case
                both += sum(bool(row["read_at"] and row["acknowledged_at"]) for row in expected)
                # Read a department at a time, as the report page reads them: every page, of
                # every size, is the same part of the list.
                rows = ReportPeopleRows(
                    notice=notice,
                    count=len(expected),
                    department_id=department_id,
                    show=show,
                    departments=listed_by_department(notice, show),
                )
                for size in (1, 2, 3, 100):
                    for start in range(0, len(expected) + size, size):
                        page = rows[start : start + size]
                        assert page == expected[start : start + size], (*case, size, start)
    assert both


def listed_by_department(notice, show):
    """(department id, how many the list shows of it) in the report's order, as the report
    page gives them."""
    report = acknowledgement_report(notice=notice, inline=False)
    return [
        (row["department"].pk, _listed(row, show=show, must_acknowledge=notice.must_acknowledge))
        for row in report["departments"]
    ]


def test_a_page_reads_only_the_departments_it_falls_in(audience):
    notices, _departments = audience
    notice = notices[0]  # for all staff
    listed = listed_by_department(notice, "")
    (first, in_first), (second, _in_second) = listed[:2]
    rows = ReportPeopleRows(notice=notice, count=sum(n for _pk, n in listed), departments=listed)
    for start, stop, read in (
        (0, in_first, [first]),
        (in_first - 1, in_first + 1, [first, second]),
    ):
        with CaptureQueriesContext(connection) as captured:
            rows[start:stop]
        (query,) = captured
        assert f"department_id IN ({', '.join(map(str, read))})" in query["sql"], (start, stop)


def test_the_report_page_lists_them_a_page_at_a_time(client, intranet, audience, sales_head):
    notices, _departments = audience
    client.force_login(sales_head.user)
    html = client.get(f"/bulletins/notices/{notices[1].pk}/report/?show=pending").content
    names = [row["name"] for row in report_people(notice=notices[1], show="pending").values()]
    assert names and all(name.encode() in html for name in names)
    assert "吴倩".encode() not in html
