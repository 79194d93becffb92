"""Receivers keeping the monthly sales summary current (connected in `ExtranetConfig.ready()`).

Every save of an order that may change its month's figures queues that month's refresh;
an explicit change of a retailer's region or grade queues a rebuild, since the summary groups
by them. A new retailer has no orders yet, and other saves are caught by the nightly rebuild.
The kept market analysis dashboards are forgotten on any change of what they read."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from extranet.market.dashboards.kept import analysis_forget
from extranet.market.services import sales_summary_order_changed, sales_summary_rebuild_queue


@receiver(post_save, sender="extranet.Order", dispatch_uid="extranet_sales_summary_order")
def order_saved(sender, instance, created, update_fields=None, **kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    if update_fields is not None and not {"status", "placed_at"} & set(update_fields):
        return
    sales_summary_order_changed(instance.placed_at)


@receiver(post_save, sender="extranet.Retailer", dispatch_uid="extranet_sales_summary_retailer")
def retailer_saved(sender, instance, created, update_fields=None, **kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    if not created and update_fields and {"region", "grade"} & set(update_fields):
        sales_summary_rebuild_queue()


# What the market analysis dashboards read: a save or a deletion forgets the kept dashboards
# (extranet.market.dashboards.kept). The services' bulk writes (placing an order, the summary,
# the grades' recomputation) forget them themselves.
ANALYSIS_SOURCES = (
    "extranet.Order",
    "extranet.OrderLine",
    "extranet.Retailer",
    "extranet.GradeChange",
    "extranet.Feedback",
    "extranet.MarketReport",
    "extranet.Product",
    "extranet.Brand",
    "extranet.SurveyResponse",
    "extranet.SalesSummaryMonth",
)


def analysis_source_changed(sender, **kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    analysis_forget()


for _source in ANALYSIS_SOURCES:
    post_save.connect(
        analysis_source_changed, sender=_source, dispatch_uid=f"market_analysis_saved_{_source}"
    )
    post_delete.connect(
        analysis_source_changed, sender=_source, dispatch_uid=f"market_analysis_deleted_{_source}"
    )
