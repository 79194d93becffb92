"""The publisher's report of who has read and acknowledged a notice, a page at a time with a
filter: a factory-wide notice listed 200 names on one 10,690 px page, with no way to see only
those who have not yet acknowledged."""

import re

import pytest

from bulletins import views
from bulletins.services import notice_acknowledge
from tests.factories.bulletins import NoticeFactory
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db

NAMES = ["安娜", "白雪", "陈晨", "丁一", "范冰"]


@pytest.fixture
def report(client, intranet, sales, sales_head, sales_board, monkeypatch):
    """A must-acknowledge notice to sales: the head and five more, two of whom acknowledged."""
    monkeypatch.setattr(views, "REPORT_PAGE_SIZE", 2)
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])
    people = [EmployeeFactory(department=sales, name=name) for name in NAMES]
    for person in people[:2]:
        notice_acknowledge(notice=notice, user=person.user)
    client.force_login(sales_head.user)
    client.cookies["portal_language"] = "en"
    client.url = f"/bulletins/notices/{notice.pk}/report/"
    return client


def listed(html):
    table = html.split('class="report-people"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="person-name">([^<]+)</td>', table)


def everyone_on_every_page(client, **params):
    names, number = [], 1
    while True:
        html = client.get(client.url, {**params, "page": number}).content.decode()
        names += listed(html)
        if 'rel="next"' not in html:
            return names, html
        number += 1


def test_the_report_lists_the_audience_a_page_at_a_time(report, sales_head):
    first = report.get(report.url).content.decode()
    assert len(listed(first)) == 2
    assert 'href="?page=2" rel="next"' in first
    names, last = everyone_on_every_page(report)
    assert sorted(names) == sorted([*NAMES, sales_head.name])
    assert "Page 3 of 3" in last


def test_the_filters_show_their_counts_and_keep_to_their_people(report, sales_head):
    html = report.get(report.url).content.decode()
    filters = html.split('class="filters report-filters"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r">All \(6\)</a>", filters)
    assert re.search(r">Acknowledged \(2\)</a>", filters)
    assert re.search(r">Not yet acknowledged \(4\)</a>", filters)

    names, _ = everyone_on_every_page(report, show="pending")
    assert sorted(names) == sorted([*NAMES[2:], sales_head.name])
    names, _ = everyone_on_every_page(report, show="done")
    assert sorted(names) == sorted(NAMES[:2])
    # The page links keep the filter.
    html = report.get(report.url, {"show": "pending"}).content.decode()
    assert 'href="?show=pending&amp;page=2" rel="next"' in html
    # An unknown filter shows everyone.
    assert len(everyone_on_every_page(report, show="bogus")[0]) == 6


def test_the_filters_count_within_the_department_asked_for(
    client, intranet, sales, quality, sales_head, sales_board
):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales, quality])
    inspector = EmployeeFactory(department=quality, name="司马娜")
    EmployeeFactory(department=quality, name="欧阳芳")
    notice_acknowledge(notice=notice, user=inspector.user)
    client.force_login(sales_head.user)
    client.cookies["portal_language"] = "en"
    url = f"/bulletins/notices/{notice.pk}/report/"
    html = client.get(url, {"department": quality.pk, "show": "pending"}).content.decode()
    assert listed(html) == ["欧阳芳"]
    assert re.search(r">All \(2\)</a>", html) and re.search(r">Acknowledged \(1\)</a>", html)
    # The filters keep the department, and "every department" keeps the filter.
    assert f'href="?department={quality.pk}#people" aria-current' not in html
    assert f'href="?department={quality.pk}#people">All (2)</a>' in html
    assert 'href="?show=pending#people">Show every department</a>' in html


def test_the_report_has_bounded_queries(client, intranet, sales, sales_head, sales_board):
    from tests.querycount import assert_bounded_queries

    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])
    client.force_login(sales_head.user)

    def grow(n):
        while notice_audience_size(notice) < n:
            person = EmployeeFactory(department=sales)
            notice_acknowledge(notice=notice, user=person.user)

    for url in (
        f"/bulletins/notices/{notice.pk}/report/",
        f"/bulletins/notices/{notice.pk}/report/?show=pending&page=2",
    ):
        # The session and user, the editor's boards, the notice with its board, the counts and
        # the page of people.
        assert_bounded_queries(client, url, grow, max_queries=6)


def notice_audience_size(notice):
    from bulletins.selectors import notice_audience_users

    return notice_audience_users(notice=notice).count()


def test_a_person_of_a_department_not_counted_yet_still_shows_their_department(db):
    """The report's people are rows; their departments come from the counted rows, or are read
    when someone joined a department between the two reads."""
    from django.db.models import DateTimeField, Value

    from bulletins.views import _report_page
    from portal.models import Employee
    from tests.factories.people import EmployeeFactory

    employee = EmployeeFactory()
    people = Employee.objects.filter(pk=employee.pk).annotate(
        read_at=Value(None, output_field=DateTimeField()),
        acknowledged_at=Value(None, output_field=DateTimeField()),
    )
    page = _report_page(
        people.values("name", "department_id", "read_at", "acknowledged_at"), [], None
    )
    assert [(row["name"], row["department"]) for row in page.object_list] == [
        (employee.name, employee.department)
    ]
