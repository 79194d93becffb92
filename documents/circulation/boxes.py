"""A department's report box and the box page's header, read with written-out SQL statements.

Building and compiling the ORM's queries behind the box page (the visibility rule's and the
box's correlated subqueries, the count, the notifications' count and whether the reader drafts)
was most of the page's CPU, even for an empty box. The rules are the selectors':

* `BoxReports` is `selectors.report_box` (under `selectors.reports_visible_to`): a count, and
  one page's reports with what the list shows beside them (their type, source and decision;
  the outbox's destinations in a second statement), in the same order (newest first).
  `box_rows_html` writes the page's rows in one Python pass: building a hundred model
  instances for thirty rows and looping over them in the template cost 45 ms a page at the
  full scale.
* `box_header` is `selectors.active_report_types_for(user=…).exists()` and
  `selectors.unread_report_notification_count(user=…)` in one statement.

A change to those selectors must be made here too: tests/integration/documents/
test_report_boxes.py compares the two for every reader, department, box and status filter.
"""

from datetime import UTC, datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext

from documents.circulation.models import (
    CircularReport,
    ReportDelivery,
    ReportNotification,
    ReportType,
)
from documents.permissions import department_ids_of, is_director_office
from portal.escaping import escaped_once, text, url_around_pk
from portal.generations import Generation
from portal.models import Department
from portal.paging import total_told_by_page


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


class BoxRow(NamedTuple):
    """One report of a box's page, with what the list shows beside it."""

    pk: int
    title: str
    period: str
    due_at: datetime | None
    # In the inbox the box's department's own decision (`inbox_status`), in the outbox the
    # report's status.
    status: str
    type_name: str
    type_name_en: str
    source_name: str
    source_name_en: str
    # The outbox's destinations in delivery order, (name, English name, decision) each; () in
    # the inbox, which shows only its own department's decision.
    destinations: tuple = ()


def _aware(value):
    """A datetime column as the ORM would give it: SQLite's driver gives a naive UTC value (or
    text, through a subquery)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


# How long a box's number of reports is kept (`BoxReports`), and the generation that any change
# to a report or a delivery moves on (documents.signals and the circulation's services).
BOX_COUNT_SECONDS = 300
BOXES_GENERATION = Generation("documents:boxes-version")


def _count_key(user, department, box: str, status: str) -> str | None:
    """Where the number of reports in a box is kept for `user`, or None where it is not. The
    rule depends on the reader only through their departments and whether they are in the
    Director's Office, so the key holds those, not the reader: colleagues share it, and a
    reader who moves department moves to another key at once. "overdue" changes with the clock,
    not with a save: never kept."""
    if status == "overdue":
        return None
    scope = "-".join(str(pk) for pk in sorted(department_ids_of(user)))
    director = "d" if is_director_office(user) else ""
    version = BOXES_GENERATION.current()
    return f"documents:box:{version}:{box}:{department.pk}:{status}:{scope}{director}"


class BoxReports:
    """The reports of a department's inbox or outbox as `user` may see them (see the module's
    docstring), as a sequence for `django.core.paginator.Paginator`: its length is their
    number, a slice is a page of `BoxRow`s read in one statement (and one more for the outbox's
    destinations).

    `fetch(offset)` reads the page at `offset` and one report more, which tells whether another
    page follows. Their number is then known without counting where the page allows it: on the
    last page it is the reports before and on it; on a page with more after it, it is the
    number kept for the box (`BOX_COUNT_SECONDS`, under `BOXES_GENERATION`) if that goes beyond
    the page. Otherwise (nothing kept, a kept number the page contradicts, a page past the end)
    the reports are counted, and the number kept. So a kept number that missed a change can
    misstate the number of pages on a page before the last, but never hides a page or a
    report (as the register's list: documents.register.listing)."""

    ordered = True

    def __init__(self, *, user, department, box: str, status: str = "", per_page: int = 30):
        self.connection = connections[CircularReport.objects.db]
        self.box = box
        self.per_page = per_page
        q = self.connection.ops.quote_name
        self.q = q
        self.offset = None
        self.rows: list[BoxRow] = []
        self.total = None
        visibility = _visibility_sql(user, q)
        self.none = visibility is None
        if self.none:
            self.total = 0
            return
        self.count_key = _count_key(user, department, box, status)
        # A box of the reader's own department holds only reports the rule lets them see (the
        # outbox: their department's; the inbox: sent to it), and so does the inbox of any
        # department for the Director's Office (every sent report): the rule is then left
        # out, which spares the database a pass over every delivery to the department.
        implied = department.pk in department_ids_of(user) or (
            box == "inbox" and is_director_office(user)
        )
        conditions, params = ([], []) if implied else ([visibility[0]], list(visibility[1]))
        deliveries = q(ReportDelivery._meta.db_table)
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
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
                self.total = 0
                return
            self.status_column = inbox_status
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
            self.status_column = f"r.{q('status')}"
            self.column_params = []
        self.table = f"{q(CircularReport._meta.db_table)} r"
        self.condition = " AND ".join(conditions)
        self.params = params
        self.order = f"ORDER BY r.{q('created_at')} DESC, r.{q('id')} DESC"

    def fetch(self, offset: int) -> None:
        """Read the page at `offset`, and the number of reports where the page tells it (see
        the class's docstring)."""
        self.offset, self.rows = offset, []
        if self.none:
            return
        fetched = self._read(offset, self.per_page + 1)
        self.rows = fetched[: self.per_page]
        self.total = total_told_by_page(
            offset=offset,
            per_page=self.per_page,
            fetched=len(fetched),
            kept=lambda: cache.get(self.count_key) if self.count_key else None,
        )

    def count(self) -> int:
        if self.total is None:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {self.table} WHERE {self.condition}",  # noqa: S608
                    self.params,
                )
                self.total = cursor.fetchone()[0]
            if self.count_key:
                cache.set(self.count_key, self.total, BOX_COUNT_SECONDS)
        return self.total

    def __len__(self):
        return self.count()

    def __getitem__(self, index) -> list[BoxRow]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("BoxReports is read a page (a slice) at a time.")
        start = index.start or 0
        if self.none or (index.stop is not None and index.stop <= start):
            return []
        if start == self.offset and index.stop is not None and index.stop - start <= self.per_page:
            return self.rows[: index.stop - start]
        return self._read(start, None if index.stop is None else index.stop - start)

    def _read(self, offset: int, limit: int | None) -> list[BoxRow]:
        """`limit` reports from `offset` on (all of them for None), newest first."""
        if limit is not None:
            limit_sql = f" LIMIT {int(limit)}"
        else:
            limit_sql = " LIMIT ALL" if self.connection.vendor == "postgresql" else " LIMIT -1"
        q = self.q
        departments = q(Department._meta.db_table)
        # One page's reports in order (through the index of the newest first), then their type
        # and source (foreign keys that are never null: the joins change no report's place).
        sql = (
            f"SELECT r.{q('id')}, r.{q('title')}, r.{q('period')}, r.{q('due_at')},"  # noqa: S608
            f" r.status_shown, t.{q('name')}, t.{q('name_en')}, s.{q('name')}, s.{q('name_en')}"
            f" FROM (SELECT r.{q('id')}, r.{q('title')}, r.{q('period')}, r.{q('due_at')},"
            f" r.{q('created_at')}, r.{q('report_type_id')}, r.{q('source_id')},"
            f" {self.status_column} AS status_shown"
            f" FROM {self.table} WHERE {self.condition} {self.order}{limit_sql}"
            f" OFFSET {int(offset)}) r"
            f" INNER JOIN {q(ReportType._meta.db_table)} t ON t.{q('id')} = r.{q('report_type_id')}"
            f" INNER JOIN {departments} s ON s.{q('id')} = r.{q('source_id')}"
            f" {self.order}"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*self.column_params, *self.params])
            rows = [
                BoxRow(pk, title, period, _aware(due_at), *rest)
                for pk, title, period, due_at, *rest in cursor.fetchall()
            ]
        if not rows or self.box == "inbox":
            return rows
        destinations: dict[int, list] = {row.pk: [] for row in rows}
        marks = ", ".join(["%s"] * len(rows))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT v.{q('report_id')}, d.{q('name')}, d.{q('name_en')}, v.{q('status')}"  # noqa: S608
                f" FROM {q(ReportDelivery._meta.db_table)} v"
                f" INNER JOIN {departments} d ON d.{q('id')} = v.{q('destination_id')}"
                f" WHERE v.{q('report_id')} IN ({marks}) ORDER BY v.{q('id')}",
                list(destinations),
            )
            for report_id, *destination in cursor.fetchall():
                destinations[report_id].append(tuple(destination))
        return [row._replace(destinations=tuple(destinations[row.pk])) for row in rows]


def box_rows_html(rows: list[BoxRow], *, box: str, now) -> SafeString:
    """The `<tr>` of each report of a box's page, as `documents/report_box.html` laid them out
    with a template loop (a page repeats a few types, departments and decisions: each is
    escaped once)."""
    before, after = url_around_pk("documents:report_detail")
    decisions = {value: text(label) for value, label in ReportDelivery.Status.choices}
    statuses = {value: text(label) for value, label in CircularReport.Status.choices}
    overdue = text(pgettext("report", "Overdue"))
    overdue = f' <span class="badge overdue">{overdue}</span>'
    english = (get_language() or "").startswith("en")
    escaped = escaped_once()

    def name(chinese, english_name) -> str:
        # `in_reader_language`, with the reader's language asked once for the page.
        return escaped(english_name if english and english_name else chinese)

    def status(value, labels) -> str:
        return (
            f'<span class="status status-{escaped(value)}">'
            f"{labels.get(value) or escaped(value)}</span>"
        )

    out = []
    for row in rows:
        period = f' <span class="hint">{text(row.period)}</span>' if row.period else ""
        late = row.status == "sent" and row.due_at is not None and row.due_at < now
        late = overdue if late else ""
        if box == "inbox":
            cells = (
                f"<td>{name(row.source_name, row.source_name_en)}</td>\n"
                f"    <td>{status(row.status, decisions)}{late}</td>"
            )
        else:
            listed = "".join(
                f"<li>{name(chinese, english_name)} · {status(decision, decisions)}</li>"
                for chinese, english_name, decision in row.destinations
            )
            cells = (
                f'<td><ul class="report-destinations">{listed}</ul></td>\n'
                f"    <td>{status(row.status, statuses)}{late}</td>"
            )
        # The template's `date:"Y-m-d H:i"` (digits only, so the same in every language).
        due = (
            timezone.localtime(row.due_at).strftime("%Y-%m-%d %H:%M")
            if row.due_at is not None
            else "—"
        )
        out.append(
            "<tr>\n"
            f'    <td><a href="{before}{int(row.pk)}{after}">{text(row.title)}</a>{period}</td>\n'
            f"    <td>{name(row.type_name, row.type_name_en)}</td>\n"
            f"    {cells}\n"
            f"    <td>{due}</td>\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


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
