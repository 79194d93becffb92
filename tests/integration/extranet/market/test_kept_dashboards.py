"""The market analysis dashboards kept in the cache (extranet.market.dashboards.kept): a kept
page is the page built afresh, in each language; any change of what a dashboard reads shows up
on the next request, bulk writes of the services included; a call-back falling due shows up
without any write; the roles refused the dashboards stay refused when one is kept."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from extranet.crm.services import grades_recompute
from extranet.market.dashboards.kept import analysis_forget
from extranet.market.services import report_review
from extranet.models import Retailer
from extranet.ordering.services import order_place
from extranet.surveys.models import SurveyResponse
from portal.permissions import Role
from tests.factories.extranet import (
    BrandFactory,
    FeedbackFactory,
    OrderFactory,
    OrderingRetailerFactory,
    ProductFactory,
)
from tests.factories.market import MarketReportFactory
from tests.factories.people import EmployeeFactory, UserFactory
from tests.factories.surveys import SurveyFactory

pytestmark = pytest.mark.django_db

SLUGS = ["sales", "grades", "top", "feedback", "prices", "surveys"]


@pytest.fixture
def analyst(client, intranet):
    employee = EmployeeFactory(user=UserFactory(roles=[Role.SALES_ADMINISTRATOR]))
    client.force_login(employee.user)
    return client


@pytest.fixture
def market():
    brand = BrandFactory(name="利群")
    product = ProductFactory(brand=brand, code="A1", wholesale_price=Decimal("200"), stock=500)
    retailer = OrderingRetailerFactory(region="西湖区", grade=3, value_score=Decimal("0.5"))
    OrderFactory(retailer=retailer, lines=[(product, 3)])
    return {"product": product, "retailer": retailer}


def page(client, slug, query=""):
    """The page's HTML, its CSRF tokens (new for every request) blanked."""
    response = client.get(reverse("sales:analysis", args=[slug]) + query)
    assert response.status_code == 200
    return re.sub(r'value="[A-Za-z0-9]{64}"', 'value=""', response.content.decode())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("slug", SLUGS)
def test_a_kept_dashboard_is_the_dashboard_built_afresh(analyst, market, slug, language):
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    FeedbackFactory(retailer=market["retailer"])
    built = page(analyst, slug)
    kept = page(analyst, slug)
    assert kept == built
    analysis_forget()
    assert page(analyst, slug) == built
    other = "zh-hans" if language == "en" else "en"
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = other
    assert page(analyst, slug) != built  # each language is kept on its own


def test_a_kept_dashboard_reads_nothing_of_the_market(analyst, market):
    for slug in SLUGS:
        page(analyst, slug)
        with CaptureQueriesContext(connection) as context:
            page(analyst, slug)
        read = [query["sql"] for query in context.captured_queries if "extranet_" in query["sql"]]
        assert read == [], slug


def test_placing_an_order_shows_on_the_sales_dashboard(analyst, market):
    before = page(analyst, "sales")
    other = ProductFactory(brand=BrandFactory(name="中华"), wholesale_price=Decimal("500"), stock=9)
    order_place(retailer=market["retailer"], lines=[(other.pk, 2)], idempotency_key="kept-1")
    after = page(analyst, "sales")
    assert "中华" not in before and "中华" in after


def test_feedback_shows_on_the_feedback_dashboard(analyst, market):
    before = page(analyst, "feedback")
    FeedbackFactory(retailer=market["retailer"], kind="praise")
    after = page(analyst, "feedback")
    assert "Praise" not in before and "Praise" in after


def test_an_approved_price_shows_on_the_prices_dashboard(analyst, market):
    report = MarketReportFactory(
        kind="shelf_price",
        status="submitted",
        product=market["product"],
        price=Decimal("260"),
        observed_on=timezone.localdate(),
        retailer=market["retailer"],
    )
    before = page(analyst, "prices")
    reviewer = EmployeeFactory(user=UserFactory(roles=[Role.SALES_ADMINISTRATOR])).user
    report_review(report=report, actor=reviewer, decision="approve")
    after = page(analyst, "prices")
    assert "¥260.00" not in before and "¥260.00" in after


def test_the_grades_recomputation_shows_on_the_retailers_dashboards(analyst, market):
    OrderingRetailerFactory(grade=1, region="上城区")  # no orders: falls to the lowest grade
    before = {slug: page(analyst, slug) for slug in ("grades", "top")}
    grades_recompute(now=timezone.now())  # writes the retailers with bulk_update
    assert page(analyst, "grades") != before["grades"]
    assert page(analyst, "top") != before["top"]


def test_a_retailer_moving_region_shows_in_the_filter_and_the_sales(analyst, market):
    before = page(analyst, "sales")
    retailer = Retailer.objects.get(pk=market["retailer"].pk)
    retailer.region = "滨江区"
    retailer.save(update_fields=["region"])
    after = page(analyst, "sales")
    assert "滨江区" not in before and "滨江区" in after
    assert page(analyst, "sales", "?region=滨江区").count("滨江区") > 1


def test_a_survey_and_its_responses_show_on_the_surveys_dashboard(analyst, market):
    survey = SurveyFactory(
        title="新品调查",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=5),
    )
    assert "新品调查" in page(analyst, "surveys")
    before = page(analyst, "surveys")
    SurveyResponse.objects.create(
        survey=survey,
        retailer=market["retailer"],
        status=SurveyResponse.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    assert page(analyst, "surveys") != before


def test_a_call_back_falling_due_shows_without_any_write(analyst, market, monkeypatch):
    now = timezone.now()
    FeedbackFactory(retailer=market["retailer"], submitted_at=now - timedelta(hours=1))
    before = page(analyst, "feedback")
    assert page(analyst, "feedback") == before  # kept until the call-back falls due
    later = now + timedelta(hours=24)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert page(analyst, "feedback") != before


@pytest.mark.parametrize("role", [Role.ACCOUNT_MANAGER, None])
def test_employees_outside_the_sales_staff_stay_refused_when_a_dashboard_is_kept(
    analyst, market, role
):
    for slug in SLUGS:
        page(analyst, slug)
    employee = EmployeeFactory(user=UserFactory(roles=[role] if role else []))
    other = Client()
    other.force_login(employee.user)
    for slug in SLUGS:
        assert other.get(reverse("sales:analysis", args=[slug])).status_code == 403
