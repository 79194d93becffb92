"""Demo market information (called by extranet/demo.py): per demo retailer an approved shelf
price and a competitor observation awaiting review; one restricted counterfeit report.
Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from extranet.market.models import MarketReport
from extranet.market.services import report_review, report_submit
from extranet.models import Product, Retailer


def seed(*, licence_numbers) -> int:
    if MarketReport.objects.exists():
        return 0
    product = Product.objects.filter(code="LQ001").first()
    retailers = list(
        Retailer.objects.filter(licence_number__in=licence_numbers).order_by("licence_number")
    )
    today = timezone.localdate()
    made = 0
    for index, retailer in enumerate(retailers):
        user = retailer.logins.select_related("user").first()
        user = user.user if user else None
        if product:
            report = report_submit(
                user=user,
                retailer=retailer,
                kind="shelf_price",
                observed_on=today - timedelta(days=3 + index),
                location=retailer.address or retailer.store_name,
                product=product,
                price=product.retail_price + Decimal(5 * (index - 2)),
                description="店内货架标价。",
            )
            report_review(report=report, actor=None, decision="approve")
            made += 1
        report_submit(
            user=user,
            retailer=retailer,
            kind="competitor",
            observed_on=today - timedelta(days=1),
            location=retailer.address or retailer.store_name,
            description="附近竞品开展买二送一促销。",
        )
        made += 1
    if retailers:
        first = retailers[0]
        login = first.logins.select_related("user").first()
        report_submit(
            user=login.user if login else None,
            retailer=first,
            kind="counterfeit",
            observed_on=today - timedelta(days=2),
            location="城北夜市",
            brand_name="中华（硬）",
            quantity=20,
            description="流动摊贩低价出售，包装印刷模糊，疑似假烟。",
        )
        made += 1
    return made
