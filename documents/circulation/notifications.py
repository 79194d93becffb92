"""Who is told about a report, and how: a notification on the portal at once, and a mail
through the task queue once the step is committed. Also the daily reminder of overdue reports."""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.circulation.models import CircularReport, ReportDelivery, ReportNotification
from portal.models import Department, Employee
from portal.tasks import email_send


def handlers(department: Department) -> list:
    """Who acts on a report arriving at `department`: its head; the department's active
    members when it has no head, so that a report never arrives unseen."""
    if department.head_id is not None:
        return [department.head]
    return list(
        Employee.objects.filter(department=department, user__is_active=True).select_related("user")
    )


def _recipient_users(people, *, exclude=None) -> list:
    """Users from a mix of employees, users and None, once each, without `exclude` (who acted
    knows already)."""
    users = {}
    for person in people:
        if person is None:
            continue
        user = person.user if isinstance(person, Employee) else person
        if user.is_active and (exclude is None or user.pk != exclude.pk):
            users[user.pk] = user
    return list(users.values())


def _notification_mail(report, kind, comment="", department=None) -> tuple[str, str]:
    url = settings.INTRANET_BASE_URL.rstrip("/") + reverse(
        "documents:report_detail", args=[report.pk]
    )
    with translation.override(settings.LANGUAGE_CODE):
        headline = str(ReportNotification.Kind(kind).label)
        subject = f"{headline}: {report.title}"
        lines = [
            headline,
            "",
            _("Report: %(title)s") % {"title": report.title},
            _("Type: %(type)s") % {"type": report.report_type.display_name},
            _("From %(source)s to %(destination)s")
            % {
                "source": report.source.display_name,
                "destination": department.display_name
                if department is not None
                else ", ".join(
                    d.destination.display_name
                    for d in report.deliveries.select_related("destination")
                ),
            },
        ]
        if report.due_at and kind in (
            ReportNotification.Kind.SENT,
            ReportNotification.Kind.OVERDUE,
        ):
            lines.append(
                _("Due: %(due)s")
                % {"due": timezone.localtime(report.due_at).strftime("%Y-%m-%d %H:%M")}
            )
        if comment:
            lines += ["", _("Comment: %(comment)s") % {"comment": comment}]
        lines += ["", url]
    return subject, "\n".join(lines)


def notify(report, kind, people, *, actor=None, comment="", now=None, department=None) -> int:
    """Tell `people` about `report` (at `department`, the destination the news is about): a
    notification on the portal, and a mail queued once the transaction commits (so a
    rolled-back step mails nobody). Returns how many were told."""
    users = _recipient_users(people, exclude=actor)
    if not users:
        return 0
    now = now or timezone.now()
    ReportNotification.objects.bulk_create(
        [
            ReportNotification(
                recipient=user, report=report, kind=kind, created_at=now, department=department
            )
            for user in users
        ]
    )
    to = sorted({user.email for user in users if user.email})
    if to:
        subject, body = _notification_mail(report, kind, comment, department)
        transaction.on_commit(partial(email_send.enqueue, subject=subject, body=body, to=to))
    return len(users)


def report_notifications_mark_read(*, user, report: CircularReport | None = None) -> int:
    """Mark `user`'s unread notifications read: those of one report (on opening it), or all."""
    unread = ReportNotification.objects.filter(recipient=user, read_at__isnull=True)
    if report is not None:
        unread = unread.filter(report=report)
    return unread.update(read_at=timezone.now())


def reports_remind_overdue(*, now=None) -> int:
    """Remind each destination that has still to decide on a sent report past its due time, at
    most once a local day per report: the day is claimed with a conditional update, so a second
    run the same day (or a concurrent one) reminds nobody again. Returns how many reports were
    reminded of."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    overdue = (
        CircularReport.objects.filter(status=CircularReport.Status.SENT, due_at__lt=now)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related("report_type", "source")
        .order_by("pk")
    )
    reminded = 0
    for report in overdue.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = (
                CircularReport.objects.filter(pk=report.pk, status=CircularReport.Status.SENT)
                .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            pending = report.deliveries.filter(status=ReportDelivery.Status.SENT).select_related(
                "destination__head__user"
            )
            for delivery in pending:
                notify(
                    report,
                    ReportNotification.Kind.OVERDUE,
                    handlers(delivery.destination),
                    now=now,
                    department=delivery.destination,
                )
            reminded += 1
    return reminded
