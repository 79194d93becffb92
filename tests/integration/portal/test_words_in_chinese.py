"""Pages read in Chinese where a short msgid used to take another place's word: a yes/no field
said 没帮助, date filters 来源/报送至, order numbers 排序, survey rates 评分, the report inbox
举报, the market review 退稿 (GLOSSARY.md, issue 15)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from documents.circulation.services import report_approve, report_create, report_submit
from extranet.ordering.services import order_place, orders_advance
from tests.conftest import make_role_user
from tests.factories.documents import ReportTypeFactory
from tests.factories.extranet import DeliveryRouteFactory, OrderingRetailerFactory, ProductFactory
from tests.factories.market import MarketReportFactory
from tests.factories.people import DepartmentFactory, EmployeeFactory, UserFactory
from tests.factories.surveys import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese(client, intranet):
    client.cookies["portal_language"] = "zh-hans"
    return client


@pytest.fixture
def sales_admin(chinese):
    chinese.force_login(make_role_user("sales_administrator"))
    return chinese


def page(client, url, query=None):
    response = client.get(url, query or {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_retailer_profile_answers_yes_or_no_not_helpful(sales_admin):
    retailer = OrderingRetailerFactory(is_model_household=True, is_monitored_household=False)
    html = page(sales_admin, reverse("sales:retailer", args=[retailer.pk]))
    assert "示范户" in html
    assert "没帮助" not in html and "有帮助" not in html
    assert "是" in html and "否" in html


@pytest.mark.parametrize(
    ("name", "args"), [("sales:analysis", ["sales"]), ("sales:feedback_effective", [])]
)
def test_a_dashboard_date_filter_reads_start_and_end_date(sales_admin, name, args):
    html = page(sales_admin, reverse(name, args=args))
    assert "起始日期" in html and "截止日期" in html
    assert "来源" not in html and "报送至" not in html


def test_the_orders_page_and_the_picking_export_head_the_order_number(sales_admin):
    route = DeliveryRouteFactory(code="R9")
    store = OrderingRetailerFactory(route=route, store_name="便民超市")
    order = order_place(
        retailer=store, lines=[(ProductFactory(code="P9").pk, 2)], idempotency_key="k"
    )
    orders_advance(order_ids=[order.pk], from_status="submitted", actor=None)
    html = page(sales_admin, reverse("sales:orders"))
    assert "订单号" in html and "排序" not in html
    query = {"route": route.code, "cycle": order.cycle.isoformat(), "format": "xlsx"}
    download = sales_admin.get(reverse("sales:picking"), query)
    workbook = load_workbook(io.BytesIO(download.content))
    header = list(next(workbook.worksheets[1].iter_rows(values_only=True)))
    assert header[0] == "订单号"
    assert "排序" not in header


def test_the_survey_list_says_running_and_its_results_the_response_rate(sales_admin):
    survey = SurveyFactory()
    html = page(sales_admin, reverse("sales:surveys"))
    assert "进行中" in html and "营业" not in html
    assert "开放时间" in html
    results = page(sales_admin, reverse("sales:survey_results", args=[survey.pk]))
    assert "回收率" in results and "评分" not in results


def test_the_report_inbox_lists_reports_not_forum_reports(chinese):
    quality = DepartmentFactory(code="quality", name="质检科")
    sales = DepartmentFactory(code="sales", name="销售科")
    quality.head = EmployeeFactory(department=quality, user=UserFactory(roles=["department_head"]))
    quality.save()
    sales.head = EmployeeFactory(department=sales)
    sales.save()
    drafter = EmployeeFactory(department=quality)
    report_type = ReportTypeFactory(
        code="quality-report", source=quality, destination=sales, due_hours=24
    )
    report = report_create(
        actor=drafter.user,
        report_type=report_type,
        title="十一月质量检验报告",
        body="合格率 99.2%",
        period="2026-11",
        attachments=[SimpleUploadedFile("明细.xlsx", b"PK")],
    )
    report = report_submit(actor=drafter.user, report=report)
    report_approve(actor=quality.head.user, report=report)
    chinese.force_login(sales.head.user)
    html = page(chinese, reverse("documents:reports"))
    assert "十一月质量检验报告" in html
    assert "<th>报告</th>" in html and "举报" not in html
    detail = page(chinese, reverse("documents:report_detail", args=[report.pk]))
    assert "报送部门" in detail and "来源" not in detail


def test_the_market_review_offers_reject_as_bo_hui(sales_admin):
    report = MarketReportFactory()
    html = page(sales_admin, reverse("sales:market_report", args=[report.pk]))
    assert "驳回" in html and "退稿" not in html
    sales_admin.post(
        reverse("sales:market_review", args=[report.pk]), {"decision": "reject", "note": "重复"}
    )
    html = page(sales_admin, reverse("sales:market_report", args=[report.pk]))
    assert "已驳回" in html and "退稿" not in html


def test_a_retailer_login_is_enabled_not_employed(sales_admin):
    from tests.factories.people import RetailerLoginFactory

    login = RetailerLoginFactory()
    html = page(sales_admin, reverse("sales:logins", args=[login.retailer.pk]))
    assert "启用" in html and "在职" not in html
