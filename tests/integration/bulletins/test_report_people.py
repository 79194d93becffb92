"""The report's people, read a page at a time in one written-out SQL statement
(bulletins.report_people), are exactly those `report_people` lists, in the same order, with the
same times: for notices to all staff or to departments (with their sections), with and without
acknowledgement, of every department or one, under every filter."""

import pytest

from bulletins.acknowledgements import report_people
from bulletins.report_people import ReportPeopleRows
from bulletins.services import notice_acknowledge, notice_read_record
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
    assert both


def test_the_report_page_lists_them_a_page_at_a_time(client, intranet, audience, sales_head):
    notices, _departments = audience
    client.force_login(sales_head.user)
    html = client.get(f"/bulletins/notices/{notices[1].pk}/report/?show=pending").content
    names = [row["name"] for row in report_people(notice=notices[1], show="pending").values()]
    assert names and all(name.encode() in html for name in names)
    assert "吴倩".encode() not in html
