"""The report's notice and board read in one written-out statement
(bulletins.report_notice) are what `notice_managed_by` and the board's ORM read give, for every
role: only the editors of the notice's board reach it, a draft or a missing notice for nobody."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bulletins.models import Board
from bulletins.report_notice import notice_and_board_managed_by
from bulletins.selectors import BOARD_HEADER_FIELDS, REPORT_NOTICE_FIELDS, notice_managed_by
from portal.models import User
from tests.factories.bulletins import NoticeFactory, channel
from tests.factories.people import EmployeeFactory, RetailerLoginFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk) if user.is_authenticated else user


def _orm(user, notice_id):
    notice = notice_managed_by(user=user, notice_id=notice_id)
    if notice is None:
        return None
    board = Board.objects.only(*BOARD_HEADER_FIELDS).get(path=notice.path[: -Board.steplen])
    return _values(notice, board)


def _values(notice, board):
    return (
        [getattr(notice, name) for name in REPORT_NOTICE_FIELDS],
        [getattr(board, name) for name in BOARD_HEADER_FIELDS],
        board.display_title,
        notice.url_path,
    )


def _statement(user, notice_id):
    found = notice_and_board_managed_by(user=user, notice_id=notice_id)
    return _values(*found) if found else None


def test_every_role_reaches_the_notices_the_selector_gives(
    sales, sales_head, sales_board, quality, quality_head, quality_board
):
    notices = {
        "sales": NoticeFactory(board=sales_board, must_acknowledge=True, departments=[sales]),
        "sales draft": NoticeFactory(board=sales_board, live=False),
        "quality": NoticeFactory(board=quality_board),
        "news": NoticeFactory(board=channel(), must_acknowledge=True),
    }
    users = {
        "anonymous": AnonymousUser(),
        "retailer": RetailerLoginFactory().user,
        "superuser": UserFactory(is_superuser=True),
        "sales reader": EmployeeFactory(department=sales).user,
        "sales head": sales_head.user,
        "quality head": quality_head.user,
    }
    ids = {name: notice.pk for name, notice in notices.items()}
    ids |= {"missing": max(ids.values()) + 100, "the board": sales_board.pk, "text": "x1"}
    seen = {}
    for role, user in users.items():
        for name, notice_id in ids.items():
            expected = _orm(_fresh(user), notice_id)
            assert _statement(_fresh(user), notice_id) == expected, (role, name)
            seen[role, name] = expected is not None
    assert seen["sales head", "sales"] and seen["quality head", "quality"]
    assert seen["superuser", "news"] and seen["superuser", "quality"]
    assert not seen["sales head", "quality"] and not seen["sales head", "news"]
    assert not any(seen[role, "sales draft"] for role in users)
    assert not any(
        seen[role, name] for role in ("anonymous", "retailer", "sales reader") for name in ids
    )
    assert not any(seen[role, name] for role in users for name in ("missing", "the board", "text"))
