"""Writes to the document register and to circulated reports. Each service checks who may do
it, changes the rows in one transaction and records what it did in the audit log."""

from datetime import timedelta
from functools import partial

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from documents import permissions
from documents.models import (
    Acknowledgement,
    CircularReport,
    DepartmentGrant,
    DocumentFile,
    PolicyDocument,
    ReportAttachment,
    ReportNotification,
    ReportStep,
    ReportType,
)
from documents.report_fields import DEFAULT_SCHEMAS
from portal.models import Department, Employee
from portal.services import audit_record


class ActionRefused(Exception):
    """A step that may not be taken now (wrong state) or by this person. `status` is the HTTP
    status a view answers with: 409 for a state conflict, 403 for a person not allowed."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def _refuse_unless(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise ActionRefused(message or _("You are not allowed to do this."), status=403)


# Policy documents


def _register_changed() -> None:
    from documents.selectors import register_changed

    transaction.on_commit(register_changed)


def _next_sequence(department: Department, year: int) -> int:
    last = PolicyDocument.objects.filter(issuing_department=department, year=year).aggregate(
        last=Max("sequence")
    )["last"]
    return (last or 0) + 1


def document_register(
    *,
    actor,
    issuing_department: Department,
    number_prefix: str,
    year: int,
    title: str,
    level: str,
    sequence: int | None = None,
    category=None,
    signing_date=None,
    effective_date=None,
    summary: str = "",
    is_restricted: bool = False,
    requires_acknowledgement: bool = False,
    supersedes: PolicyDocument | None = None,
    official_file=None,
    attachments=(),
) -> PolicyDocument:
    """Register a document as a draft. Without a sequence number it gets the next free one of
    its department and year; the department's row is locked while the number is chosen, so two
    managers registering at once never get the same number."""
    _refuse_unless(permissions.may_register_documents(actor))
    with transaction.atomic():
        Department.objects.select_for_update().filter(pk=issuing_department.pk).first()
        if sequence is None:
            sequence = _next_sequence(issuing_department, year)
        elif PolicyDocument.objects.filter(
            issuing_department=issuing_department, year=year, sequence=sequence
        ).exists():
            raise ActionRefused(
                _("Number %(number)s is already taken; the next free one is %(next)d.")
                % {
                    "number": f"{number_prefix}〔{year}〕{sequence}号",
                    "next": _next_sequence(issuing_department, year),
                }
            )
        if supersedes is not None and supersedes.status != PolicyDocument.Status.IN_FORCE:
            raise ActionRefused(_("Only a document in force can be superseded."))
        document = PolicyDocument.objects.create(
            issuing_department=issuing_department,
            number_prefix=number_prefix,
            year=year,
            sequence=sequence,
            title=title,
            level=level,
            category=category,
            signing_date=signing_date,
            effective_date=effective_date,
            summary=summary,
            is_restricted=is_restricted,
            requires_acknowledgement=requires_acknowledgement,
            supersedes=supersedes,
            registered_by=actor,
        )
        _register_changed()
        audit_record(actor=actor, action="document.registered", target=document)
        if official_file is not None:
            document_file_add(actor=actor, document=document, upload=official_file)
        for upload in attachments:
            document_file_add(
                actor=actor, document=document, upload=upload, kind=DocumentFile.Kind.ATTACHMENT
            )
    return document


DOCUMENT_EDITABLE_FIELDS = (
    "title",
    "level",
    "category",
    "signing_date",
    "effective_date",
    "summary",
    "is_restricted",
    "requires_acknowledgement",
)


def document_update(*, actor, document: PolicyDocument, **changes) -> PolicyDocument:
    """Revise the register entry. The number and issuing department never change once given."""
    _refuse_unless(permissions.may_manage_document(actor, document))
    unknown = set(changes) - set(DOCUMENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if document.status in (PolicyDocument.Status.SUPERSEDED, PolicyDocument.Status.REPEALED):
        raise ActionRefused(_("A superseded or repealed document can no longer be revised."))
    with transaction.atomic():
        changed = {
            name: str(value) for name, value in changes.items() if getattr(document, name) != value
        }
        for name, value in changes.items():
            setattr(document, name, value)
        document.save()
        _register_changed()
        audit_record(actor=actor, action="document.revised", target=document, data=changed)
    return document


def document_publish(*, actor, document: PolicyDocument) -> PolicyDocument:
    """Put a draft in force. A document that supersedes another marks that one superseded in
    the same transaction, so the chain is never half done."""
    _refuse_unless(permissions.may_manage_document(actor, document))
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != PolicyDocument.Status.DRAFT:
            raise ActionRefused(_("Only a draft can be published."))
        document.status = PolicyDocument.Status.IN_FORCE
        document.published_at = timezone.now()
        document.save(update_fields=["status", "published_at"])
        _register_changed()
        audit_record(actor=actor, action="document.published", target=document)
        if document.supersedes_id:
            old = PolicyDocument.objects.select_for_update().get(pk=document.supersedes_id)
            if old.status != PolicyDocument.Status.IN_FORCE:
                raise ActionRefused(
                    _("%(number)s is no longer in force and cannot be superseded.")
                    % {"number": old.number}
                )
            old.status = PolicyDocument.Status.SUPERSEDED
            old.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action="document.superseded",
                target=old,
                data={"superseded_by": document.pk, "number": document.number},
            )
    return document


def document_repeal(*, actor, document: PolicyDocument, reason: str) -> PolicyDocument:
    _refuse_unless(permissions.may_manage_document(actor, document))
    if not reason.strip():
        raise ActionRefused(_("Give the reason for the repeal."), status=400)
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != PolicyDocument.Status.IN_FORCE:
            raise ActionRefused(_("Only a document in force can be repealed."))
        document.status = PolicyDocument.Status.REPEALED
        document.repeal_reason = reason.strip()
        document.save(update_fields=["status", "repeal_reason"])
        _register_changed()
        audit_record(actor=actor, action="document.repealed", target=document, reason=reason)
    return document


def _queue_text_extraction(file_id: int) -> None:
    from documents.tasks import document_file_extract_text

    document_file_extract_text.enqueue(file_id=file_id)


def document_file_add(
    *, actor, document: PolicyDocument, upload, kind: str = DocumentFile.Kind.OFFICIAL, note=""
) -> DocumentFile:
    """Store a file of a document. A new official file is the next version and becomes the
    current one; earlier versions stay downloadable. Its text is extracted by a background task
    once the transaction commits."""
    _refuse_unless(permissions.may_manage_document(actor, document))
    with transaction.atomic():
        version = 1
        if kind == DocumentFile.Kind.OFFICIAL:
            last = document.files.filter(kind=kind).aggregate(last=Max("version"))["last"]
            version = (last or 0) + 1
        stored = DocumentFile(
            document=document,
            kind=kind,
            version=version,
            original_name=upload.name[:200],
            size=upload.size or 0,
            note=note,
            uploaded_by=actor,
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
        if kind == DocumentFile.Kind.OFFICIAL:
            PolicyDocument.objects.filter(pk=document.pk).update(official_file=stored)
            document.official_file = stored
        audit_record(
            actor=actor,
            action="document.file_added",
            target=document,
            data={"file": stored.original_name, "kind": kind, "version": version},
        )
        transaction.on_commit(partial(_queue_text_extraction, stored.pk))
    return stored


def document_file_store_text(*, file_id: int, text: str) -> None:
    """Keep a file's extracted text and have its document indexed again with it."""
    from portal.search.services import search_index_sync_later

    with transaction.atomic():
        document_id = (
            DocumentFile.objects.filter(pk=file_id).values_list("document_id", flat=True).first()
        )
        if document_id is None:
            return
        DocumentFile.objects.filter(pk=file_id).update(text=text, text_extracted=True)
        search_index_sync_later(model_label="documents.policydocument", pk=document_id)


# Who may read a restricted document


def _grant_context(actor, document):
    _refuse_unless(
        permissions.may_grant_access(actor, document),
        _("Only the head of the issuing department decides who reads this document."),
    )


def _holder_data(holder) -> dict:
    if isinstance(holder, Department):
        return {"department": holder.code}
    if isinstance(holder, Group):
        return {"group": holder.name}
    return {"user": holder.username}


def _access_change(
    *, actor, document: PolicyDocument, holder, grant: bool, include_sections: bool = True
) -> DepartmentGrant | None:
    """Let a holder (a user, a group or a department) read a restricted document, or stop it,
    and record which in the audit log. A department's grant is a `DepartmentGrant` row, returned
    when granted; a user's or a group's is an object permission."""
    _grant_context(actor, document)
    data = _holder_data(holder)
    department_grant = None
    with transaction.atomic():
        if isinstance(holder, Department):
            if grant:
                department_grant, _created = DepartmentGrant.objects.update_or_create(
                    document=document,
                    department=holder,
                    defaults={"include_sections": include_sections, "granted_by": actor},
                )
                data["include_sections"] = include_sections
            else:
                DepartmentGrant.objects.filter(document=document, department=holder).delete()
        elif grant:
            assign_perm(permissions.VIEW_PERMISSION, holder, document)
        else:
            remove_perm(permissions.VIEW_PERMISSION, holder, document)
        _register_changed()
        audit_record(
            actor=actor,
            action="document.access_granted" if grant else "document.access_revoked",
            target=document,
            data=data,
        )
    return department_grant


def access_grant_user(*, actor, document: PolicyDocument, user) -> None:
    _access_change(actor=actor, document=document, holder=user, grant=True)


def access_revoke_user(*, actor, document: PolicyDocument, user) -> None:
    _access_change(actor=actor, document=document, holder=user, grant=False)


def access_grant_group(*, actor, document: PolicyDocument, group: Group) -> None:
    _access_change(actor=actor, document=document, holder=group, grant=True)


def access_revoke_group(*, actor, document: PolicyDocument, group: Group) -> None:
    _access_change(actor=actor, document=document, holder=group, grant=False)


def access_grant_department(
    *, actor, document: PolicyDocument, department: Department, include_sections: bool = True
) -> DepartmentGrant:
    return _access_change(
        actor=actor,
        document=document,
        holder=department,
        grant=True,
        include_sections=include_sections,
    )


def access_revoke_department(*, actor, document: PolicyDocument, department: Department) -> None:
    _access_change(actor=actor, document=document, holder=department, grant=False)


def document_acknowledge(*, user, document: PolicyDocument) -> Acknowledgement:
    """The reader confirms having read the document (once; repeating changes nothing)."""
    if not permissions.may_acknowledge(user, document):
        raise ActionRefused(_("This document does not ask for acknowledgement."))
    with transaction.atomic():
        acknowledgement, created = Acknowledgement.objects.get_or_create(
            document=document, user=user
        )
        if created:
            audit_record(actor=user, action="document.acknowledged", target=document)
    return acknowledgement


# Report circulation

REPORT_ATTACHMENT_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".doc", ".xls", ".txt", ".csv"})


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
    the type's own form fields, already cleaned by its form (see documents.report_fields)."""
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
    with transaction.atomic():
        report = CircularReport.objects.select_for_update().get(pk=report.pk)
        if report.drafter_id != actor.pk:
            raise ActionRefused(_("Only the drafter edits a report."), status=403)
        if report.status not in permissions.EDITABLE_REPORT_STATUSES:
            raise ActionRefused(_("A report can be edited only before it is submitted."))
        report.title, report.body, report.period = title, body, period
        if data is not None:
            report.data = data
        report.save(update_fields=["title", "body", "period", "data"])
        audit_record(actor=actor, action="report.edited", target=report)
    return report


def report_attachment_add(*, actor, report: CircularReport, upload) -> ReportAttachment:
    if report.drafter_id != actor.pk or report.status not in permissions.EDITABLE_REPORT_STATUSES:
        raise ActionRefused(_("Attachments are added by the drafter before submitting."))
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


# Notifications: on the portal at once, by mail through the task queue once committed.


def _handlers(department: Department) -> list:
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


def _notification_mail(report, kind, comment="") -> tuple[str, str]:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

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
                "destination": report.destination.display_name,
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


def _notify(report, kind, people, *, actor=None, comment="", now=None) -> int:
    """Tell `people` about `report`: a notification on the portal, and a mail queued once the
    transaction commits (so a rolled-back step mails nobody). Returns how many were told."""
    from portal.tasks import email_send

    users = _recipient_users(people, exclude=actor)
    if not users:
        return 0
    now = now or timezone.now()
    ReportNotification.objects.bulk_create(
        [
            ReportNotification(recipient=user, report=report, kind=kind, created_at=now)
            for user in users
        ]
    )
    to = sorted({user.email for user in users if user.email})
    if to:
        subject, body = _notification_mail(report, kind, comment)
        transaction.on_commit(partial(email_send.enqueue, subject=subject, body=body, to=to))
    return len(users)


def report_notifications_mark_read(*, user, report: CircularReport | None = None) -> int:
    """Mark `user`'s unread notifications read: those of one report (on opening it), or all."""
    unread = ReportNotification.objects.filter(recipient=user, read_at__isnull=True)
    if report is not None:
        unread = unread.filter(report=report)
    return unread.update(read_at=timezone.now())


def reports_remind_overdue(*, now=None) -> int:
    """Remind the destination of every sent report past its due time, at most once a local
    day per report: the day is claimed with a conditional update, so a second run the same day
    (or a concurrent one) reminds nobody again. Returns how many reports were reminded of."""
    from django.db.models import Q

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    overdue = (
        CircularReport.objects.filter(status=CircularReport.Status.SENT, due_at__lt=now)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related("report_type", "source", "destination__head__user")
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
            _notify(report, ReportNotification.Kind.OVERDUE, _handlers(report.destination), now=now)
            reminded += 1
    return reminded


def _require_status(report, allowed, message):
    if report.status not in allowed:
        raise ActionRefused(
            message
            + " "
            + _("The report is now: %(status)s.") % {"status": report.get_status_display()}
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
        raise ActionRefused(_("Say what should change before returning the report."), 400)
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
        _notify(report, ReportNotification.Kind.SUBMITTED, [report.source.head], actor=actor)
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
        _notify(report, ReportNotification.Kind.SENT, _handlers(report.destination), actor=actor)
    return report


def report_return_to_drafter(*, actor, report: CircularReport, comment: str) -> CircularReport:
    S = CircularReport.Status
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless_approver(actor, report)
        _require_status(report, (S.SUBMITTED,), _("Only a submitted report can be returned."))
        comment = _required_comment(comment)
        report.status = S.RETURNED_TO_DRAFTER
        report.save(update_fields=["status"])
        _step(report, ReportStep.Action.RETURNED_TO_DRAFTER, actor, comment)
        _notify(
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
        _notify(
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
        _notify(
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


# The report types of DESIGN.md and the issue: code, Chinese, English, source, destination.
DEFAULT_REPORT_TYPES = [
    ("sales-plan", "销售计划", "Sales plan", "sales", "planning"),
    ("material-demand-plan", "材料需求计划", "Material demand plan", "production", "purchasing"),
    ("procurement-plan", "采购计划", "Procurement plan", "purchasing", "planning"),
    (
        "monthly-plan-implementation",
        "月度计划执行情况",
        "Monthly plan implementation",
        "planning",
        "director-office",
    ),
    (
        "price-declaration",
        "价格申报及审核通知",
        "Price declaration and audit notice",
        "purchasing",
        "finance",
    ),
    (
        "quality-inspection-report",
        "质量检验报告",
        "Quality inspection report",
        "quality",
        "production",
    ),
    (
        "raw-material-price-ceiling",
        "主要原材料月度最高限价",
        "Monthly maximum price of main raw materials",
        "finance",
        "purchasing",
    ),
    ("price-control", "价格控制", "Price control", "finance", "purchasing"),
    (
        "procurement-basis-finance-audit",
        "采购评价依据（财务→审计）",
        "Procurement evaluation basis (Finance → Audit)",
        "finance",
        "audit",
    ),
    (
        "procurement-basis-audit-management",
        "采购评价依据（审计→企管办）",
        "Procurement evaluation basis (Audit → Enterprise Management Office)",
        "audit",
        "enterprise-management",
    ),
    (
        "assessment-results",
        "考核结果报批",
        "Assessment results for approval",
        "enterprise-management",
        "director-office",
    ),
    (
        "assessment-reply",
        "考核结果批复",
        "Reply to assessment results",
        "director-office",
        "enterprise-management",
    ),
    (
        "purchased-material-feedback",
        "外购材料使用情况反馈",
        "Purchased-material feedback",
        "production",
        "purchasing",
    ),
    ("other", "其他", "Other", "director-office", "planning"),
]


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
