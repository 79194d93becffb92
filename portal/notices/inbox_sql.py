"""A recipient's inbox, read with written-out SQL statements: building and compiling the ORM's
count and rows (the delivery's correlated subquery, the sender's user and employee joins) was
most of the inbox page's CPU.

`InboxRows` mirrors `selectors.notices_received_by(user=…).values_list(*INBOX_COLUMNS)`: the
notices (not drafts) with a delivery row for the recipient, newest first (`-sent_at`, `-id`, as
each database orders them), each as (pk, subject, sent_at, sender's employee name, sender's
user name). A change to `notices_received_by` must be made here too:
tests/integration/notices/test_notice_inbox_sql.py compares the two.
"""

from django.contrib.auth import get_user_model
from django.db import connections

from portal.models import Employee
from portal.notices.models import Notice, NoticeDelivery


class InboxRows:
    """The recipient's inbox for `django.core.paginator.Paginator`: `count()` and slices of
    `INBOX_COLUMNS` tuples."""

    ordered = True

    def __init__(self, *, user):
        self.connection = connections[Notice.objects.db]
        q = self.connection.ops.quote_name
        notices = q(Notice._meta.db_table)
        condition = (
            f"WHERE EXISTS(SELECT 1 FROM {q(NoticeDelivery._meta.db_table)} d"  # noqa: S608
            f" WHERE d.{q('notice_id')} = n.{q('id')} AND d.{q('recipient_id')} = %s)"
            f" AND NOT (n.{q('status')} = %s)"
        )
        self.where = f"FROM {notices} n {condition}"
        self.select = (
            f"SELECT n.{q('id')}, n.{q('subject')}, n.{q('sent_at')}, e.{q('name')},"  # noqa: S608
            f" u.{q('username')} FROM {notices} n"
            f" INNER JOIN {q(get_user_model()._meta.db_table)} u"
            f" ON u.{q('id')} = n.{q('sender_id')}"
            f" LEFT OUTER JOIN {q(Employee._meta.db_table)} e ON e.{q('user_id')} = u.{q('id')}"
            f" {condition} ORDER BY n.{q('sent_at')} DESC, n.{q('id')} DESC"
        )
        self.params = [user.pk, Notice.Status.DRAFT]
        field = Notice._meta.get_field("sent_at")
        expression = field.get_col("n")
        self.sent_at_converters = self.connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(self.connection)
        self._count = None

    def count(self) -> int:
        if self._count is None:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) {self.where}", self.params)  # noqa: S608
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("InboxRows is read a page (a slice) at a time.")
        start = int(index.start or 0)
        if index.stop is not None and index.stop <= start:
            return []
        if index.stop is None:
            limit = "ALL" if self.connection.vendor == "postgresql" else "-1"
        else:
            limit = str(int(index.stop) - start)
        with self.connection.cursor() as cursor:
            cursor.execute(f"{self.select} LIMIT {limit} OFFSET {start}", self.params)
            rows = cursor.fetchall()
        converted = []
        for pk, subject, sent_at, name, username in rows:
            for converter in self.sent_at_converters:
                sent_at = converter(sent_at, None, self.connection)
            converted.append((pk, subject, sent_at, name, username))
        return converted
