"""`portal.notices.inbox_sql`: the inbox written out in SQL holds the rows
`notices_received_by(…).values_list(*INBOX_COLUMNS)` gives, page by page, for every reader; and
the inbox page compiles no ORM query on notices."""

import datetime
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from portal.notices.inbox_sql import InboxRows
from portal.notices.listing import INBOX_COLUMNS
from portal.notices.models import Notice
from portal.notices.selectors import notices_received_by
from tests.factories.notices import NoticeDeliveryFactory, NoticeFactory
from tests.factories.people import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_inbox_holds_the_selectors_rows():
    reader, other = EmployeeFactory().user, EmployeeFactory().user
    named = EmployeeFactory(name="王芳").user
    unnamed = UserFactory(username="no-name")
    now = timezone.now()
    for i in range(12):
        notice = NoticeFactory(
            sender=(named, unnamed)[i % 2],
            sent_at=now - datetime.timedelta(hours=i % 5),  # ties, broken by id
            status=(Notice.Status.SENT, Notice.Status.SENDING, Notice.Status.DRAFT)[i % 3],
        )
        NoticeDeliveryFactory(notice=notice, recipient=reader)
        if i % 4 == 0:
            NoticeDeliveryFactory(notice=notice, recipient=other)
    NoticeFactory(sender=named)  # to nobody here
    for user in (reader, other, named, unnamed):
        expected = list(notices_received_by(user=user).values_list(*INBOX_COLUMNS))
        rows = InboxRows(user=user)
        assert rows.count() == len(expected)
        assert rows[0 : len(expected) + 3] == expected
        assert rows[2:5] == expected[2:5]
        assert rows[3:3] == []
    assert len(expected := InboxRows(user=reader)[0:100]) == 8
    assert all(row[2].tzinfo is not None for row in expected)
    assert {row[3] or row[4] for row in expected} == {"王芳", "no-name"}


def test_the_inbox_page_compiles_no_orm_query_on_notices(client, intranet):
    reader = EmployeeFactory().user
    NoticeDeliveryFactory(notice=NoticeFactory(subject="停电通知"), recipient=reader)
    client.force_login(reader)
    client.get("/notices/")
    compile_sql = SQLCompiler.as_sql
    compiled = []

    def record(self, *args, **kwargs):
        compiled.append(self.query.model)
        return compile_sql(self, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", record):
        response = client.get("/notices/")
    assert response.status_code == 200
    assert "停电通知" in response.content.decode()
    assert Notice not in compiled, compiled
