"""The notice page's board and reader's state read in one written-out statement
(bulletins.notice_reader) are what `notice_reader_state` gives, for every role and every notice:
for all staff or one department, asking for acknowledgement or not, read, acknowledged or not,
with attachments or without, a draft."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document

from bulletins.models import NoticeAttachment, NoticeRead
from bulletins.notice_reader import notice_reader_state_read
from bulletins.selectors import BOARD_HEADER_FIELDS, notice_reader_state
from bulletins.services import notice_acknowledge
from portal.models import User
from tests.factories.bulletins import NoticeFactory, channel
from tests.factories.people import (
    DepartmentFactory,
    EmployeeFactory,
    RetailerLoginFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk) if user.is_authenticated else user


def _values(state):
    if state is None:
        return None
    board = state["board"]
    return {
        "board": [getattr(board, name) for name in BOARD_HEADER_FIELDS],
        "board deferred": board.get_deferred_fields(),
        "board title": board.display_title,
        "read": state["read"],
        "acknowledged": state["acknowledged"],
        "has_attachments": state["has_attachments"],
    }


def test_every_role_gets_the_selectors_state_of_every_notice(
    sales, sales_head, sales_board, quality, quality_head
):
    section = DepartmentFactory(parent=sales)
    reader = EmployeeFactory(department=sales).user
    users = {
        "anonymous": AnonymousUser(),
        "retailer": RetailerLoginFactory().user,
        "superuser": UserFactory(is_superuser=True),
        "sales reader": reader,
        "sales section": EmployeeFactory(department=section).user,
        "sales head": sales_head.user,
        "quality reader": EmployeeFactory(department=quality).user,
        "quality head": quality_head.user,
        "no department": UserFactory(),
    }
    notices = {
        "all staff": NoticeFactory(board=sales_board),
        "all staff, acknowledge": NoticeFactory(board=sales_board, must_acknowledge=True),
        "sales": NoticeFactory(board=sales_board, departments=[sales]),
        "sales, acknowledge": NoticeFactory(
            board=sales_board, departments=[sales], must_acknowledge=True
        ),
        "quality on sales board": NoticeFactory(board=sales_board, departments=[quality]),
        "news, acknowledge": NoticeFactory(board=channel(), must_acknowledge=True),
        "draft": NoticeFactory(board=sales_board, live=False),
    }
    document = Document.objects.create(title="规程", file=ContentFile(b"%PDF-1.4", "rules.pdf"))
    NoticeAttachment.objects.create(notice=notices["sales"], document=document)
    NoticeRead.objects.create(notice=notices["sales"], user=reader)
    NoticeRead.objects.create(notice=notices["sales, acknowledge"], user=reader)
    notice_acknowledge(notice=notices["sales, acknowledge"], user=reader)
    notice_acknowledge(notice=notices["news, acknowledge"], user=sales_head.user)
    seen = {}
    for role, user in users.items():
        for name, notice in notices.items():
            expected = _values(notice_reader_state(notice=notice, user=_fresh(user)))
            assert _values(notice_reader_state_read(notice=notice, user=_fresh(user))) == (
                expected
            ), (role, name)
            seen[role, name] = expected
    reading = seen["sales reader", "sales"]
    assert reading["read"] and reading["has_attachments"] and not reading["acknowledged"]
    assert seen["sales reader", "sales, acknowledge"]["acknowledged"]
    assert not seen["sales section", "sales, acknowledge"]["acknowledged"]
    assert seen["sales head", "news, acknowledge"]["acknowledged"]
    assert not seen["sales reader", "all staff"]["has_attachments"]
    assert seen["sales head", "quality on sales board"] is not None
    assert seen["superuser", "quality on sales board"] is not None
    assert seen["quality head", "quality on sales board"] is not None
    for role in ("sales reader", "sales section", "no department"):
        assert seen[role, "quality on sales board"] is None, role
    for role in ("quality reader", "quality head", "no department"):
        assert seen[role, "sales"] is None and seen[role, "all staff"] is not None, role
    assert not any(seen[role, "draft"] for role in users)
    assert not any(seen[role, name] for role in ("anonymous", "retailer") for name in notices)


def test_the_state_is_one_query_once_the_editors_boards_are_known(sales, sales_board):
    reader = EmployeeFactory(department=sales).user
    notice = NoticeFactory(board=sales_board, departments=[sales], must_acknowledge=True)
    reader = _fresh(reader)
    notice_reader_state_read(notice=notice, user=reader)
    with CaptureQueriesContext(connection) as queries:
        state = notice_reader_state_read(notice=notice, user=reader)
    assert len(queries) == 1
    assert state["board"].pk == sales_board.pk
