"""The top retailers' dashboard sums the top group's amount from the rows in hand when one page
holds the whole group (one query fewer), and reads it from the database otherwise: the same
figure either way."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from extranet import rules
from extranet.market.dashboards import retailers as dashboards
from extranet.market.dashboards.base import Filters
from extranet.models import Retailer
from tests.factories.extranet import OrderingRetailerFactory

pytestmark = pytest.mark.django_db

PERIOD = Filters(start=date(2026, 9, 1), end=date(2026, 10, 31))


@pytest.fixture
def retailers():
    for n in range(20):
        OrderingRetailerFactory(
            value_score=Decimal("0.1") + Decimal(n) / 100,
            monthly_amount=Decimal("100.01") * (n % 7) + Decimal("0.33"),
            region="西湖区" if n % 2 else "上城区",
        )


def _top_amount(region=""):
    ranked = Retailer.objects.all()
    if region:
        ranked = ranked.filter(region=region)
    size = int((rules.top_share() * ranked.count()).to_integral_value(rounding="ROUND_CEILING"))
    top = ranked.order_by("-value_score", "pk")[:size]
    return size, Retailer.objects.filter(pk__in=list(top.values_list("pk", flat=True))).aggregate(
        amount=Sum("monthly_amount")
    )["amount"]


def test_one_page_of_top_retailers_needs_no_second_sum(retailers, django_assert_num_queries):
    size, amount = _top_amount()
    with django_assert_num_queries(2):  # everyone's count and amount; the page
        board = dashboards.top_dashboard(PERIOD, page=1)
    assert board.tables[1].rows[0][:2] == [size, amount]
    assert dashboards.top_dashboard(PERIOD).tables[1].rows == board.tables[1].rows
    region = dashboards.top_dashboard(Filters(PERIOD.start, PERIOD.end, region="西湖区"), page=1)
    assert region.tables[1].rows[0][:2] == list(_top_amount("西湖区"))


def test_a_top_group_longer_than_a_page_is_summed_by_the_database(retailers, monkeypatch):
    monkeypatch.setattr(dashboards, "TOP_PAGE_SIZE", 2)
    size, amount = _top_amount()
    assert size > 2
    for page in (1, 2):
        board = dashboards.top_dashboard(PERIOD, page=page)
        assert board.tables[0].page.paginator.num_pages > 1
        assert board.tables[1].rows[0][:2] == [size, amount]
