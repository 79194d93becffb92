"""A board's list, read with its count in one written-out SQL statement (bulletins.board_listing),
lists exactly the notices `notices_visible_to` allows, in the same order and under the same
filters as the ORM's query it replaced; so does the order kept for each audience, which a
change of a notice, its expiry time or a change that forgot to say so never leaves stale."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bench.generators.bulletins import notices_bulk_create
from bulletins.board_listing import BoardNoticeRows
from bulletins.models import Acknowledgement, Notice
from bulletins.selectors import (
    BOARDS_GENERATION,
    NOTICES_GENERATION,
    AudienceLink,
    audience_department_ids,
    board_listing,
    notices_visible_to,
)
from bulletins.services import notice_acknowledge
from portal.generations import Generation
from tests.factories.bulletins import NoticeFactory
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
    # The reader's boards, the list's order (kept after the first page) and the page's rows.
    for number, start, queries in (("1", 0, 3), ("2", 20, 2), (None, 0, 2)):
        with django_assert_num_queries(queries):
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
    # Filtered by words, the page and its count are one query, as ever.
    with django_assert_num_queries(2):
        reader.__dict__.pop("_bulletins_managed_boards", None)
        page = board_listing(
            board=board, board_url="/bulletins/sales/", user=reader, page_number="1", q="通知"
        )["notices"]
    assert page.paginator.count == len(orm_listing(board=board, user=reader, q="通知"))


# --- the order kept for each audience -----------------------------------------------------------


def kept_listing(*, board, user, per_page=100, **filters):
    """The whole list read a page at a time through the kept order, and its count."""
    rows, number, count = [], 1, None
    while True:
        user.__dict__.pop("_bulletins_managed_boards", None)
        listing = BoardNoticeRows(
            board=board,
            user=user,
            department_ids=audience_department_ids(user),
            per_page=per_page,
            generations=Generation.current_many(NOTICES_GENERATION, BOARDS_GENERATION),
            **filters,
        )
        page = listing.page(number)
        count = page.paginator.count
        rows += [
            (row["pk"], row["pinned"], row["first_published_at"], row["acknowledged"])
            for row in page.object_list
        ]
        if not page.has_next():
            return rows, count
        number += 1


def kept_key(*, board, user):
    user.__dict__.pop("_bulletins_managed_boards", None)
    return BoardNoticeRows(
        board=board,
        user=user,
        department_ids=audience_department_ids(user),
        per_page=20,
        generations=(1, 1),
    ).kept_key


@pytest.mark.parametrize("filters", [{}, {"archive": True}])
def test_the_kept_order_is_the_orm_list_for_every_reader(board_with_notices, filters):
    board = board_with_notices["board"]
    for name, user in board_with_notices["readers"].items():
        expected = orm_listing(board=board, user=user, **filters)
        for _round in range(2):  # the order read, then the order kept
            rows, count = kept_listing(board=board, user=user, per_page=7, **filters)
            assert rows == expected, name
            assert count == len(expected), name


def test_readers_of_one_audience_share_one_kept_order(
    board_with_notices, sales, django_assert_num_queries
):
    board = board_with_notices["board"]
    readers = board_with_notices["readers"]
    kept_listing(board=board, user=readers["sales member"])
    another = EmployeeFactory(department=sales).user
    assert kept_key(board=board, user=another) == kept_key(
        board=board, user=readers["sales member"]
    )
    audience_department_ids(another)
    with django_assert_num_queries(2):  # their boards and the page's rows: the order is kept
        rows, _count = kept_listing(board=board, user=another)
    assert rows == orm_listing(board=board, user=another)
    # The board's head reads every notice of it, whatever its audience: another order, as a
    # section's members (their department's notices and their parent's) have.
    keys = {
        kept_key(board=board, user=readers[name])
        for name in ("sales member", "head", "section member", "quality member", "superuser")
    }
    assert len(keys) == 4  # the head and the superuser read all
    assert kept_key(board=board, user=readers["head"]) == kept_key(
        board=board, user=readers["superuser"]
    )


def test_a_changed_notice_changes_the_kept_order_at_once(board_with_notices, sales, quality):
    board = board_with_notices["board"]
    reader = board_with_notices["readers"]["sales member"]
    before, count = kept_listing(board=board, user=reader)
    # A new notice for the reader's department, published at once.
    notice = NoticeFactory(board=board, slug="new", title="新的通知", departments=[sales])
    rows, new_count = kept_listing(board=board, user=reader)
    assert notice.pk in [row[0] for row in rows] and new_count == count + 1
    # Addressed to another department instead: no longer the reader's.
    notice.audience_departments = [quality]
    notice.save()
    rows, new_count = kept_listing(board=board, user=reader)
    assert notice.pk not in [row[0] for row in rows] and new_count == count
    # The last notice pinned: among the pinned ones, at the top.
    pinned = Notice.objects.get(pk=before[-1][0])
    pinned.pinned = True
    pinned.save()
    rows, _count = kept_listing(board=board, user=reader)
    assert [row[0] for row in rows].index(pinned.pk) < sum(row[1] for row in rows)
    assert rows == orm_listing(board=board, user=reader)
    # Unpublished: gone.
    pinned.unpublish()
    rows, new_count = kept_listing(board=board, user=reader)
    assert pinned.pk not in [row[0] for row in rows] and new_count == count - 1
    assert rows == orm_listing(board=board, user=reader)


def test_a_notice_leaves_the_kept_order_at_its_expiry_time(board_with_notices, monkeypatch):
    board = board_with_notices["board"]
    reader = board_with_notices["readers"]["sales member"]
    rows, count = kept_listing(board=board, user=reader, per_page=20)
    assert count > 20
    # The oldest notice (on the last page) expires in an hour, saved now (a new generation).
    oldest = Notice.objects.get(pk=rows[-1][0])
    oldest.expires_at = timezone.now() + timedelta(hours=1)
    oldest.save()
    assert kept_listing(board=board, user=reader, per_page=20)[1] == count
    # An hour and a minute later, with no save: the first page counts one notice less.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = BoardNoticeRows(
        board=board,
        user=reader,
        department_ids=audience_department_ids(reader),
        per_page=20,
        generations=Generation.current_many(NOTICES_GENERATION, BOARDS_GENERATION),
    ).page(1)
    assert page.paginator.count == count - 1
    assert kept_listing(board=board, user=reader, per_page=20) == (
        orm_listing(board=board, user=reader),
        count - 1,
    )


def test_a_kept_order_never_shows_a_notice_the_reader_may_no_longer_read(board_with_notices):
    board = board_with_notices["board"]
    reader = board_with_notices["readers"]["quality member"]
    rows, count = kept_listing(board=board, user=reader, per_page=20)
    # A change that sends no signal (no new generation): the kept order still names the notice.
    hidden = next(pk for pk, *_rest in rows if Notice.objects.get(pk=pk).audience_all)
    Notice.objects.filter(pk=hidden).update(audience_all=False)
    rows, new_count = kept_listing(board=board, user=reader, per_page=20)
    assert hidden not in [row[0] for row in rows]
    assert rows == orm_listing(board=board, user=reader)
    assert new_count == count - 1
