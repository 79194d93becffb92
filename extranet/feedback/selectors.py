"""Reads of feedback and complaints that depend on who asks: the retailer's own items, the
sales desk's lists, and its overdue and on-time figures."""

from datetime import timedelta

from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth
from django.utils import timezone

from extranet.feedback.models import ON_TIME, Feedback, FeedbackEvent, FeedbackPhoto, judged_q
from extranet.permissions import is_account_manager, may_see_all_feedback
from portal.generations import Generation
from portal.selectors import employee_of

# What the sales desk keeps of the feedback (extranet.feedback.desk_kept: its figures and the
# length of its list) is kept under this generation: bumped by extranet.signals when an item, an
# employee (the account managers' names) or a department (who heads sales) is saved or deleted.
FEEDBACK_GENERATION = Generation("extranet:feedback:generation")


def feedback_forget() -> None:
    """Feedback, account managers or the head of sales changed: what was kept is stale."""
    FEEDBACK_GENERATION.bump()


def feedback_of_retailer(*, retailer):
    """The retailer's own items, newest first."""
    return Feedback.objects.filter(retailer=retailer).order_by("-submitted_at", "-pk")


def feedback_details_of_retailer(*, retailer):
    """A retailer's own items with their photos and their public history (never internal
    notes)."""
    return feedback_of_retailer(retailer=retailer).prefetch_related(
        "photos",
        Prefetch(
            "events",
            queryset=FeedbackEvent.objects.filter(is_internal=False).order_by("at", "pk"),
            to_attr="public_events",
        ),
    )


def feedback_photos_of_retailer(*, retailer):
    """The photos of the retailer's own items."""
    return FeedbackPhoto.objects.filter(feedback__retailer=retailer)


def feedback_visible_to(user):
    """Sales administrators and the head of the sales department see all feedback, an account
    manager the items assigned to them, anyone else none."""
    items = Feedback.objects.select_related("retailer", "assigned_to")
    if may_see_all_feedback(user):
        return items
    employee = employee_of(user)
    if is_account_manager(user) and employee is not None:
        return items.filter(assigned_to=employee)
    return items.none()


def feedback_filtered(*, user, status="", kind="", overdue=False, assigned_to=None, now=None):
    """The items the user may see, filtered; overdue ones (the most overdue first) on asking."""
    now = now or timezone.now()
    items = feedback_visible_to(user)
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    if overdue:
        items = items.overdue(now)
    if assigned_to:
        items = items.filter(assigned_to_id=assigned_to)
    return items.order_by("callback_due_at", "pk") if overdue else items


def feedback_details_for_staff(*, user):
    """The items the user may see, with their photos and their whole history."""
    return (
        feedback_visible_to(user)
        .select_related("submitted_by")
        .prefetch_related(
            "photos",
            Prefetch(
                "events",
                queryset=FeedbackEvent.objects.select_related("actor__employee").order_by(
                    "at", "pk"
                ),
            ),
        )
    )


def feedback_photos_visible_to(user):
    """The photos of the items the user may see."""
    return FeedbackPhoto.objects.filter(feedback__in=feedback_visible_to(user).values("pk"))


def overdue_by_account_manager(*, user, now=None):
    """Per account manager: how many call-backs are overdue now (only the people the user may
    see; one aggregate query)."""
    now = now or timezone.now()
    return list(
        feedback_visible_to(user)
        .overdue(now)
        .values("assigned_to_id", "assigned_to__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "assigned_to__name")
    )


def callback_rates_by_month(*, user, months=12, now=None):
    """Per month of submission: items, items called back in time, and the on-time rate (%).
    Items whose due time has not come yet and that are not called back are left out (it is
    too early to judge them). Aggregated in the database."""
    now = now or timezone.now()
    since = (timezone.localtime(now) - timedelta(days=31 * (months - 1))).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    rows = (
        feedback_visible_to(user)
        .filter(submitted_at__gte=since)
        .filter(judged_q(now))
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=ON_TIME))
        .order_by("-month")
    )
    return [
        {**row, "rate": round(100 * row["on_time"] / row["total"], 1) if row["total"] else None}
        for row in rows
    ]
