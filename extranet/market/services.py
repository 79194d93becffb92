"""Writes of market information: submission, review, added information; the grade history."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet.market.models import (
    GradeChange,
    MarketReport,
    MarketReportEvent,
    MarketReportPhoto,
)
from portal.services import audit_record


class ReportRefused(Exception):
    """A review or an addition that is not possible in the report's state."""


DECISIONS = ("approve", "reject", "ask")


def _event(report, *, kind, actor, at, text=""):
    return MarketReportEvent.objects.create(report=report, kind=kind, actor=actor, at=at, text=text)


def _notify_submitter(report, subject, body):
    from portal.tasks import email_send

    user = report.submitted_by
    if user is not None and user.email:
        to = [user.email]
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))


def report_submit(
    *,
    user,
    kind: str,
    observed_on,
    location: str,
    description: str,
    retailer=None,
    region: str = "",
    product=None,
    brand_name: str = "",
    price=None,
    quantity=None,
    photos=(),
    now: datetime | None = None,
) -> MarketReport:
    """Record an observation. Suspected counterfeit or smuggled goods are restricted from the
    start. `photos` are already-validated uploads."""
    now = now or timezone.now()
    if kind not in MarketReport.Kind.values:
        raise ReportRefused(_("Choose a type of observation."))
    with transaction.atomic():
        report = MarketReport.objects.create(
            kind=kind,
            is_restricted=kind == MarketReport.Kind.COUNTERFEIT,
            retailer=retailer,
            submitted_by=user,
            submitted_at=now,
            observed_on=observed_on,
            location=location,
            region=region or (retailer.region if retailer else ""),
            product=product,
            brand_name=brand_name,
            price=price,
            quantity=quantity,
            description=description,
        )
        for upload in photos:
            MarketReportPhoto.objects.create(report=report, file=upload, name=upload.name[:200])
        _event(report, kind="submitted", actor=user, at=now)
        audit_record(actor=user, action="extranet.market_report_submit", target=report)
    return report


def report_review(
    *, report: MarketReport, actor, decision: str, note: str = "", now: datetime | None = None
) -> MarketReport:
    """Approve, reject (with a reason) or ask for more information (with a question)."""
    now = now or timezone.now()
    if decision not in DECISIONS:
        raise ReportRefused(_("Choose approve, reject or ask for more information."))
    note = (note or "").strip()
    if decision in ("reject", "ask") and not note:
        raise ReportRefused(
            _("Give the reason for rejecting.")
            if decision == "reject"
            else _("Say what information is needed.")
        )
    status = {
        "approve": MarketReport.Status.APPROVED,
        "reject": MarketReport.Status.REJECTED,
        "ask": MarketReport.Status.INFO_REQUESTED,
    }[decision]
    with transaction.atomic():
        report = MarketReport.objects.select_for_update().get(pk=report.pk)
        if report.status != MarketReport.Status.SUBMITTED:
            raise ReportRefused(_("This report is not awaiting review."))
        report.status = status
        report.reviewed_by = actor
        report.reviewed_at = now
        report.review_note = note
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        _event(report, kind=status, actor=actor, at=now, text=note)
        audit_record(actor=actor, action=f"extranet.market_report_{decision}", target=report)
        _notify_submitter(
            report,
            _("Market report %(number)s: %(status)s")
            % {"number": report.number, "status": report.get_status_display()},
            "\n\n".join(
                part
                for part in (
                    _("Your market report %(number)s is now: %(status)s.")
                    % {"number": report.number, "status": report.get_status_display()},
                    note,
                )
                if part
            ),
        )
    return report


def report_add_info(
    *, report: MarketReport, user, text: str, photos=(), now: datetime | None = None
) -> MarketReport:
    """The submitter answers a request for more information; the report goes back to review."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ReportRefused(_("Please write the information you add."))
    with transaction.atomic():
        report = MarketReport.objects.select_for_update().get(pk=report.pk)
        if report.status != MarketReport.Status.INFO_REQUESTED:
            raise ReportRefused(_("No information was requested for this report."))
        report.status = MarketReport.Status.SUBMITTED
        report.save(update_fields=["status"])
        for upload in photos:
            MarketReportPhoto.objects.create(report=report, file=upload, name=upload.name[:200])
        _event(report, kind="resubmitted", actor=user, at=now, text=text)
        audit_record(actor=user, action="extranet.market_report_resubmit", target=report)
    return report


def grade_changes_record(*, changes, at: datetime) -> int:
    """Called by `grades_recompute` with (retailer_id, old grade, new grade) triples. Retailers
    that moved change the sales summary's grades: a rebuild is queued once committed."""
    if changes:
        from extranet.market.sales_summary import sales_summary_rebuild_queue
        from extranet.surveys.services import survey_audiences_changed

        sales_summary_rebuild_queue()
        survey_audiences_changed(fields=["grade"], now=at)
    GradeChange.objects.bulk_create(
        [
            GradeChange(retailer_id=pk, old_grade=old, new_grade=new, changed_at=at)
            for pk, old, new in changes
        ],
        batch_size=1000,
    )
    return len(changes)
