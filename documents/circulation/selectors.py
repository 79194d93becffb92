"""Reads of report circulation that depend on who asks."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from documents.circulation.models import CircularReport, ReportNotification, ReportType
from documents.circulation.report_fields import answers
from documents.permissions import department_ids_of, is_director_office
from portal.models import Department


def reports_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """Reports `user` may see: the source department's members see all of theirs, drafts
    included; the destination department's members and the Director's Office see them once sent.
    Nobody else, whatever their role."""
    if queryset is None:
        queryset = CircularReport.objects.all()
    if not (user.is_authenticated and user.is_employee and user.is_active):
        return queryset.none()
    departments = department_ids_of(user)
    sent = Q(sent_at__isnull=False)
    visible = Q(source_id__in=departments) | (Q(destination_id__in=departments) & sent)
    if is_director_office(user):
        visible |= sent
    return queryset.filter(visible)


def reports_shown_to(*, user) -> QuerySet:
    """The reports `user` may see, each with what its pages show beside it."""
    return reports_visible_to(user=user).select_related(
        "report_type", "source", "destination", "drafter__employee"
    )


def report_answers(*, report) -> list:
    """The answers to the report type's own fields, formatted for reading."""
    return answers(report.report_type.fields, report.data)


def report_notifications_for(*, user) -> QuerySet:
    """`user`'s report notifications, newest first, with what each line shows."""
    return ReportNotification.objects.filter(recipient=user).select_related(
        "report__source", "report__destination"
    )


def unread_report_notification_count(*, user) -> int:
    """How many of `user`'s report notifications are unread."""
    return ReportNotification.objects.filter(recipient=user, read_at__isnull=True).count()


def report_steps(*, report) -> list:
    """A report's history, oldest step first, with who took each."""
    return list(report.steps.select_related("actor__employee"))


BOXES = ("inbox", "outbox")


def box_department_choices(*, user) -> list[Department]:
    """The departments whose boxes `user` may open: their own (and its parent); every department
    for the Director's Office."""
    if is_director_office(user):
        return list(Department.objects.filter(parent__isnull=True))
    return list(Department.objects.filter(pk__in=department_ids_of(user)))


def report_box(*, user, department: Department, box: str, status: str = "") -> QuerySet:
    """A department's inbox (reports sent to it) or outbox (reports it drafted), as `user` may
    see them, newest first, with an `overdue` flag."""
    reports = reports_visible_to(user=user)
    if box == "inbox":
        reports = reports.filter(destination=department, sent_at__isnull=False)
    else:
        reports = reports.filter(source=department)
    if status == "overdue":
        reports = reports.filter(status=CircularReport.Status.SENT, due_at__lt=timezone.now())
    elif status:
        reports = reports.filter(status=status)
    return reports.select_related("report_type", "source", "destination", "drafter__employee")


def active_report_types_for(*, user) -> QuerySet:
    """The report types in use that `user`'s department drafts."""
    return ReportType.objects.filter(
        is_active=True, source_id__in=department_ids_of(user)
    ).select_related("source", "destination")
