"""The notice page decides who may read a notice from the page it routed and one query for the
board and the reader's state (bulletins.selectors.notice_reader_state): the same people as
`notices_visible_to`, the read recorded on the first visit only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.models import NoticeRead
from bulletins.permissions import managed_boards
from bulletins.selectors import notices_visible_to
from bulletins.services import notice_acknowledge
from tests.factories.bulletins import NoticeFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def test_a_notice_for_one_department_is_read_by_it_its_sections_and_the_board_editors(
    client, intranet, sales, quality, sales_head, sales_board
):
    notice = NoticeFactory(board=sales_board, departments=[quality])
    section = DepartmentFactory(parent=quality)
    readers = {
        "quality": EmployeeFactory(department=quality).user,
        "section": EmployeeFactory(department=section).user,
        "head": sales_head.user,
        "sales": EmployeeFactory(department=sales).user,
    }
    for name, user in readers.items():
        client.force_login(user)
        expected = notices_visible_to(user=user).filter(pk=notice.pk).exists()
        status = client.get(notice.url).status_code
        assert status == (200 if expected else 404), name
        assert expected == (name != "sales"), name
        assert NoticeRead.objects.filter(notice=notice, user=user).exists() == expected, name


def test_the_read_is_recorded_once_and_later_visits_write_nothing(
    client, intranet, sales, sales_board
):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])
    reader = EmployeeFactory(department=sales).user
    client.force_login(reader)
    client.get(notice.url)
    read = NoticeRead.objects.get(notice=notice, user=reader)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(notice.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert NoticeRead.objects.get(notice=notice, user=reader).read_at == read.read_at
    assert "/acknowledge/" in page and "You have acknowledged this notice." not in page
    notice_acknowledge(notice=notice, user=reader)
    page = client.get(notice.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have acknowledged this notice." in page


def test_managed_boards_are_the_boards_a_users_groups_may_publish_on(
    sales, sales_head, sales_board, quality
):
    from bulletins.models import Board

    assert managed_boards(sales_head.user) == {sales_board.pk: sales_board.path}
    assert managed_boards(EmployeeFactory(department=sales).user) == {}
    # A superuser publishes on every board.
    admin = EmployeeFactory(department=quality).user
    admin.is_superuser = True
    assert managed_boards(admin) == dict(Board.objects.values_list("pk", "path"))
