"""Reads of market information: which reports each user may see, and the regions to filter by.

Retailers see their own store's reports. On the intranet, reviewers see every report but the
restricted ones, which only the sales department head and system administrators see; anyone
sees the reports they submitted."""

from django.db.models import Prefetch, Q

from extranet.market.models import MarketReport, MarketReportEvent, MarketReportPhoto
from extranet.market.permissions import may_review, may_see_restricted
from extranet.models import Retailer


def reports_of_retailer(*, retailer):
    return MarketReport.objects.filter(retailer=retailer).order_by("-submitted_at", "-pk")


def report_details_of_retailer(*, retailer):
    """The retailer's reports with what their page shows (photos, history)."""
    return (
        reports_of_retailer(retailer=retailer)
        .select_related("product__brand")
        .prefetch_related("photos", "events")
    )


def report_photos_of_retailer(*, retailer):
    return MarketReportPhoto.objects.filter(report__in=reports_of_retailer(retailer=retailer))


def reports_visible_to(*, user):
    """Staff: reviewers see every report but the restricted ones, which only the sales
    department head and system administrators see; anyone sees the reports they submitted."""
    reports = MarketReport.objects.select_related(
        "retailer", "submitted_by__employee", "product__brand"
    )
    own = Q(submitted_by=user)
    if may_see_restricted(user):
        return reports
    if may_review(user):
        return reports.filter(Q(is_restricted=False) | own)
    return reports.filter(own)


def reports_filtered(*, user, status="", kind="", region="", restricted=False, mine=False):
    """The staff's lists: the restricted list holds only restricted reports; the main list
    holds the others and, of the restricted ones, only those the user submitted."""
    reports = reports_visible_to(user=user)
    if restricted:
        reports = reports.filter(is_restricted=True)
    else:
        reports = reports.filter(Q(is_restricted=False) | Q(submitted_by=user))
    if mine:
        reports = reports.filter(submitted_by=user)
    if status:
        reports = reports.filter(status=status)
    if kind:
        reports = reports.filter(kind=kind)
    if region:
        reports = reports.filter(region=region)
    return reports.order_by("-submitted_at", "-pk")


def report_details_visible_to(*, user):
    """The reports the user may see, with what their page shows (photos, history)."""
    return reports_visible_to(user=user).prefetch_related(
        "photos",
        Prefetch("events", queryset=MarketReportEvent.objects.select_related("actor")),
    )


def report_photos_visible_to(*, user):
    return MarketReportPhoto.objects.filter(report__in=reports_visible_to(user=user))


def report_regions():
    return list(
        Retailer.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
