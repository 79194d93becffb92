"""Reads of mass notices: the recipients a choice resolves to, archives, inbox, progress."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from portal.models import Department, Employee
from portal.notices.models import Notice, NoticeDelivery
from portal.notices.permissions import may_manage_notice, may_see_all_notices


def audience_people(audience: dict) -> QuerySet:
    """The active employees a recipient choice covers, each once: all staff, or any mix of
    departments (with or without their sections), roles and individual employee numbers."""
    people = Employee.objects.filter(user__is_active=True)
    if audience.get("all"):
        return people
    match = Q(pk__in=[])
    codes = audience.get("departments") or []
    if codes:
        match |= Q(department__code__in=codes)
        if audience.get("include_sections"):
            match |= Q(department__parent__code__in=codes)
    roles = audience.get("roles") or []
    if roles:
        match |= Q(user__groups__name__in=roles)
    numbers = audience.get("people") or []
    if numbers:
        match |= Q(employee_number__in=numbers)
    return people.filter(pk__in=Employee.objects.filter(match).values("pk"))


def audience_preview(audience: dict, *, limit: int = 500) -> dict:
    """What the sender sees before sending: how many, who (the first `limit`), and who is left
    out for lack of an email address."""
    people = audience_people(audience)
    reachable = people.exclude(user__email="")
    return {
        "count": reachable.count(),
        "without_email": people.filter(user__email="").count(),
        "people": list(
            reachable.select_related("department", "position").order_by(
                "department__sort_order", "name_pinyin"
            )[:limit]
        ),
    }


def audience_label(audience: dict) -> str:
    from django.utils.translation import gettext as _

    if audience.get("all"):
        return _("All staff")
    parts = []
    codes = audience.get("departments") or []
    if codes:
        names = [d.name for d in Department.objects.filter(code__in=codes)]
        parts.append(
            "、".join(names) + (_(" (with sections)") if audience.get("include_sections") else "")
        )
    if audience.get("roles"):
        from portal.permissions import Role

        parts.append("、".join(str(Role(r).label) for r in audience["roles"]))
    if audience.get("people"):
        parts.append(_("%(count)d individuals") % {"count": len(audience["people"])})
    return "; ".join(parts)[:500]


def notices_sent_by(*, user) -> QuerySet:
    """The sender's archive; a system administrator's is everyone's."""
    notices = Notice.objects.select_related("sender__employee").annotate(
        recipient_count=Count("deliveries")
    )
    if not may_see_all_notices(user):
        notices = notices.filter(sender=user)
    return notices.order_by("-created_at", "-id")


def notices_received_by(*, user) -> QuerySet:
    """The recipient's inbox: notices sent (not drafts) with a delivery row for them.

    The inbox page reads the same rule written out in SQL (`portal.notices.inbox_sql`): a
    change here must be made there too (its equivalence test compares)."""
    return (
        Notice.objects.filter(
            Exists(NoticeDelivery.objects.filter(notice=OuterRef("pk"), recipient=user))
        )
        .exclude(status=Notice.Status.DRAFT)
        .select_related("sender__employee")
        .order_by("-sent_at", "-id")
    )


def notice_for(*, user, pk: int) -> tuple[Notice, bool]:
    """A notice its sender, a system administrator or a recipient may read, and whether the
    reader may see its delivery status. Anyone else: 404."""
    notice = (
        Notice.objects.select_related("sender__employee__department")
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404
    if notice.status == Notice.Status.DRAFT:
        if notice.sender_id == user.pk:
            return notice, True
        raise Http404
    if may_manage_notice(user, notice):
        return notice, True
    if notice.deliveries.filter(recipient=user).exists():
        return notice, False
    raise Http404


def notice_progress(*, notice) -> dict:
    counts = dict(notice.deliveries.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    sent = counts.get(NoticeDelivery.Status.SENT, 0)
    failed = counts.get(NoticeDelivery.Status.FAILED, 0)
    pending = total - sent - failed
    done = sent + failed
    return {
        "status": notice.status,
        "total": total,
        "sent": sent,
        "failed": failed,
        "pending": pending,
        "percent": 100 if total == 0 else int(done * 100 / total),
        "finished": notice.status == Notice.Status.SENT,
    }


def notice_deliveries(*, notice) -> QuerySet:
    return notice.deliveries.select_related("recipient__employee").order_by("status", "id")
