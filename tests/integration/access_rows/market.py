"""Access-matrix rows of market information, market analysis and the feedback extras
(extranet/market/).

Reports made by the rows belong to nobody the role users are: an account manager sees only the
reports they submitted (404 otherwise); sales administrators review every report but the
restricted ones, which only the sales department head and system administrators (the superuser)
see: for anyone else a restricted URL answers 404. The dashboards are for sales administrators,
the sales department head and system administrators.
"""

from tests.access import AWAY, DENIED, MISSING, OK, extranet_row, intranet_row
from tests.integration.access_rows.extranet import METHOD_NOT_ALLOWED, sales_staff_row


def report_url(prefix, suffix="", *, photo=False, restricted=False):
    def make():
        from django.core.files.base import ContentFile

        from extranet.market.models import MarketReportPhoto
        from tests.factories.market import MarketReportFactory

        report = MarketReportFactory(kind="counterfeit" if restricted else "competitor")
        tail = suffix
        if photo:
            item = MarketReportPhoto(report=report, name="p.png")
            item.file.save("p.png", ContentFile(b"png"), save=True)
            tail = f"photos/{item.pk}/"
        return f"{prefix}{report.pk}/{tail}"

    return make


def restricted_row():
    return intranet_row(employees=MISSING, superuser=OK)


def analysis_row(outcome=OK):
    return intranet_row(employees=DENIED, sales_administrator=outcome, superuser=outcome)


INTRANET = {
    "sales/market/": ("/sales/market/", sales_staff_row()),
    "sales/market/new/": ("/sales/market/new/", sales_staff_row()),
    "sales/market/restricted/": ("/sales/market/restricted/", restricted_row()),
    "sales/market/<int:report_id>/": (
        report_url("/sales/market/"),
        sales_staff_row(account_manager=MISSING),
    ),
    "sales/market/<int:report_id>/review/": (
        report_url("/sales/market/", "review/"),
        intranet_row(employees=METHOD_NOT_ALLOWED),
    ),
    "sales/market/<int:report_id>/info/": (
        report_url("/sales/market/", "info/"),
        intranet_row(employees=METHOD_NOT_ALLOWED),
    ),
    "sales/market/<int:report_id>/photos/<int:photo_id>/": (
        report_url("/sales/market/", photo=True),
        sales_staff_row(account_manager=MISSING),
    ),
    "sales/analysis/": ("/sales/analysis/", analysis_row(AWAY)),
    "sales/analysis/<slug:slug>/": ("/sales/analysis/sales/", analysis_row()),
    "sales/feedback/export/": ("/sales/feedback/export/", sales_staff_row()),
    "sales/feedback/effective/": (
        "/sales/feedback/effective/",
        sales_staff_row(account_manager=DENIED),
    ),
}

EXTRANET = {
    "shop/market/new/": ("/shop/market/new/", extranet_row()),
    "shop/market/<int:report_id>/": (report_url("/shop/market/"), extranet_row(retailer=MISSING)),
    "shop/market/<int:report_id>/info/": (
        report_url("/shop/market/", "info/"),
        extranet_row(retailer=METHOD_NOT_ALLOWED),
    ),
    "shop/market/<int:report_id>/photos/<int:photo_id>/": (
        report_url("/shop/market/", photo=True),
        extranet_row(retailer=MISSING),
    ),
}
