"""A board's list, read with its count in one written-out SQL statement (bulletins.board_listing),
lists exactly the notices `notices_visible_to` allows, in the same order and under the same
filters as the ORM's query it replaced."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bench.generators.bulletins import notices_bulk_create
from bulletins.board_listing import BoardNoticeRows
from bulletins.models import Acknowledgement, Notice
from bulletins.selectors import (
    AudienceLink,
    audience_department_ids,
    board_listing,
    notices_visible_to,
)
from bulletins.services import notice_acknowledge
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory
from tests.integration.bulletins.conftest import make_head

pytestmark = pytest.mark.django_db

FILTERS = (
    {},
    {"archive": True},
    {"year": 2025},
    {"year": 2025, "month": 3},
    {"year": 2025, "month": 12},
    {"q": "安全"},
    {"q": "%_\\"},
    {"q": "EXECUTE"},
)


def orm_listing(*, board, user, year=None, month=None, q="", archive=False):
    """The ids and acknowledgements of the board's list as the ORM query before it read them."""
    notices = notices_visible_to(user=user).child_of(board)
    if not archive:
        notices = notices.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    if year:
        notices = notices.filter(first_published_at__year=year)
        if month:
            notices = notices.filter(first_published_at__month=month)
    if q:
        notices = notices.filter(Q(title__icontains=q) | Q(body__icontains=q))
    order = ("-first_published_at", "-pk") if archive else ("-pinned", "-first_published_at", "-pk")
    acknowledged = Exists(Acknowledgement.objects.filter(notice_id=OuterRef("pk"), user_id=user.pk))
    return list(
        notices.annotate(acknowledged=acknowledged)
        .order_by(*order)
        .values_list("pk", "pinned", "first_published_at", "acknowledged")
    )


@pytest.fixture
def board_with_notices(sales, sales_board):
    """Notices for all staff, for sales, for a section of sales and for quality; pinned,
    expired, acknowledged, published across months and around the turn of a month."""
    quality = DepartmentFactory(code="quality")
    section = DepartmentFactory(code="sales-east", parent=sales)
    reader = EmployeeFactory(department=section).user
    now = timezone.now()
    times = [
        timezone.make_aware(datetime(2025, 3, 1, 0, 30)),  # noqa: DTZ001 - made aware
        timezone.make_aware(datetime(2025, 2, 28, 23, 30)),  # noqa: DTZ001
        timezone.make_aware(datetime(2025, 12, 31, 23, 59)),  # noqa: DTZ001
        timezone.make_aware(datetime(2026, 1, 1, 0, 1)),  # noqa: DTZ001
    ]
    rows = [
        {
            "title": f"安全生产通知{index}" if index % 3 == 0 else f"Execute 通知 {index}",
            "slug": f"notice-{index}",
            "body": "<p>100%_\\ 完成</p>" if index % 5 == 0 else "<p>请遵照执行。</p>",
            "pinned": index % 7 == 0,
            "must_acknowledge": index % 2 == 0,
            "published": times[index % 4] - timedelta(days=index // 4),
        }
        for index in range(60)
    ]
    notices_bulk_create(board=sales_board, rows=rows)
    notices = list(Notice.objects.child_of(sales_board).order_by("path"))
    links = []
    for index, notice in enumerate(notices):
        audience = [[], [sales], [section], [quality]][index % 4]
        links += [AudienceLink(notice_id=notice.pk, department_id=d.pk) for d in audience]
        notice.audience_all = not audience
        notice.expires_at = now - timedelta(days=1) if index % 6 == 1 else None
    AudienceLink.objects.bulk_create(links)
    Notice.objects.bulk_update(notices, ["audience_all", "expires_at"])
    # Two notices published at the same moment: the id decides.
    Notice.objects.filter(pk__in=[notices[8].pk, notices[9].pk]).update(first_published_at=times[0])
    notice_acknowledge(notice=notices[0], user=reader)
    notice_acknowledge(notice=notices[2], user=reader)
    return {
        "board": sales_board,
        "readers": {
            "section member": reader,
            "sales member": EmployeeFactory(department=sales).user,
            "quality member": EmployeeFactory(department=quality).user,
            "no department": UserFactory(),
            "head": make_head(sales).user,
            "superuser": UserFactory(is_superuser=True),
        },
    }


def sql_listing(*, board, user, **filters):
    rows = BoardNoticeRows(
        board=board,
        user=user,
        department_ids=audience_department_ids(user),
        per_page=100,
        **filters,
    )
    page = rows.page(1)
    assert page.paginator.count == len(page.object_list)
    return [
        (row["pk"], row["pinned"], row["first_published_at"], row["acknowledged"])
        for row in page.object_list
    ]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_written_out_list_is_the_orm_list_for_every_reader(board_with_notices, filters):
    board = board_with_notices["board"]
    for name, user in board_with_notices["readers"].items():
        expected = orm_listing(board=board, user=user, **filters)
        assert sql_listing(board=board, user=user, **filters) == expected, name
    # The readers see different notices, and the filters leave some out.
    readers = board_with_notices["readers"]
    assert len(orm_listing(board=board, user=readers["quality member"])) < len(
        orm_listing(board=board, user=readers["head"])
    )


def test_readers_outside_the_intranet_see_no_notice(board_with_notices):
    board = board_with_notices["board"]
    retailer = UserFactory(kind="retailer")
    for user in (retailer, AnonymousUser()):
        rows = BoardNoticeRows(board=board, user=user, department_ids=(), per_page=20)
        page = rows.page(1)
        assert list(page.object_list) == []
        assert page.paginator.count == 0
    assert Notice.objects.child_of(board).exists()


def test_pages_of_the_list_and_their_count_come_in_one_query(
    board_with_notices, django_assert_num_queries
):
    board = board_with_notices["board"]
    reader = board_with_notices["readers"]["section member"]
    expected = [row[0] for row in orm_listing(board=board, user=reader)]
    assert len(expected) > 20
    last = (len(expected) - 1) // 20 * 20
    audience_department_ids(reader)  # read once per request, before the list
    for number, start in {"1": 0, "2": 20, None: 0}.items():
        with django_assert_num_queries(2):  # the reader's boards, then the page with its count
            reader.__dict__.pop("_bulletins_managed_boards", None)
            listing = board_listing(
                board=board, board_url="/bulletins/sales/", user=reader, page_number=number
            )
        page = listing["notices"]
        assert [row["pk"] for row in page.object_list] == expected[start : start + 20]
        assert page.paginator.count == len(expected)
        assert page.object_list[0]["url"].startswith("/bulletins/sales/notice-")
    # A page past the end, or not a number, lands where the paginator puts it.
    for number, start in {"9": last, "x": 0, "0": last, "-1": last, "2.0": 0}.items():
        page = board_listing(
            board=board, board_url="/bulletins/sales/", user=reader, page_number=number
        )["notices"]
        assert [row["pk"] for row in page.object_list] == expected[start : start + 20], number
