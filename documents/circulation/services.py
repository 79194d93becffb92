"""Writes of report circulation: drafting and editing reports, their steps from the drafter
through the source department's head to the destination's, and the seeded report types. Each
step checks who may take it and the report's state, changes the rows in one transaction, records
the step and the audit entry, and notifies who must act next. A refusal is a `Refusal`: 403 for
a person not allowed, 409 for a report in the wrong state, 400 for missing input."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import permissions
from documents.circulation.models import (
    CircularReport,
    ReportAttachment,
    ReportNotification,
    ReportStep,
    ReportType,
)
from documents.circulation.notifications import handlers, notify
from documents.circulation.report_types import DEFAULT_REPORT_TYPES, DEFAULT_SCHEMAS
from portal.models import Department
from portal.refusals import Refusal
from portal.services import audit_record

REPORT_ATTACHMENT_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".doc", ".xls", ".txt", ".csv"})


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise Refusal(message, status=403)


def _step(report, action, actor, comment=""):
    ReportStep.objects.create(report=report, action=action, actor=actor, comment=comment)
    audit_record(actor=actor, action=f"report.{action}", target=report, reason=comment, data={})


def report_create(
    *,
    actor,
    report_type: ReportType,
    title: str,
    body: str = "",
    period: str = "",
    data: dict | None = None,
    attachments=(),
) -> CircularReport:
    """A member of the type's source department drafts a report. `data` holds the answers to
    the type's own form fields, already cleaned by its form (see `report_fields`)."""
    _refuse_unless(
        permissions.may_draft_report(actor, report_type),
        _("Only members of %(department)s draft this kind of report.")
        % {"department": report_type.source.display_name},
    )
    with transaction.atomic():
        report = CircularReport.objects.create(
            report_type=report_type,
            source=report_type.source,
            destination=report_type.destination,
            title=title,
            body=body,
            period=period,
            data=data or {},
            drafter=actor,
        )
        _step(report, ReportStep.Action.CREATED, actor)
        for upload in attachments:
            report_attachment_add(actor=actor, report=report, upload=upload)
    return report


def report_update(
    *,
    actor,
    report: CircularReport,
    title: str,
    body: str = "",
    period: str = "",
    data: dict | None = None,
):
    """The drafter revises a report before it is submitted (a draft or a returned one)."""
    with transaction.atomic():
        report = CircularReport.objects.select_for_update().get(pk=report.pk)
        if report.drafter_id != actor.pk:
            raise Refusal(_("Only the drafter edits a report."), status=403)
        if report.status not in permissions.EDITABLE_REPORT_STATUSES:
            raise Refusal(_("A report can be edited only before it is submitted."), status=409)
        report.title, report.body, report.period = title, body, period
        if data is not None:
            report.data = data
        report.save(update_fields=["title", "body", "period", "data"])
        audit_record(actor=actor, action="report.edited", target=report)
    return report


def report_attachment_add(*, actor, report: CircularReport, upload) -> ReportAttachment:
    """The drafter adds a file to a report before it is submitted."""
    if report.drafter_id != actor.pk or report.status not in permissions.EDITABLE_REPORT_STATUSES:
        raise Refusal(_("Attachments are added by the drafter before submitting."), status=409)
    attachment = ReportAttachment(
        report=report, original_name=upload.name[:200], size=upload.size or 0, uploaded_by=actor
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def _locked(report) -> CircularReport:
    return (
        CircularReport.objects.select_for_update(of=("self",))
        .select_related("source__head__user", "destination__head__user", "report_type", "drafter")
        .get(pk=report.pk)
    )


def _require_status(report, allowed, message):
    if report.status not in allowed:
        raise Refusal(
            message
            + " "
            + _("The report is now: %(status)s.") % {"status": report.get_status_display()},
            status=409,
        )


def _refuse_unless_approver(actor, report) -> None:
    _refuse_unless(
        permissions.may_approve_report(actor, report),
        _("Only the head of %(department)s approves its reports.")
        % {"department": report.source.display_name},
    )


def _refuse_unless_decider(actor, report) -> None:
    _refuse_unless(
        permissions.may_decide_report(actor, report),
        _("Only the head of %(department)s accepts or returns reports sent to it.")
        % {"department": report.destination.display_name},
    )


def _required_comment(comment: str) -> str:
    """A returning step's comment, stripped; refused when there is none."""
    comment = comment.strip()
    if not comment:
        raise Refusal(_("Say what should change before returning the report."))
    return comment


def report_submit(*, actor, report: CircularReport) -> CircularReport:
    """The drafter hands a draft (or a returned report) to the source head for approval."""
    S = CircularReport.Status
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless(report.drafter_id == actor.pk, _("Only the drafter submits a report."))
        _require_status(
            report,
            permissions.EDITABLE_REPORT_STATUSES,
            _("Only a draft or a returned report can be submitted."),
        )
        report.status = S.SUBMITTED
        report.save(update_fields=["status"])
        _step(report, ReportStep.Action.SUBMITTED, actor)
        notify(report, ReportNotification.Kind.SUBMITTED, [report.source.head], actor=actor)
    return report


def report_approve(*, actor, report: CircularReport, comment: str = "") -> CircularReport:
    """The source head approves: the report is sent and due within its type's time."""
    S = CircularReport.Status
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless_approver(actor, report)
        _require_status(report, (S.SUBMITTED,), _("Only a submitted report can be approved."))
        now = timezone.now()
        report.status = S.SENT
        report.sent_at = now
        report.due_at = now + timedelta(hours=report.report_type.due_hours)
        report.decided_at = None
        report.save(update_fields=["status", "sent_at", "due_at", "decided_at"])
        _step(report, ReportStep.Action.APPROVED, actor, comment)
        notify(report, ReportNotification.Kind.SENT, handlers(report.destination), actor=actor)
    return report


def report_return_to_drafter(*, actor, report: CircularReport, comment: str) -> CircularReport:
    """The source head sends a submitted report back to its drafter, saying what should
    change."""
    S = CircularReport.Status
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless_approver(actor, report)
        _require_status(report, (S.SUBMITTED,), _("Only a submitted report can be returned."))
        comment = _required_comment(comment)
        report.status = S.RETURNED_TO_DRAFTER
        report.save(update_fields=["status"])
        _step(report, ReportStep.Action.RETURNED_TO_DRAFTER, actor, comment)
        notify(
            report,
            ReportNotification.Kind.RETURNED_TO_DRAFTER,
            [report.drafter],
            actor=actor,
            comment=comment,
        )
    return report


def report_accept(*, actor, report: CircularReport, comment: str = "") -> CircularReport:
    """The destination head accepts a sent report."""
    S = CircularReport.Status
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless_decider(actor, report)
        _require_status(report, (S.SENT,), _("Only a sent report can be accepted."))
        report.status = S.ACCEPTED
        report.decided_at = timezone.now()
        report.save(update_fields=["status", "decided_at"])
        _step(report, ReportStep.Action.ACCEPTED, actor, comment.strip())
        notify(
            report,
            ReportNotification.Kind.ACCEPTED,
            [report.drafter, report.source.head],
            actor=actor,
            comment=comment.strip(),
        )
    return report


def report_return(*, actor, report: CircularReport, comment: str) -> CircularReport:
    """The destination head returns a sent report to its source with comments."""
    S = CircularReport.Status
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless_decider(actor, report)
        _require_status(report, (S.SENT,), _("Only a sent report can be returned."))
        comment = _required_comment(comment)
        report.status = S.RETURNED
        report.decided_at = timezone.now()
        report.save(update_fields=["status", "decided_at"])
        _step(report, ReportStep.Action.RETURNED, actor, comment)
        notify(
            report,
            ReportNotification.Kind.RETURNED,
            [report.drafter, report.source.head],
            actor=actor,
            comment=comment,
        )
    return report


REPORT_TRANSITIONS = {
    "submit": report_submit,
    "approve": report_approve,
    "return-to-drafter": report_return_to_drafter,
    "accept": report_accept,
    "return": report_return,
}


def report_types_ensure() -> int:
    """Create the default report types whose departments exist (by the codes of seed_demo);
    types already there, perhaps edited by an administrator, are left alone. Returns how many
    were created."""
    departments = {
        department.code: department
        for department in Department.objects.filter(
            code__in={code for row in DEFAULT_REPORT_TYPES for code in row[3:]}
        )
    }
    existing = set(ReportType.objects.values_list("code", flat=True))
    created = 0
    for order, (code, name, name_en, source, destination) in enumerate(DEFAULT_REPORT_TYPES):
        if code in existing or source not in departments or destination not in departments:
            continue
        ReportType.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            fields=DEFAULT_SCHEMAS.get(code, []),
            source=departments[source],
            destination=departments[destination],
            sort_order=order * 10,
        )
        created += 1
    return created
