"""Market analysis: each dashboard's figures against hand-computed expectations on a small
fixture, the filters, the Excel exports, bad filters and query counts; the grade history the
recomputation writes."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from extranet.crm.services import grades_recompute
from extranet.market.dashboards.base import Filters
from extranet.market.dashboards.feedback import feedback_dashboard
from extranet.market.dashboards.prices import prices_dashboard
from extranet.market.dashboards.retailers import grades_dashboard, top_dashboard
from extranet.market.dashboards.sales import sales_dashboard, sales_plan
from extranet.market.dashboards.surveys import surveys_dashboard
from extranet.market.models import GradeChange, SalesSummary, SalesSummaryMonth
from extranet.market.services import sales_summary_rebuild
from extranet.models import Order, Retailer
from extranet.ordering.services import order_cancel, order_place
from portal import scheduling
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
from tests.querycount import assert_bounded_queries
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = Filters(start=date(2026, 9, 1), end=date(2026, 10, 31))


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def shop():
    a, b = BrandFactory(name="利群"), BrandFactory(name="中华")
    a1 = ProductFactory(brand=a, code="A1", wholesale_price=Decimal("200"))
    a2 = ProductFactory(brand=a, code="A2", wholesale_price=Decimal("300"))
    b1 = ProductFactory(
        brand=b, code="B1", wholesale_price=Decimal("500"), retail_price=Decimal("600")
    )
    r1 = OrderingRetailerFactory(region="西湖区", grade=1, value_score=Decimal("0.9"))
    r2 = OrderingRetailerFactory(region="西湖区", grade=3, value_score=Decimal("0.5"))
    r3 = OrderingRetailerFactory(region="上城区", grade=3, value_score=Decimal("0.7"))
    OrderFactory(retailer=r1, placed_at=at(2026, 9, 10, 10), lines=[(a1, 10), (b1, 2)])
    OrderFactory(retailer=r2, placed_at=at(2026, 9, 20, 10), lines=[(a2, 5)])
    OrderFactory(retailer=r3, placed_at=at(2026, 10, 5, 10), lines=[(a1, 4), (b1, 1)])
    # Not counted: cancelled, after the period, just before it (local time).
    OrderFactory(retailer=r3, placed_at=at(2026, 10, 6), status="cancelled", lines=[(a1, 100)])
    OrderFactory(retailer=r1, placed_at=at(2026, 11, 1, 0, 0), lines=[(a1, 50)])
    OrderFactory(retailer=r2, placed_at=at(2026, 8, 31, 23, 59), lines=[(a1, 7)])
    return {"a1": a1, "a2": a2, "b1": b1, "r1": r1, "r2": r2, "r3": r3}


def table(board, index):
    return board.tables[index].rows


@pytest.mark.parametrize("summarised", [False, True], ids=["order-lines", "summary"])
def test_sales_by_brand_product_region_grade_and_month(shop, summarised):
    if summarised:
        assert sales_summary_rebuild(now=at(2026, 11, 20, 3)) == 4  # Aug to Nov
        assert SalesSummary.objects.filter(month=date(2026, 9, 1)).count() == 3
    board = sales_dashboard(PERIOD)
    assert ("2026-11-20 03:00" in board.note) is summarised
    assert table(board, 0) == [["利群", 19, Decimal("4300")], ["中华", 3, Decimal("1500")]]
    assert [row[0] for row in table(board, 1)] == ["A1", "A2", "B1"]
    assert [row[3:] for row in table(board, 1)] == [
        [14, Decimal("2800")],
        [5, Decimal("1500")],
        [3, Decimal("1500")],
    ]
    assert table(board, 2) == [["西湖区", 17, Decimal("4500")], ["上城区", 5, Decimal("1300")]]
    assert table(board, 3) == [[1, 12, Decimal("3000")], [3, 10, Decimal("2800")]]
    assert table(board, 4) == [["2026-09", 17, Decimal("4500")], ["2026-10", 5, Decimal("1300")]]
    month_chart = board.charts[0].as_json()
    assert month_chart["labels"] == ["2026-09", "2026-10"]
    assert month_chart["datasets"][0]["data"] == [4500.0, 1300.0]
    only = sales_dashboard(Filters(PERIOD.start, PERIOD.end, region="上城区"))
    assert table(only, 0) == [["利群", 4, Decimal("800")], ["中华", 1, Decimal("500")]]


def test_a_period_cutting_a_summarised_month_reads_that_month_from_the_order_lines(shop):
    sales_summary_rebuild(now=at(2026, 11, 20, 3))
    # From 15 September: the 10 September order is left out, although September is summarised.
    board = sales_dashboard(Filters(date(2026, 9, 15), date(2026, 10, 5)))
    assert table(board, 4) == [["2026-09", 5, Decimal("1500")], ["2026-10", 5, Decimal("1300")]]
    plan = sales_plan(Filters(date(2026, 9, 15), date(2026, 10, 5)).since, PERIOD.until)
    assert plan.months == [date(2026, 10, 1)] and len(plan.ranges) == 1


def test_order_changes_queue_a_refresh_and_the_dashboard_follows_it(
    shop, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    def refreshes():
        return DBTaskResult.objects.filter(
            task_path="extranet.market.tasks.sales_summary_refresh_task", status="READY"
        )

    sales_summary_rebuild(now=at(2026, 11, 20, 3))
    assert table(sales_dashboard(PERIOD), 4)[0] == ["2026-09", 17, Decimal("4500")]
    september = Order.objects.get(retailer=shop["r1"], placed_at=at(2026, 9, 10, 10))
    staff = EmployeeFactory(user=UserFactory(roles=[Role.SALES_ADMINISTRATOR])).user
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=september, actor=staff, reason="客户要求", by_retailer=False)
    assert SalesSummaryMonth.objects.get(month=date(2026, 9, 1)).refresh_queued
    assert [task.args_kwargs["kwargs"] for task in refreshes()] == [{"month": "2026-09-01"}]
    # Until the worker runs, the summary (and the dashboard) is as of the last refresh.
    assert table(sales_dashboard(PERIOD), 4)[0] == ["2026-09", 17, Decimal("4500")]
    # A second change of the month while its refresh waits does not queue another.
    with django_capture_on_commit_callbacks(execute=True):
        OrderFactory(retailer=shop["r2"], placed_at=at(2026, 9, 21, 10), lines=[(shop["a1"], 1)])
    assert refreshes().count() == 1
    run_worker("default")
    assert not SalesSummaryMonth.objects.get(month=date(2026, 9, 1)).refresh_queued
    board = sales_dashboard(PERIOD)
    # September without r1's 10 A1 + 2 B1 (3000), with r2's new A1 (200).
    assert table(board, 4) == [["2026-09", 6, Decimal("1700")], ["2026-10", 5, Decimal("1300")]]
    assert "2026-11-20 03:00" in board.note  # October's summary is the oldest used
    # Grade 3 only: r2's 5 A2 and new A1 (1700), r3's October (1300); r1 has nothing left.
    assert table(board, 3) == [[3, 11, Decimal("3000")]]


def test_placing_an_order_queues_its_month(django_capture_on_commit_callbacks):
    # order_place writes its rows in SQL (no post_save), so it queues the refresh itself.
    from django_tasks_db.models import DBTaskResult

    retailer = OrderingRetailerFactory()
    product = ProductFactory(wholesale_price=Decimal("200"), stock=50)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(retailer=retailer, lines=[(product.pk, 3)], idempotency_key="k1")
    month = order.placed_at.astimezone(SHANGHAI).date().replace(day=1)
    assert SalesSummaryMonth.objects.get(month=month).refresh_queued
    queued = DBTaskResult.objects.filter(
        task_path="extranet.market.tasks.sales_summary_refresh_task", status="READY"
    )
    assert [task.args_kwargs["kwargs"] for task in queued] == [{"month": month.isoformat()}]
    run_worker("default")
    assert SalesSummary.objects.get(month=month, product=product).cartons == 3


def test_grade_moves_and_region_changes_queue_a_rebuild(shop, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from extranet.crm.services import retailer_update

    sales_summary_rebuild(now=at(2026, 11, 20, 3))
    staff = EmployeeFactory(user=UserFactory(roles=[Role.SALES_ADMINISTRATOR])).user
    with django_capture_on_commit_callbacks(execute=True):
        retailer_update(
            retailer=shop["r3"], actor=staff, changes={"region": "西湖区"}, group="static"
        )
    rebuilds = DBTaskResult.objects.filter(
        task_path="extranet.market.tasks.sales_summary_rebuild_task", status="READY"
    )
    assert rebuilds.count() == 1
    run_worker("default")
    assert table(sales_dashboard(PERIOD), 2) == [["西湖区", 22, Decimal("5800")]]
    with django_capture_on_commit_callbacks(execute=True):
        grades_recompute(now=at(2026, 11, 20, 2))  # the retailers move grades
    assert GradeChange.objects.exists() and rebuilds.count() == 1
    run_worker("default")
    grades = {r.grade for r in Retailer.objects.all()}
    assert [row[0] for row in table(sales_dashboard(PERIOD), 3)] == sorted(grades)
    periodic = scheduling.REGISTRY["extranet.sales_summary_rebuild"]
    assert periodic.task_path == "extranet.market.tasks.sales_summary_rebuild_task"


def test_grade_distribution_and_movement(shop):
    r1, r2, r3 = shop["r1"], shop["r2"], shop["r3"]
    GradeChange.objects.create(retailer=r1, old_grade=3, new_grade=1, changed_at=at(2026, 9, 2))
    GradeChange.objects.create(retailer=r2, old_grade=1, new_grade=3, changed_at=at(2026, 9, 2))
    GradeChange.objects.create(retailer=r3, old_grade=5, new_grade=3, changed_at=at(2026, 10, 2))
    GradeChange.objects.create(retailer=r3, old_grade=3, new_grade=5, changed_at=at(2026, 11, 2))
    board = grades_dashboard(PERIOD)
    assert table(board, 0) == [[1, 1], [3, 2]]
    assert table(board, 1) == [[1, 3, 1], [3, 1, 1], [5, 3, 1]]
    assert table(board, 2) == [[2, 1]]
    west = grades_dashboard(Filters(PERIOD.start, PERIOD.end, region="西湖区"))
    assert table(west, 0) == [[1, 1], [3, 1]] and table(west, 2) == [[1, 1]]


def test_the_recomputation_records_grade_changes_once():
    moved = OrderingRetailerFactory(grade=1)  # no orders: falls to the lowest grade
    OrderingRetailerFactory(grade=8)  # stays
    now = at(2026, 11, 20, 2)
    grades_recompute(now=now)
    change = GradeChange.objects.get()
    assert (change.retailer, change.old_grade, change.new_grade) == (moved, 1, 8)
    assert change.changed_at == now
    grades_recompute(now=now + timedelta(days=1))
    assert GradeChange.objects.count() == 1


def test_top_twenty_percent_by_value(shop):
    for n in range(7):
        OrderingRetailerFactory(
            region="滨江区",
            value_score=Decimal("0.1") + Decimal(n) / 100,
            monthly_amount=Decimal("100"),
        )
    Retailer.objects.filter(pk=shop["r1"].pk).update(monthly_amount=Decimal("1000"))
    Retailer.objects.filter(pk=shop["r3"].pk).update(monthly_amount=Decimal("600"))
    board = top_dashboard(PERIOD)  # 10 retailers: the top 2
    assert [row[1] for row in table(board, 0)] == [shop["r1"].store_name, shop["r3"].store_name]
    # Their contribution: 1600 of 1600 + r2's 0 + 7 × 100.
    assert table(board, 1) == [[2, Decimal("1600"), Decimal("2300"), 69.6]]
    # On screen, one page of the list at a time; the same order.
    first = top_dashboard(PERIOD, page=1)
    assert table(first, 0) == table(board, 0) and first.tables[0].page.paginator.count == 2
    upper = top_dashboard(Filters(PERIOD.start, PERIOD.end, region="上城区"))
    assert [row[1] for row in table(upper, 0)] == [shop["r3"].store_name]


def test_feedback_volumes_and_on_time_rate(shop):
    r1, r3 = shop["r1"], shop["r3"]
    FeedbackFactory(
        retailer=r1,
        submitted_at=at(2026, 9, 5, 9),
        called_back_at=at(2026, 9, 5, 15),
        is_effective_complaint=True,
    )
    FeedbackFactory(
        retailer=r1,
        kind="suggestion",
        submitted_at=at(2026, 9, 6, 9),
        called_back_at=at(2026, 9, 7, 15),
    )
    FeedbackFactory(retailer=r3, submitted_at=at(2026, 10, 1, 9))
    FeedbackFactory(retailer=r3, kind="praise", submitted_at=at(2026, 10, 2, 9))
    FeedbackFactory(retailer=r3, submitted_at=at(2026, 11, 5, 9))
    board = feedback_dashboard(PERIOD, now=at(2026, 11, 20))
    assert table(board, 0) == [["Complaint", 2], ["Praise", 1], ["Suggestion", 1]]
    assert table(board, 1) == [["2026-09", 2, 2, 1, 50.0, 1], ["2026-10", 2, 2, 0, 0.0, 0]]


def test_approved_shelf_prices_against_suggested_retail_prices(shop):
    a1, b1 = shop["a1"], shop["b1"]

    def price(product, value, **kwargs):
        kwargs.setdefault("status", "approved")
        kwargs.setdefault("observed_on", date(2026, 9, 15))
        kwargs.setdefault("retailer", shop["r1"])
        return MarketReportFactory(kind="shelf_price", product=product, price=value, **kwargs)

    price(a1, Decimal("260"))
    price(a1, Decimal("270"))
    price(b1, Decimal("540"), retailer=shop["r3"])
    price(a1, Decimal("1000"), status="rejected")
    price(a1, Decimal("1000"), status="submitted")
    price(a1, Decimal("1000"), observed_on=date(2026, 11, 2))
    board = prices_dashboard(PERIOD)
    name_a1 = f"利群 {a1.name}"
    assert table(board, 0) == [
        ["B1", f"中华 {b1.name}", 1, Decimal("600"), Decimal("540"), 540, 540, -10.0],
        ["A1", name_a1, 2, Decimal("250"), Decimal("265"), 260, 270, 6.0],
    ] or table(board, 0) == [
        ["A1", name_a1, 2, Decimal("250"), Decimal("265"), 260, 270, 6.0],
        ["B1", f"中华 {b1.name}", 1, Decimal("600"), Decimal("540"), 540, 540, -10.0],
    ]
    west = prices_dashboard(Filters(PERIOD.start, PERIOD.end, region="西湖区"))
    assert [row[0] for row in table(west, 0)] == ["A1"]


def test_survey_response_rates_per_survey_and_region(shop):
    from extranet.surveys.models import Survey, SurveyResponse, SurveyTarget
    from tests.factories.surveys import SurveyFactory

    def respond(survey, retailer, status=SurveyResponse.Status.SUBMITTED):
        SurveyResponse.objects.create(
            survey=survey,
            retailer=retailer,
            status=status,
            submitted_at=at(2026, 9, 15) if status == "submitted" else None,
        )

    everyone = SurveyFactory(title="全体", opens_at=at(2026, 9, 1), closes_at=at(2026, 9, 30))
    grade3 = SurveyFactory(
        title="三档",
        audience=Survey.Audience.SELECTED,
        opens_at=at(2026, 10, 1),
        closes_at=at(2026, 10, 20),
    )
    SurveyTarget.objects.create(survey=grade3, grade=3)
    # Not in the period, and not published: left out.
    SurveyFactory(title="早", opens_at=at(2026, 6, 1), closes_at=at(2026, 7, 1))
    SurveyFactory(title="草稿", is_published=False, opens_at=at(2026, 9, 1))
    respond(everyone, shop["r1"])
    respond(everyone, shop["r3"])
    respond(everyone, shop["r2"], status=SurveyResponse.Status.DRAFT)
    respond(grade3, shop["r2"])

    board = surveys_dashboard(PERIOD)
    # Every retailer of the fixture exists once per survey's audience: 3 in all, 2 of grade 3.
    assert [[r[0], r[2], r[3], r[4]] for r in table(board, 0)] == [
        ["三档", 2, 1, 50.0],
        ["全体", 3, 2, 66.7],
    ]
    assert board.charts[0].as_json()["datasets"][0]["data"] == [50.0, 66.7]
    west = surveys_dashboard(Filters(PERIOD.start, PERIOD.end, region="西湖区"))
    assert [[r[0], r[2], r[3], r[4]] for r in table(west, 0)] == [
        ["三档", 1, 1, 100.0],
        ["全体", 2, 1, 50.0],
    ]


@pytest.fixture
def analyst(client, intranet):
    employee = EmployeeFactory(user=UserFactory(roles=[Role.SALES_ADMINISTRATOR]))
    client.force_login(employee.user)
    return client


def test_dashboard_pages_filters_charts_and_exports(analyst, shop):
    from openpyxl import load_workbook

    url = reverse("sales:analysis", args=["sales"])
    query = "?start=2026-09-01&end=2026-10-31&region=上城区"
    page = analyst.get(url + query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "extranet/vendor/chartjs/chart.umd.min.js" in html and 'id="market-charts"' in html
    assert "cdn" not in html.lower()
    assert "800" in html
    export = analyst.get(url + query + "&format=xlsx")
    workbook = load_workbook(io.BytesIO(export.content))
    assert workbook.worksheets[0]["A1"].value == "Brand"
    assert [c.value for c in workbook.worksheets[0][2]] == ["利群", 4, 800]
    for slug in ("grades", "top", "feedback", "prices"):
        response = analyst.get(reverse("sales:analysis", args=[slug]) + query)
        assert response.status_code == 200, slug
        assert (
            analyst.get(reverse("sales:analysis", args=[slug]) + "?format=xlsx").status_code == 200
        )


def test_bad_filters_get_400_and_unknown_dashboards_404(analyst):
    url = reverse("sales:analysis", args=["sales"])
    for query in ("?start=2026-10-01&end=2026-09-01", "?start=yesterday", "?region=nowhere"):
        response = analyst.get(url + query)
        assert response.status_code == 400, query
    assert analyst.get(reverse("sales:analysis", args=["nope"])).status_code == 404


def test_account_managers_do_not_see_the_dashboards(client, intranet):
    employee = EmployeeFactory(user=UserFactory(roles=[Role.ACCOUNT_MANAGER]))
    client.force_login(employee.user)
    assert client.get(reverse("sales:analysis", args=["sales"])).status_code == 403


def _grow_market(size):
    """Orders, feedback, grade changes and approved prices grow together."""
    from tests.factories.extranet import BrandFactory as Brands
    from tests.factories.surveys import SurveyFactory

    while Retailer.objects.count() < size:
        index = Retailer.objects.count()
        brand = Brands(name=f"品牌{index}")
        product = ProductFactory(brand=brand)
        retailer = OrderingRetailerFactory(region=f"区{index % 5}", value_score=Decimal("0.5"))
        OrderFactory(retailer=retailer, lines=[(product, 3)])
        FeedbackFactory(retailer=retailer)
        GradeChange.objects.create(
            retailer=retailer, old_grade=8, new_grade=index % 8 + 1, changed_at=retailer_now()
        )
        MarketReportFactory(
            kind="shelf_price", status="approved", product=product, price=Decimal("300")
        )
        SurveyFactory(title=f"调查{index}")


def retailer_now():
    from django.utils import timezone

    return timezone.now()


@pytest.mark.parametrize("slug", ["sales", "grades", "top", "feedback", "prices", "surveys"])
def test_dashboards_run_a_bounded_number_of_queries(analyst, slug):
    counts = assert_bounded_queries(
        analyst, reverse("sales:analysis", args=[slug]), _grow_market, max_queries=16
    )
    assert counts


def test_summarised_sales_are_read_in_one_query_for_every_grouping(shop, django_assert_num_queries):
    sales_summary_rebuild(now=at(2026, 11, 20, 3))
    # The plan, then the five groupings of the summary in one written-out query.
    with django_assert_num_queries(2):
        board = sales_dashboard(Filters(PERIOD.start, PERIOD.end, region="西湖区"))
    assert table(board, 0) == [["利群", 15, Decimal("3500")], ["中华", 2, Decimal("1000")]]
    assert table(board, 3) == [[1, 12, Decimal("3000")], [3, 5, Decimal("1500")]]
    assert table(board, 4) == [["2026-09", 17, Decimal("4500")]]


def test_survey_targets_by_region_route_and_store_in_one_query(shop, django_assert_num_queries):
    from extranet.surveys.models import Survey, SurveyTarget
    from tests.factories.surveys import SurveyFactory

    survey = SurveyFactory(
        title="<b>选</b>",
        audience=Survey.Audience.SELECTED,
        opens_at=at(2026, 9, 1, 0, 30),  # 31 August in UTC: the local day counts
        closes_at=at(2026, 10, 20),
    )
    SurveyTarget.objects.create(survey=survey, region="上城区")  # r3
    SurveyTarget.objects.create(survey=survey, retailer=shop["r1"])
    SurveyTarget.objects.create(survey=survey, region="")  # matches no store by region
    with django_assert_num_queries(1):
        board = surveys_dashboard(PERIOD)
    assert table(board, 0) == [["<b>选</b>", date(2026, 9, 1), 2, 0, 0.0]]
    if shop["r2"].route_id is not None:
        SurveyTarget.objects.create(survey=survey, route_id=shop["r2"].route_id)
        assert table(surveys_dashboard(PERIOD), 0)[0][2] == 3


@pytest.mark.parametrize("slug", ["sales", "grades", "top", "feedback", "prices", "surveys"])
def test_dashboards_built_afresh_run_a_bounded_number_of_queries(analyst, slug):
    """The kept dashboards aside (forgotten before each count): building one."""
    from extranet.market.dashboards.kept import analysis_forget
    from tests.querycount import LARGE, SMALL, count_queries

    url = reverse("sales:analysis", args=[slug])
    counts = {}
    for size in (SMALL, LARGE):
        _grow_market(size)
        analyst.get(url)
        analysis_forget()
        counts[size] = count_queries(analyst, url)
    assert counts[SMALL] == counts[LARGE] and counts[LARGE] <= 20, counts
