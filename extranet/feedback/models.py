"""Feedback and complaints of retailers: the items, their photos and their history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet.bases import AttachedPhoto, HistoryEvent
from extranet.crm.models import Retailer


def overdue_q(now) -> Q:
    """The rule "a call-back is overdue": not called back and due at or before `now`."""
    return Q(called_back_at__isnull=True, callback_due_at__lte=now)


def judged_q(now) -> Q:
    """Items whose call-back can be judged at `now`: called back, or due already."""
    return Q(called_back_at__isnull=False) | Q(callback_due_at__lte=now)


# A call-back made by its due time.
ON_TIME = Q(called_back_at__lte=F("callback_due_at"))


class FeedbackQuerySet(models.QuerySet):
    def overdue(self, now):
        """Items whose call-back is overdue at `now`."""
        return self.filter(overdue_q(now))

    def due_soon(self, now, within):
        """Items not called back whose call-back falls due after `now`, within `within`."""
        return self.filter(
            called_back_at__isnull=True,
            callback_due_at__gt=now,
            callback_due_at__lte=now + within,
        )


class Feedback(models.Model):
    """A retailer's complaint, suggestion, inquiry or praise. The company promises a call-back
    within 24 hours: `callback_due_at` is fixed at submission; the alerts remember when they
    were sent (`warned_at`, `overdue_alerted_at`) so that each goes out once."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        INQUIRY = "inquiry", _("Inquiry")
        PRAISE = "praise", _("Praise")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting call-back")
        CALLED_BACK = "called_back", _("Called back")
        RESOLVED = "resolved", _("Resolved")

    class Method(models.TextChoices):
        PHONE = "phone", pgettext_lazy("feedback", "Phone")
        VISIT = "visit", _("Visit")

    retailer = models.ForeignKey(
        Retailer,
        verbose_name=pgettext_lazy("feedback", "retailer"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("feedback", "submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(pgettext_lazy("feedback", "kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(pgettext_lazy("feedback", "text"))
    status = models.CharField(
        pgettext_lazy("feedback", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.OPEN,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        "portal.Employee",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_assigned",
    )
    submitted_at = models.DateTimeField(pgettext_lazy("feedback", "submitted at"), db_index=True)
    callback_due_at = models.DateTimeField(_("call-back due at"), db_index=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_method = models.CharField(
        _("call-back method"), max_length=8, choices=Method.choices, blank=True
    )
    callback_summary = models.TextField(_("what was said"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    is_effective_complaint = models.BooleanField(_("effective complaint"), default=False)
    warned_at = models.DateTimeField(_("due-soon warning sent at"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(_("overdue alert sent at"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="extranet_feedback_rating_1_to_5",
            )
        ]
        indexes = [
            models.Index(fields=["assigned_to", "status"]),
            # The call-backs not made, by due time (the overdue ones first): the desk's overdue
            # list reads a few thousand entries, not every item (extranet/feedback/desk_rows.py).
            models.Index(
                fields=["callback_due_at", "id"],
                condition=Q(called_back_at__isnull=True),
                name="extranet_feedback_open_due",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def number(self):
        return self.number_of(self.pk)

    @staticmethod
    def number_of(pk: int) -> str:
        """The feedback number shown to people for the item with this id (FB000042)."""
        return f"FB{pk:06d}"

    @property
    def awaits_rating(self) -> bool:
        """Resolved and not rated yet: the retailer may rate the handling, once."""
        return self.status == self.Status.RESOLVED and self.rating is None

    @property
    def is_overdue(self) -> bool:
        """Whether the call-back is overdue now (the rule of `overdue_q`)."""
        return self.called_back_at is None and timezone.now() >= self.callback_due_at


class FeedbackPhoto(AttachedPhoto):
    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(
        pgettext_lazy("feedback", "photo"), upload_to="extranet/feedback/%Y/%m/"
    )

    class Meta(AttachedPhoto.Meta):
        verbose_name = _("feedback photo")
        verbose_name_plural = _("feedback photos")


class FeedbackEvent(HistoryEvent):
    """One line of a feedback item's history. Internal notes (`is_internal`) are never shown
    to the retailer."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("feedback", "Submitted")
        CALLBACK = "callback", _("Called back")
        RESOLVED = "resolved", _("Resolved")
        RATED = "rated", _("Rated")
        NOTE = "note", _("Internal note")
        REASSIGNED = "reassigned", _("Reassigned")
        FLAGGED = "flagged", _("Effective complaint flag changed")

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(pgettext_lazy("feedback", "kind"), max_length=16, choices=Kind.choices)
    is_internal = models.BooleanField(pgettext_lazy("feedback", "internal"), default=False)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
