"""Reads of report circulation that depend on who asks."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import pgettext

from documents.circulation.models import (
    CircularReport,
    ReportDelivery,
    ReportNotification,
    ReportType,
)
from documents.circulation.report_fields import answers
from documents.permissions import department_ids_of, is_director_office
from portal.models import Department
from portal.selectors import employee_of


def reports_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """Reports `user` may see: the source department's members see all of theirs, drafts
    included; the members of a destination department and the Director's Office see them once
    sent. Nobody else, whatever their role."""
    if queryset is None:
        queryset = CircularReport.objects.all()
    if not (user.is_authenticated and user.is_employee and user.is_active):
        return queryset.none()
    departments = department_ids_of(user)
    sent = Q(sent_at__isnull=False)
    at_destination = Exists(
        ReportDelivery.objects.filter(report=OuterRef("pk"), destination_id__in=departments)
    )
    visible = Q(source_id__in=departments) | (at_destination & sent)
    if is_director_office(user):
        visible |= sent
    return queryset.filter(visible)


def _with_deliveries(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch(
            "deliveries",
            queryset=ReportDelivery.objects.select_related(
                "destination", "decided_by__employee"
            ).order_by("pk"),
        )
    )


def reports_shown_to(*, user) -> QuerySet:
    """The reports `user` may see, each with what its pages show beside it (its destinations
    with each one's decision)."""
    return _with_deliveries(
        reports_visible_to(user=user).select_related("report_type", "source", "drafter__employee")
    )


def report_answers(*, report) -> list:
    """The answers to the report type's own fields, formatted for reading."""
    return answers(report.report_type.fields, report.data)


def report_notifications_for(*, user) -> QuerySet:
    """`user`'s report notifications, newest first, with what each line shows."""
    return ReportNotification.objects.filter(recipient=user).select_related(
        "report__source", "department"
    )


def unread_report_notification_count(*, user) -> int:
    """How many of `user`'s report notifications are unread."""
    return ReportNotification.objects.filter(recipient=user, read_at__isnull=True).count()


def report_steps(*, report) -> list:
    """A report's history, oldest step first, with who took each."""
    return list(report.steps.select_related("actor__employee", "department"))


BOXES = ("inbox", "outbox")


def box_department_choices(*, user) -> list[Department]:
    """The departments whose boxes `user` may open: their own (and its parent); every department
    for the Director's Office."""
    if is_director_office(user):
        return list(Department.objects.filter(parent__isnull=True))
    employee = employee_of(user)
    if employee is not None and employee.department.parent_id is None:
        # Their only department, read with the signed-in user (a saved department forgets
        # every cached user): no query to build and compile for the box page.
        return [employee.department]
    return list(Department.objects.filter(pk__in=department_ids_of(user)))


def report_box(*, user, department: Department, box: str, status: str = "") -> QuerySet:
    """A department's inbox (reports sent to it, each with `inbox_status`, the department's own
    decision) or outbox (reports it drafted, each with its destinations' decisions), as `user`
    may see them, newest first. "overdue" in the inbox is a report the department has still to
    decide past its due time; in the outbox one some destination has.

    The box page reads the same rule written out in SQL (`documents.circulation.boxes`): a
    change here must be made there too (its equivalence test compares)."""
    reports = reports_visible_to(user=user)
    if box == "inbox":
        here = ReportDelivery.objects.filter(report=OuterRef("pk"), destination=department)
        reports = reports.filter(
            Exists(here.exclude(status=ReportDelivery.Status.WAITING)), sent_at__isnull=False
        ).annotate(inbox_status=Subquery(here.values("status")[:1]))
        if status == "overdue":
            reports = reports.filter(
                inbox_status=ReportDelivery.Status.SENT, due_at__lt=timezone.now()
            )
        elif status in ReportDelivery.Status.values:
            reports = reports.filter(inbox_status=status)
        elif status:
            reports = reports.none()
    else:
        reports = reports.filter(source=department)
        if status == "overdue":
            reports = reports.filter(status=CircularReport.Status.SENT, due_at__lt=timezone.now())
        elif status:
            reports = reports.filter(status=status)
    return _with_deliveries(reports.select_related("report_type", "source", "drafter__employee"))


def box_statuses(box: str) -> list[tuple[str, str]]:
    """The status filter of a box: a destination's decision in the inbox, the report's status
    in the outbox."""
    choices = (
        [c for c in ReportDelivery.Status.choices if c[0] != ReportDelivery.Status.WAITING]
        if box == "inbox"
        else CircularReport.Status.choices
    )
    return [("overdue", pgettext("report", "Overdue")), *choices]


def active_report_types_for(*, user) -> QuerySet:
    """The report types in use that `user`'s department drafts."""
    return (
        ReportType.objects.filter(is_active=True, source_id__in=department_ids_of(user))
        .select_related("source")
        .prefetch_related("destinations")
    )
