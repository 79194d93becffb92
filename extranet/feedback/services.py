"""Writes of feedback and complaints: submission, the call-back, the resolution, the rating,
internal notes, reassignment, the "effective complaint" flag, and the call-back alerts."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from extranet import rules
from extranet.crm.models import Retailer
from extranet.feedback.models import Feedback, FeedbackEvent, FeedbackPhoto
from portal.models import Department, User
from portal.refusals import Refusal
from portal.services import audit_record
from portal.tasks import email_send

logger = logging.getLogger(__name__)

CALLBACK_WITHIN = timedelta(hours=24)
WARN_BEFORE_DUE = timedelta(hours=4)


class FeedbackRefused(Refusal):
    """A feedback action that is not possible in the item's state; the message says why."""


def _feedback_event(feedback, *, kind, actor, at, text="", internal=False):
    return FeedbackEvent.objects.create(
        feedback=feedback, kind=kind, actor=actor, at=at, text=text, is_internal=internal
    )


def feedback_submit(
    *, retailer: Retailer, user, kind: str, text: str, photos=(), now: datetime | None = None
):
    """Record a retailer's feedback, assigned to its account manager, due for a call-back 24
    hours later. `photos` are already-validated uploads."""
    now = now or timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.create(
            retailer=retailer,
            submitted_by=user,
            kind=kind,
            text=text,
            assigned_to_id=retailer.account_manager_id,
            submitted_at=now,
            callback_due_at=now + CALLBACK_WITHIN,
        )
        for upload in photos:
            FeedbackPhoto.objects.create(feedback=feedback, file=upload, name=upload.name[:200])
        _feedback_event(feedback, kind="submitted", actor=user, at=now)
    return feedback


def _locked(feedback):
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def feedback_callback_record(
    *, feedback, actor, called_at: datetime, method: str, summary: str, now=None
):
    now = now or timezone.now()
    if called_at > now:
        raise FeedbackRefused(_("The call-back time cannot be in the future."))
    # Times are entered to the minute: a call-back in the minute of submission is fine.
    if called_at < feedback.submitted_at.replace(second=0, microsecond=0):
        raise FeedbackRefused(_("The call-back cannot be before the feedback was submitted."))
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.called_back_at is not None:
            raise FeedbackRefused(_("The call-back has already been recorded."))
        feedback.called_back_at = called_at
        feedback.callback_method = method
        feedback.callback_summary = summary
        feedback.status = feedback.Status.CALLED_BACK
        feedback.save(
            update_fields=["called_back_at", "callback_method", "callback_summary", "status"]
        )
        _feedback_event(feedback, kind="callback", actor=actor, at=now, text=summary)
        audit_record(actor=actor, action="extranet.feedback_callback", target=feedback)
        _feedback_status_mail(feedback)
    return feedback


def feedback_resolve(*, feedback, actor, resolution: str, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.called_back_at is None:
            raise FeedbackRefused(_("Record the call-back before the resolution."))
        if feedback.status == feedback.Status.RESOLVED:
            raise FeedbackRefused(_("This feedback is already resolved."))
        feedback.resolution = resolution
        feedback.resolved_at = now
        feedback.status = feedback.Status.RESOLVED
        feedback.save(update_fields=["resolution", "resolved_at", "status"])
        _feedback_event(feedback, kind="resolved", actor=actor, at=now, text=resolution)
        audit_record(actor=actor, action="extranet.feedback_resolve", target=feedback)
        _feedback_status_mail(feedback)
    return feedback


def _feedback_status_mail(feedback):
    """Tell the retailer (its logins with an e-mail address) that its feedback was called back
    or resolved; sent by the task queue once the change is committed."""
    to = sorted(
        set(
            User.objects.filter(retailer_login__retailer_id=feedback.retailer_id, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not to:
        return
    status = feedback.get_status_display()
    subject = _("Your feedback %(number)s: %(status)s") % {
        "number": feedback.number,
        "status": status,
    }
    detail = (
        feedback.resolution
        if feedback.status == feedback.Status.RESOLVED
        else feedback.callback_summary
    )
    body = _("Your feedback %(number)s is now: %(status)s.") % {
        "number": feedback.number,
        "status": status,
    }
    body = f"{body}\n\n{detail}" if detail else body
    transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))


def feedback_rate(*, feedback, user, rating: int, now=None):
    """The retailer rates the handling once, after resolution."""
    now = now or timezone.now()
    if not 1 <= rating <= 5:
        raise FeedbackRefused(_("Choose a rating from 1 to 5."))
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.status != feedback.Status.RESOLVED:
            raise FeedbackRefused(_("You can rate the handling once the feedback is resolved."))
        if feedback.rating is not None:
            raise FeedbackRefused(_("You have already rated this feedback."))
        feedback.rating = rating
        feedback.save(update_fields=["rating"])
        _feedback_event(feedback, kind="rated", actor=user, at=now, text=str(rating))
    return feedback


def feedback_note_add(*, feedback, actor, text: str, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        return _feedback_event(feedback, kind="note", actor=actor, at=now, text=text, internal=True)


def feedback_reassign(*, feedback, actor, employee, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.assigned_to_id == employee.pk:
            raise FeedbackRefused(_("The feedback is already assigned to this person."))
        feedback.assigned_to = employee
        # The new assignee gets their own due-soon warning.
        feedback.warned_at = None
        feedback.save(update_fields=["assigned_to", "warned_at"])
        _feedback_event(
            feedback, kind="reassigned", actor=actor, at=now, text=employee.name, internal=True
        )
        audit_record(actor=actor, action="extranet.feedback_reassign", target=feedback)
    return feedback


def feedback_flag_effective(*, feedback, actor, effective: bool, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.kind != feedback.Kind.COMPLAINT:
            raise FeedbackRefused(_("Only complaints can be flagged as effective."))
        feedback.is_effective_complaint = effective
        feedback.save(update_fields=["is_effective_complaint"])
        _feedback_event(
            feedback,
            kind="flagged",
            actor=actor,
            at=now,
            text=pgettext("complaint", "Effective") if effective else _("Not effective"),
            internal=True,
        )
    return feedback


def _sales_department_head():
    department = (
        Department.objects.select_related("head__user")
        .filter(code=rules.sales_department_code())
        .first()
    )
    return department.head if department else None


def _mail(recipients, subject, body):
    to = sorted({e.user.email for e in recipients if e is not None and e.user.email})
    if to:
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=to))
    return to


def feedback_alerts_send(*, now: datetime | None = None) -> tuple[int, int]:
    """Warn account managers 4 hours before a call-back is due; alert their manager (the head
    of their department) and the sales department head once it is overdue. Each alert is sent
    once: the row remembers it. Returns (warnings, overdue alerts)."""
    now = now or timezone.now()
    warned = alerted = 0
    items = Feedback.objects.select_related(
        "assigned_to__user", "assigned_to__department__head__user", "retailer"
    ).select_for_update(of=("self",))
    with transaction.atomic():
        head = _sales_department_head()
        due_soon = items.due_soon(now, WARN_BEFORE_DUE).filter(warned_at__isnull=True)
        for feedback in due_soon:
            values = {
                "store": feedback.retailer.store_name,
                "number": feedback.number,
                "due": formats.date_format(
                    timezone.localtime(feedback.callback_due_at), "DATETIME_FORMAT"
                ),
            }
            sent_to = _mail(
                [feedback.assigned_to],
                _("Call-back due soon: %(number)s") % {"number": feedback.number},
                _("Please call back %(store)s about feedback %(number)s before %(due)s.") % values,
            )
            if not sent_to:
                # Nobody (or nobody with a mailbox) is responsible for the store: the sales
                # department head hears of it instead, so the call-back is not left to chance.
                sent_to = _mail(
                    [head],
                    _("Call-back due soon, no account manager: %(number)s")
                    % {"number": feedback.number},
                    _(
                        "Feedback %(number)s from %(store)s is to be called back before %(due)s, "
                        "and no account manager with a mailbox is responsible for the store. "
                        "Please assign it."
                    )
                    % values,
                )
            if not sent_to:
                logger.warning(
                    "Feedback %s is due soon and nobody could be warned (no account manager, "
                    "no sales department head with a mailbox).",
                    feedback.number,
                )
            feedback.warned_at = now
            feedback.save(update_fields=["warned_at"])
            warned += 1
        overdue = items.overdue(now).filter(overdue_alerted_at__isnull=True)
        for feedback in overdue:
            manager = feedback.assigned_to.department.head if feedback.assigned_to else None
            _mail(
                [manager, head],
                _("Call-back overdue: %(number)s") % {"number": feedback.number},
                _("Feedback %(number)s from %(store)s has not been called back in 24 hours.")
                % {"store": feedback.retailer.store_name, "number": feedback.number},
            )
            feedback.overdue_alerted_at = now
            feedback.save(update_fields=["overdue_alerted_at"])
            alerted += 1
    return warned, alerted
