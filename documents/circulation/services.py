"""Writes of report circulation: drafting and editing reports, their steps from the drafter
through the source department's head to each destination's, and the seeded report types. Each
step checks who may take it and the report's state, changes the rows in one transaction, records
the step and the audit entry, and notifies who must act next. A refusal is a `Refusal`: 403 for
a person not allowed, 409 for a report in the wrong state, 400 for missing input.

A report may have several destinations (a quality inspection report goes to storage and to
audit). Approval sends it to each destination that has not accepted it yet; each destination's
head accepts or returns it on their own. The report is accepted once every destination has
accepted it; once every destination has decided and one returned it, it is returned to its
drafter, and the revised report, approved again, goes only to the destinations that returned
it (an acceptance stands)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import permissions
from documents.circulation.models import (
    CircularReport,
    ReportAttachment,
    ReportDelivery,
    ReportNotification,
    ReportStep,
    ReportType,
)
from documents.circulation.notifications import handlers, notify
from documents.circulation.report_types import (
    DEFAULT_REPORT_TYPES,
    DEFAULT_SCHEMAS,
    ROUTE_DEPARTMENTS,
)
from portal.models import Department
from portal.refusals import Refusal
from portal.services import audit_record

REPORT_ATTACHMENT_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".doc", ".xls", ".txt", ".csv"})


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise Refusal(message, status=403)


# The audit code of each step: spelt out so that every code has its sentence (documents/audit.py).
STEP_AUDIT_ACTIONS = {
    ReportStep.Action.CREATED: "report.created",
    ReportStep.Action.SUBMITTED: "report.submitted",
    ReportStep.Action.APPROVED: "report.approved",
    ReportStep.Action.RETURNED_TO_DRAFTER: "report.returned_to_drafter",
    ReportStep.Action.ACCEPTED: "report.accepted",
    ReportStep.Action.RETURNED: "report.returned",
}


def _step(report, action, actor, comment="", department=None):
    ReportStep.objects.create(
        report=report, action=action, actor=actor, comment=comment, department=department
    )
    data = {"department": department.code} if department is not None else {}
    audit_record(
        actor=actor, action=STEP_AUDIT_ACTIONS[action], target=report, reason=comment, data=data
    )


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
    destinations = list(report_type.destinations.all())
    if not destinations:
        raise Refusal(_("This kind of report has no destination yet."), status=409)
    with transaction.atomic():
        report = CircularReport.objects.create(
            report_type=report_type,
            source=report_type.source,
            title=title,
            body=body,
            period=period,
            data=data or {},
            drafter=actor,
        )
        # Copied from the type: a later change of route does not move the report.
        ReportDelivery.objects.bulk_create(
            [ReportDelivery(report=report, destination=department) for department in destinations]
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
    """The report, locked: its steps (and its destinations' decisions) happen one at a time."""
    return (
        CircularReport.objects.select_for_update(of=("self",))
        .select_related("source__head__user", "report_type", "drafter")
        .get(pk=report.pk)
    )


def _deliveries(report) -> list[ReportDelivery]:
    return list(report.deliveries.select_related("destination__head__user").order_by("pk"))


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


def _delivery_to_decide(actor, report, destination_id, state_message) -> ReportDelivery:
    """The destination `actor` decides for: the one named, or the only one they head; the
    report must be sent and that destination not have decided yet."""
    deliveries = _deliveries(report)
    mine = [d for d in deliveries if permissions.may_decide_delivery(actor, d)]
    if destination_id:
        mine = [d for d in mine if d.destination_id == int(destination_id)]
    if not mine:
        names = ", ".join(d.destination.display_name for d in deliveries)
        raise Refusal(
            _("Only the head of a destination department (%(departments)s) accepts or returns it.")
            % {"departments": names},
            status=403,
        )
    _require_status(report, (CircularReport.Status.SENT,), state_message)
    if len(mine) > 1:
        raise Refusal(_("Choose the department you decide for."))
    delivery = mine[0]
    if delivery.status != ReportDelivery.Status.SENT:
        raise Refusal(
            _("%(department)s has already decided: %(status)s.")
            % {
                "department": delivery.destination.display_name,
                "status": delivery.get_status_display(),
            },
            status=409,
        )
    return delivery


def _settle(report, now) -> None:
    """The report's status once a destination has decided: still sent while another has to
    decide; accepted when all accepted; returned when all decided and one returned it."""
    S, D = CircularReport.Status, ReportDelivery.Status
    statuses = set(report.deliveries.values_list("status", flat=True))
    if D.SENT in statuses:
        return
    report.status = S.ACCEPTED if statuses == {D.ACCEPTED} else S.RETURNED
    report.decided_at = now
    report.save(update_fields=["status", "decided_at"])


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
        report.reminded_on = None
        report.save(update_fields=["status", "sent_at", "due_at", "decided_at", "reminded_on"])
        _step(report, ReportStep.Action.APPROVED, actor, comment)
        # Every destination that has not accepted it yet receives it (again).
        for delivery in _deliveries(report):
            if delivery.status == ReportDelivery.Status.ACCEPTED:
                continue
            delivery.status = ReportDelivery.Status.SENT
            delivery.decided_at = None
            delivery.decided_by = None
            delivery.save(update_fields=["status", "decided_at", "decided_by"])
            notify(
                report,
                ReportNotification.Kind.SENT,
                handlers(delivery.destination),
                actor=actor,
                department=delivery.destination,
            )
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


def report_accept(
    *, actor, report: CircularReport, comment: str = "", destination_id: int | None = None
) -> CircularReport:
    """The head of a destination accepts a sent report for their department (`destination_id`
    names it when they head more than one of its destinations)."""
    return _decide(
        actor=actor,
        report=report,
        destination_id=destination_id,
        comment=comment.strip(),
        accept=True,
    )


def report_return(
    *, actor, report: CircularReport, comment: str, destination_id: int | None = None
) -> CircularReport:
    """The head of a destination returns a sent report to its source with comments."""
    return _decide(
        actor=actor,
        report=report,
        destination_id=destination_id,
        comment=comment,
        accept=False,
    )


def _decide(*, actor, report, destination_id, comment, accept) -> CircularReport:
    D = ReportDelivery.Status
    with transaction.atomic():
        report = _locked(report)
        delivery = _delivery_to_decide(
            actor,
            report,
            destination_id,
            _("Only a sent report can be accepted.")
            if accept
            else _("Only a sent report can be returned."),
        )
        if not accept:
            comment = _required_comment(comment)
        now = timezone.now()
        delivery.status = D.ACCEPTED if accept else D.RETURNED
        delivery.decided_at = now
        delivery.decided_by = actor
        delivery.save(update_fields=["status", "decided_at", "decided_by"])
        _step(
            report,
            ReportStep.Action.ACCEPTED if accept else ReportStep.Action.RETURNED,
            actor,
            comment,
            department=delivery.destination,
        )
        _settle(report, now)
        notify(
            report,
            ReportNotification.Kind.ACCEPTED if accept else ReportNotification.Kind.RETURNED,
            [report.drafter, report.source.head],
            actor=actor,
            comment=comment,
            department=delivery.destination,
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
    """Create the default report types whose departments all exist (by the codes of
    seed_demo); types already there, perhaps edited by an administrator, are left alone.
    Returns how many were created."""
    departments = {
        department.code: department
        for department in Department.objects.filter(code__in=ROUTE_DEPARTMENTS)
    }
    existing = set(ReportType.objects.values_list("code", flat=True))
    created = 0
    for order, (code, name, name_en, source, destinations) in enumerate(DEFAULT_REPORT_TYPES):
        if code in existing or any(c not in departments for c in (source, *destinations)):
            continue
        with transaction.atomic():
            report_type = ReportType.objects.create(
                code=code,
                name=name,
                name_en=name_en,
                fields=DEFAULT_SCHEMAS.get(code, []),
                source=departments[source],
                sort_order=order * 10,
            )
            report_type.destinations.set([departments[c] for c in destinations])
        created += 1
    return created
