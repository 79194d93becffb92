"""A department's report box and the box page's header, read with written-out SQL statements.

Building and compiling the ORM's queries behind the box page (the visibility rule's and the
box's correlated subqueries, the count, the notifications' count and whether the reader drafts)
was most of the page's CPU, even for an empty box. The rules are the selectors':

* `BoxReports` is `selectors.report_box` (under `selectors.reports_visible_to`): a count and the
  ids of one page's reports in SQL, then the reports themselves, with what the list shows
  beside them, read as `report_box` reads them, in the same order (newest first).
* `box_header` is `selectors.active_report_types_for(user=…).exists()` and
  `selectors.unread_report_notification_count(user=…)` in one statement.

A change to those selectors must be made here too: tests/integration/documents/
test_report_boxes.py compares the two for every reader, department, box and status filter.
"""

from django.db import connections
from django.utils import timezone

from documents.circulation.models import (
    CircularReport,
    ReportDelivery,
    ReportNotification,
    ReportType,
)
from documents.circulation.selectors import reports_listed_in_box
from documents.permissions import department_ids_of, is_director_office


def _visibility_sql(user, q) -> tuple[str, list] | None:
    """`reports_visible_to`'s rule on `r` (the reports' table), with its parameters; "" when
    the reader sees every report, None when they see none."""
    if not (user.is_authenticated and user.is_employee and user.is_active):
        return None
    departments = list(department_ids_of(user))
    deliveries = q(ReportDelivery._meta.db_table)
    conditions, params = [], []
    if departments:
        marks = ", ".join(["%s"] * len(departments))
        conditions.append(f"r.{q('source_id')} IN ({marks})")
        conditions.append(
            f"(EXISTS(SELECT 1 FROM {deliveries} v WHERE v.{q('report_id')} = r.{q('id')}"  # noqa: S608 - names only
            f" AND v.{q('destination_id')} IN ({marks}))"
            f" AND r.{q('sent_at')} IS NOT NULL)"
        )
        params += departments + departments
    if is_director_office(user):
        conditions.append(f"r.{q('sent_at')} IS NOT NULL")
    if not conditions:
        return None
    return "(" + " OR ".join(conditions) + ")", params


class BoxReports:
    """The reports of a department's inbox or outbox as `user` may see them (see the module's
    docstring), for `django.core.paginator.Paginator`: `count()`, and a slice of reports read
    with their report type, source, drafter and deliveries (inbox reports with
    `inbox_status`)."""

    ordered = True

    def __init__(self, *, user, department, box: str, status: str = ""):
        self.connection = connections[CircularReport.objects.db]
        self.box = box
        q = self.connection.ops.quote_name
        visibility = _visibility_sql(user, q)
        self.none = visibility is None
        if self.none:
            return
        conditions, params = [visibility[0]], list(visibility[1])
        deliveries = q(ReportDelivery._meta.db_table)
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
        self.columns = f"r.{q('id')}"
        self.column_params: list = []
        if box == "inbox":
            here = (
                f"FROM {deliveries} h WHERE h.{q('report_id')} = r.{q('id')}"
                f" AND h.{q('destination_id')} = %s"
            )
            inbox_status = f"(SELECT h.{q('status')} {here} ORDER BY h.{q('id')} LIMIT 1)"
            conditions.append(f"EXISTS(SELECT 1 {here} AND NOT (h.{q('status')} = %s))")
            params += [department.pk, ReportDelivery.Status.WAITING]
            conditions.append(f"r.{q('sent_at')} IS NOT NULL")
            if status == "overdue":
                conditions.append(f"{inbox_status} = %s AND r.{q('due_at')} < %s")
                params += [department.pk, ReportDelivery.Status.SENT, now]
            elif status in ReportDelivery.Status.values:
                conditions.append(f"{inbox_status} = %s")
                params += [department.pk, status]
            elif status:
                self.none = True
                return
            self.columns += f", {inbox_status}"
            self.column_params = [department.pk]
        else:
            conditions.append(f"r.{q('source_id')} = %s")
            params.append(department.pk)
            if status == "overdue":
                conditions.append(f"r.{q('status')} = %s AND r.{q('due_at')} < %s")
                params += [CircularReport.Status.SENT, now]
            elif status:
                conditions.append(f"r.{q('status')} = %s")
                params.append(status)
        table = q(CircularReport._meta.db_table)
        self.where = f"FROM {table} r WHERE " + " AND ".join(conditions)
        self.params = params
        self.order = f"ORDER BY r.{q('created_at')} DESC, r.{q('id')} DESC"
        self._count = None

    def count(self) -> int:
        if self.none:
            return 0
        if self._count is None:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) {self.where}", self.params)  # noqa: S608
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("BoxReports is read a page (a slice) at a time.")
        start = index.start or 0
        if self.none or (index.stop is not None and index.stop <= start):
            return []
        limit = f" LIMIT {int(index.stop) - int(start)}" if index.stop is not None else " LIMIT -1"
        if index.stop is None and self.connection.vendor == "postgresql":
            limit = " LIMIT ALL"
        sql = f"SELECT {self.columns} {self.where} {self.order}{limit} OFFSET {int(start)}"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*self.column_params, *self.params])
            rows = cursor.fetchall()
        if not rows:
            return []
        found = {report.pk: report for report in reports_listed_in_box([row[0] for row in rows])}
        reports = []
        for row in rows:
            report = found.get(row[0])
            if report is None:  # deleted between the two statements
                continue
            if self.box == "inbox":
                report.inbox_status = row[1]
            reports.append(report)
        return reports


def box_header(*, user) -> tuple[bool, int]:
    """Whether `user`'s department drafts some report type in use
    (`active_report_types_for(user=user).exists()`) and how many of their report notifications
    are unread (`unread_report_notification_count`), in one statement."""
    connection = connections[ReportNotification.objects.db]
    q = connection.ops.quote_name
    departments = list(department_ids_of(user))
    notifications = q(ReportNotification._meta.db_table)
    unread = (
        f"(SELECT COUNT(*) FROM {notifications} n"  # noqa: S608 - names only
        f" WHERE n.{q('read_at')} IS NULL AND n.{q('recipient_id')} = %s)"
    )
    if departments:
        marks = ", ".join(["%s"] * len(departments))
        drafts = (
            f"EXISTS(SELECT 1 FROM {q(ReportType._meta.db_table)} t"  # noqa: S608 - names only
            f" WHERE t.{q('is_active')} AND t.{q('source_id')} IN ({marks}))"
        )
    else:
        drafts = "0 = 1"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {drafts}, {unread}", [*departments, user.pk])
        may_draft, unread_count = cursor.fetchone()
    return bool(may_draft), unread_count
