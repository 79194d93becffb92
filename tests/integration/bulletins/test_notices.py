"""Audience, expiry, pinning, acknowledgement and the publisher's report."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from bulletins.models import Acknowledgement, NoticeRead, NoticeReminder
from bulletins.selectors import notices_visible_to
from bulletins.services import notice_acknowledge, notice_remind
from tests.factories.bulletins import NoticeFactory, channel
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def test_a_notice_for_chosen_departments_reaches_them_and_their_sections_only(
    client, intranet, sales, quality, sales_board
):
    section = DepartmentFactory(parent=sales)
    notice = NoticeFactory(board=sales_board, departments=[sales])
    in_sales = EmployeeFactory(department=sales).user
    in_section = EmployeeFactory(department=section).user
    in_quality = EmployeeFactory(department=quality).user
    for user, visible in ((in_sales, True), (in_section, True), (in_quality, False)):
        assert notices_visible_to(user=user).filter(pk=notice.pk).exists() is visible
        client.force_login(user)
        assert client.get(notice.url).status_code == (200 if visible else 404)
        board_page = client.get(sales_board.url).content.decode()
        assert (notice.title in board_page) is visible


def test_the_head_sees_every_notice_on_their_board(sales_head, quality, sales_board):
    notice = NoticeFactory(board=sales_board, departments=[quality])
    assert notices_visible_to(user=sales_head.user).filter(pk=notice.pk).exists()


def test_retailers_and_unpublished_notices_see_nothing(retailer_user, employee, sales_board):
    draft = NoticeFactory(board=sales_board, live=False)
    NoticeFactory(board=sales_board)
    assert not notices_visible_to(user=retailer_user).exists()
    assert not notices_visible_to(user=employee).filter(pk=draft.pk).exists()


def test_an_expired_notice_leaves_the_list_but_stays_reachable_and_in_the_archive(
    client, intranet, employee, sales_board
):
    expired = NoticeFactory(
        board=sales_board, title="过期通知", expires_at=timezone.now() - timedelta(hours=1)
    )
    NoticeFactory(board=sales_board, title="有效通知")
    client.force_login(employee)
    listing = client.get(sales_board.url).content.decode()
    assert "有效通知" in listing and "过期通知" not in listing
    assert "过期通知" in client.get(sales_board.url + "?archive=on").content.decode()
    assert client.get(expired.url).status_code == 200
    home = client.get("/").content.decode()
    assert "有效通知" in home and "过期通知" not in home


def test_pinned_notices_come_first(client, intranet, employee, sales_board):
    old = timezone.now() - timedelta(days=30)
    NoticeFactory(board=sales_board, title="置顶的旧通知", pinned=True, first_published_at=old)
    NoticeFactory(board=sales_board, title="新通知")
    client.force_login(employee)
    listing = client.get(sales_board.url).content.decode()
    assert listing.index("置顶的旧通知") < listing.index("新通知")


def test_board_filters_by_year_month_and_words(client, intranet, employee, sales_board):
    NoticeFactory(
        board=sales_board,
        title="去年的安全通知",
        first_published_at=timezone.now().replace(year=2024, month=3, day=5),
    )
    NoticeFactory(board=sales_board, title="今年的质量通知", body="<p>关于原料</p>")
    client.force_login(employee)

    def titles(query):
        return client.get(sales_board.url + query).content.decode()

    assert "去年" in titles("?year=2024") and "今年" not in titles("?year=2024")
    assert "去年" in titles("?year=2024&month=3") and "去年" not in titles("?year=2024&month=4")
    assert "今年" in titles("?q=原料") and "去年" not in titles("?q=原料")
    response = client.get(sales_board.url + "?month=3")
    assert response.status_code == 200 and "去年" in response.content.decode()


def test_board_paginates(client, intranet, employee, sales_board):
    from bench.generators.bulletins import notices_bulk_create

    notices_bulk_create(board=sales_board, rows=[{"title": f"批量{i:02d}"} for i in range(25)])
    client.force_login(employee)
    first = client.get(sales_board.url).content.decode()
    second = client.get(sales_board.url + "?page=2").content.decode()
    assert "批量24" in first and "批量00" not in first
    assert "批量00" in second
    assert client.get(sales_board.url + "?page=99").status_code == 200


def test_acknowledging_is_idempotent_and_recorded_once(client, intranet, employee, sales_board):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True)
    client.force_login(employee)
    page = client.get(notice.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'action="/bulletins/notices/{notice.pk}/acknowledge/"' in page
    for _ in range(2):
        response = client.post(f"/bulletins/notices/{notice.pk}/acknowledge/")
        assert response.status_code == 302
    assert Acknowledgement.objects.filter(notice=notice, user=employee).count() == 1
    assert NoticeRead.objects.filter(notice=notice, user=employee).count() == 1
    assert client.get(f"/bulletins/notices/{notice.pk}/acknowledge/").status_code == 405


def test_the_database_refuses_a_second_acknowledgement(employee, sales_board):
    from django.db import IntegrityError, transaction

    notice = NoticeFactory(board=sales_board, must_acknowledge=True)
    notice_acknowledge(notice=notice, user=employee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Acknowledgement.objects.create(notice=notice, user=employee)


def test_an_outsider_cannot_acknowledge(client, intranet, quality, sales, sales_board):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])
    client.force_login(EmployeeFactory(department=quality).user)
    assert client.post(f"/bulletins/notices/{notice.pk}/acknowledge/").status_code == 404
    assert not Acknowledgement.objects.exists()


def test_home_lists_unacknowledged_notices_until_acknowledged(
    client, intranet, employee, sales_board
):
    notice = NoticeFactory(board=sales_board, title="请确认的通知", must_acknowledge=True)
    client.force_login(employee)
    assert (
        "Waiting for your acknowledgement"
        in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    notice_acknowledge(notice=notice, user=employee)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for your acknowledgement" not in page


def test_home_shows_pinned_latest_and_news(client, intranet, employee, sales_board):
    NoticeFactory(board=sales_board, title="置顶通知", pinned=True)
    NoticeFactory(board=sales_board, title="最新通知")
    NoticeFactory(board=channel(), title="市场新闻")
    client.force_login(employee)
    page = client.get("/").content.decode()
    assert "置顶通知" in page and "最新通知" in page and "市场新闻" in page


def test_the_publisher_sees_who_has_read_and_acknowledged_per_department(
    client, intranet, sales, quality, sales_head, sales_board
):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales, quality])
    reader = EmployeeFactory(department=sales, name="欧阳芳")
    EmployeeFactory(department=quality, name="司马娜")
    notice_acknowledge(notice=notice, user=reader.user)
    client.force_login(sales_head.user)
    page = client.get(f"/bulletins/notices/{notice.pk}/report/").content.decode()
    assert "欧阳芳" in page and "司马娜" in page
    summary = client.get(notice.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The head opened the notice too, so two of three have read it.
    assert "Read by 2 and acknowledged by 1 of 3 people." in summary

    response = client.get(f"/bulletins/notices/{notice.pk}/report.xlsx")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    # Names outside the factory's cycle, so the head cannot share one.
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["欧阳芳"][4] is not None and by_name["司马娜"][4] is None


def test_the_report_counts_each_department_and_lists_one_department_when_asked(
    client, intranet, sales, quality, sales_head, sales_board
):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales, quality])
    reader = EmployeeFactory(department=sales, name="欧阳芳")
    EmployeeFactory(department=quality, name="司马娜")
    notice_acknowledge(notice=notice, user=reader.user)
    client.force_login(sales_head.user)
    url = f"/bulletins/notices/{notice.pk}/report/"

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Read by 1 and acknowledged by 1 of 3 people." in page
    summary = page.split('class="report-summary"')[1].split("</table>")[0]
    rows = {row.split("</th>")[0].rsplit(">", 1)[-1]: row for row in summary.split("<tr")[2:]}
    # Sales: the head and the reader, who has read and acknowledged; quality: one, who has not.
    assert "<td>1</td><td>1</td><td>2</td>" in rows["Sales"]
    assert "<td>0</td><td>0</td><td>1</td>" in rows["Quality Inspection"]
    assert f"?department={quality.pk}#people" in page

    page = client.get(f"{url}?department={quality.pk}").content.decode()
    assert "司马娜" in page and "欧阳芳" not in page
    for bogus in ("x", "999999", ""):
        response = client.get(f"{url}?department={bogus}")
        assert response.status_code == 200
        # An unknown department lists everyone.
        assert "司马娜" in response.content.decode()

    # The Excel file lists everyone.
    response = client.get(f"/bulletins/notices/{notice.pk}/report.xlsx")
    names = {
        row[2]
        for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    }
    assert {"欧阳芳", "司马娜"} <= names


def test_only_the_boards_editors_reach_the_report(
    client, intranet, employee, quality_head, sales_board
):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True)
    for user in (employee, quality_head.user):
        client.force_login(user)
        assert client.get(f"/bulletins/notices/{notice.pk}/report/").status_code == 404
        assert client.get(f"/bulletins/notices/{notice.pk}/report.xlsx").status_code == 404
        assert client.post(f"/bulletins/notices/{notice.pk}/remind/").status_code == 404


def test_reminders_go_as_a_mass_notice_once_to_each_who_has_not_acknowledged(
    client, intranet, sales, sales_head, sales_board, django_capture_on_commit_callbacks
):
    from portal.notices.models import Notice as MassNotice
    from portal.notices.models import NoticeDelivery

    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])
    done = EmployeeFactory(department=sales)
    pending = EmployeeFactory(department=sales)
    notice_acknowledge(notice=notice, user=done.user)
    client.force_login(sales_head.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bulletins/notices/{notice.pk}/remind/")
        client.post(f"/bulletins/notices/{notice.pk}/remind/")  # a double click
    assert mail.outbox == []  # queued, not sent in the request
    run_worker()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([pending.user.email, sales_head.user.email])
    assert NoticeReminder.objects.filter(notice=notice).count() == 2
    assert notice.title in mail.outbox[0].subject
    # Archived like any mass notice, with the delivery status of each recipient.
    reminder = MassNotice.objects.get()
    assert reminder.sender == sales_head.user and notice.title in reminder.subject
    deliveries = NoticeDelivery.objects.filter(notice=reminder)
    assert sorted(deliveries.values_list("recipient_id", flat=True)) == sorted(
        [pending.user_id, sales_head.user_id]
    )
    assert set(deliveries.values_list("status", flat=True)) == {NoticeDelivery.Status.SENT}


def test_a_head_reminds_the_whole_audience_of_an_all_staff_notice(
    sales, sales_head, sales_board, quality, django_capture_on_commit_callbacks
):
    """The mass-notice sender rule keeps heads to their department; a reminder of their own
    notice reaches its whole audience."""
    notice = NoticeFactory(board=sales_board, must_acknowledge=True)
    elsewhere = EmployeeFactory(department=quality)
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_remind(notice=notice, actor=sales_head.user) >= 2
    run_worker()
    assert elsewhere.user.email in [message.to[0] for message in mail.outbox]


def test_the_reminder_exception_refuses_anyone_outside_the_audience(sales, sales_head, quality):
    """A head cannot use the reminder to mail people the notice was not addressed to."""
    from bulletins.selectors import notice_audience_users
    from portal.notices.models import Notice as MassNotice
    from portal.notices.services import NoticeRefused, notice_reminder_send
    from tests.factories.bulletins import board_of

    notice = NoticeFactory(board=board_of(sales), must_acknowledge=True, departments=[sales])
    insider = EmployeeFactory(department=sales).user
    outsider = EmployeeFactory(department=quality).user
    with pytest.raises(NoticeRefused):
        notice_reminder_send(
            sender=sales_head.user,
            subject="Please acknowledge",
            body="...",
            recipients=[insider, outsider],
            audience=notice_audience_users(notice=notice),
        )
    assert not MassNotice.objects.exists()


def test_no_reminder_when_everyone_acknowledged(sales, sales_head, sales_board):
    notice = NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales])
    notice_acknowledge(notice=notice, user=sales_head.user)
    assert notice_remind(notice=notice, actor=sales_head.user) == 0


def test_home_lists_are_right_when_the_recent_window_runs_short(
    client, intranet, employee, sales_board, monkeypatch
):
    """Latest notices and news come out of one window of recent notices; when the window holds
    too few of one kind, that list is read on its own (same result, newest first)."""
    from bulletins import selectors

    monkeypatch.setattr(selectors, "HOME_WINDOW", 3)
    news = channel()
    NoticeFactory(board=news, title="旧新闻")
    NoticeFactory(board=sales_board, title="旧置顶", pinned=True)
    for number in range(4):
        NoticeFactory(board=sales_board, title=f"通知{number}")
    client.force_login(employee)
    lists = selectors.home_shared_lists(
        selectors.audience_department_ids(employee), selectors.NOTICES_GENERATION.current()
    )
    assert [n["title"] for n in lists["latest"]] == ["通知3", "通知2", "通知1", "通知0"]
    assert [n["title"] for n in lists["news"]] == ["旧新闻"]
    assert [n["title"] for n in lists["pinned"]] == ["旧置顶"]
